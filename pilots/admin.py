from django.contrib import admin

from pilots.models import (
    Country,
    FocusArea,
    Organisation,
    PartnershipProject,
    PilotCity,
    ProgressUpdate,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "iso3", "is_asean_member")
    list_filter = ("is_asean_member",)
    search_fields = ("name", "formal_name", "code", "iso3")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind", "country")
    search_fields = ("name",)


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code", "position")
    ordering = ("position",)


@admin.register(PilotCity)
class PilotCityAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "status", "joined_year", "focal_point_name")
    list_filter = ("status", "country", "focus_areas", "joined_year")
    search_fields = ("name", "slug", "focal_point_name", "profile")
    list_select_related = ("country",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("focus_areas",)
    autocomplete_fields = ("focal_points",)


class ProgressUpdateInline(admin.TabularInline):
    """Updates are added on the project's page, which moves the status and audits it."""

    model = ProgressUpdate
    extra = 0
    fields = ("date", "note", "previous_status", "new_status", "author")
    readonly_fields = ("previous_status", "new_status", "author")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PartnershipProject)
class PartnershipProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "city", "partner", "programme", "value", "currency", "status")
    list_filter = ("status", "city__country", "partner__kind", "currency")
    search_fields = ("title", "programme", "scope", "partner__name", "city__name")
    list_select_related = ("city", "partner")
    autocomplete_fields = ("city", "partner")
    inlines = [ProgressUpdateInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ("project", "date", "previous_status", "new_status", "author")
    list_filter = ("new_status",)
    search_fields = ("note", "project__title", "project__city__name")
    list_select_related = ("project", "author")
    raw_id_fields = ("project", "author")
    readonly_fields = ("previous_status", "new_status")

    def has_add_permission(self, request):
        return False
