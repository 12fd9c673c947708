from django.contrib import admin
from django.http import HttpRequest

from ascn_portal.core.models import AuditEntry, GeneratedDocument, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ("subject", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "language")
    search_fields = ("subject", "idempotency_key", "to")
    exclude = ("secrets",)
    readonly_fields = [f.name for f in OutgoingMail._meta.fields if f.name != "secrets"]
    date_hierarchy = "created_at"


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "version", "status", "requested_at", "rendered_at")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("action", "actor", "object_type", "object_id", "created_at")
    list_filter = ("action",)
    search_fields = ("action", "object_id", "actor__email")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
