from django.contrib import admin

from delegations.models import Delegation, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("full_name", "email", "organisation", "role", "status", "user")
    raw_id_fields = ("user", "organisation")


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("name", "meeting", "country", "quota", "roster_status")
    list_filter = ("meeting", "roster_status")
    search_fields = ("name",)
    list_select_related = ("meeting", "country")
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("full_name", "delegation", "role", "status", "email")
    list_filter = ("status", "role", "delegation__meeting")
    search_fields = ("full_name", "email")
    list_select_related = ("delegation",)
    raw_id_fields = ("user", "organisation", "delegation")
