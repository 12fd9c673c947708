from django.contrib import admin

from panels.models import BriefVersion, Conference, Objective, Panel, Segment, Speaker


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting"]
    search_fields = ["title"]
    filter_horizontal = ["initiated_by", "co_hosted_by", "partner_organisations"]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    fields = ["position", "name", "user", "organisation", "topic", "minutes", "confirmed_at"]
    raw_id_fields = ["user", "participant"]


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "moderator", "status", "points_due"]
    list_filter = ["status", "conference"]
    search_fields = ["title", "theme"]
    raw_id_fields = ["moderator", "agenda_session"]
    inlines = [ObjectiveInline, SpeakerInline, SegmentInline]


@admin.register(BriefVersion)
class BriefVersionAdmin(admin.ModelAdmin):
    list_display = ["panel", "number", "published_at", "shared_at"]
    list_filter = ["panel__conference"]
    readonly_fields = ["content", "document", "published_by", "published_at", "shared_at"]
