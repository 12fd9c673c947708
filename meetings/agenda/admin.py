from django.contrib import admin

from meetings.agenda.models import AgendaSession, Meeting, Room


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "host_city", "host_country", "start_date", "status")
    list_filter = ("status", "format", "host_country")
    search_fields = ("title", "host_city")
    inlines = [RoomInline]


@admin.register(AgendaSession)
class AgendaSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting", "kind", "starts_at", "room", "visibility")
    list_filter = ("meeting", "kind", "visibility")
    search_fields = ("title", "chair")
    list_select_related = ("meeting", "room")
