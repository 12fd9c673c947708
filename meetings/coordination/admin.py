from django.contrib import admin

from meetings.coordination.models import (
    ActionItem,
    AgendaPoint,
    CoordinationGuest,
    CoordinationSession,
    Minutes,
    MinutesVersion,
)


class AgendaPointInline(admin.TabularInline):
    model = AgendaPoint
    extra = 0
    fields = ("position", "title")


class GuestInline(admin.TabularInline):
    model = CoordinationGuest
    extra = 0


@admin.register(CoordinationSession)
class CoordinationSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting", "starts_at", "mode", "convening_organisation", "status")
    list_filter = ("meeting", "mode", "status")
    search_fields = ("title", "place")
    list_select_related = ("meeting", "convening_organisation")
    autocomplete_fields = ("invited_people",)
    filter_horizontal = ("invited_organisations",)
    inlines = [AgendaPointInline, GuestInline]

    def save_model(self, request, obj, form, change):
        # The pages expect every session to have its working copy of the minutes.
        super().save_model(request, obj, form, change)
        Minutes.objects.get_or_create(session=obj)


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("title", "session", "owner_person", "owner_organisation", "due_date", "status")
    list_filter = ("status", "session__meeting")
    search_fields = ("title", "notes")
    list_select_related = ("session", "owner_person", "owner_organisation")
    raw_id_fields = ("owner_person", "agenda_point")


@admin.register(MinutesVersion)
class MinutesVersionAdmin(admin.ModelAdmin):
    """Published minutes are read here, never changed: a correction is a new version."""

    list_display = ("session", "number", "published_at", "published_by")
    list_select_related = ("session", "published_by")
    readonly_fields = [field.name for field in MinutesVersion._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
