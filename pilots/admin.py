from django.contrib import admin

from pilots.models import Country, Organisation


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
