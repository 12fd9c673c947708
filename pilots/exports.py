"""The public directory and the partnerships list as streamed CSV files."""

from django.db.models import Max

from ascn_portal.core.sites import site_url
from ascn_portal.core.spreadsheets import csv_lines
from pilots import queries

CITY_COLUMNS = [
    "name",
    "country",
    "country_code",
    "status",
    "joined_year",
    "focus_areas",
    "focal_point",
    "projects",
    "profile",
    "sources",
    "url",
]

PROJECT_COLUMNS = [
    "city",
    "country",
    "partner",
    "partner_kind",
    "programme",
    "title",
    "scope",
    "value",
    "currency",
    "supported_by",
    "supervised_by",
    "start_date",
    "end_date",
    "status",
    "last_update",
    "source",
    "url",
]


def city_rows(cities):
    """CSV lines of ``cities`` (a directory queryset), for a streamed download."""
    # Taken now: the lines are written after the view has returned, outside its request.
    base = site_url()
    records = (
        (
            city.name,
            city.country.name,
            city.country.code,
            city.status,
            city.joined_year,
            ";".join(area.code for area in city.focus_areas.all()),
            city.focal_point_name,
            city.project_count,
            city.profile,
            " ".join(city.sources.split()),
            base + city.get_absolute_url(),
        )
        for city in cities.iterator(chunk_size=500)
    )
    return csv_lines(CITY_COLUMNS, records)


def project_rows(projects):
    """CSV lines of ``projects``, for a streamed download. The value is written as the
    exact decimal it is stored as, next to its currency."""
    projects = queries.projects_listing(projects).annotate(last_update=Max("updates__date"))
    base = site_url()
    records = (
        (
            project.city.name,
            project.city.country.name,
            project.partner.name,
            project.partner.kind,
            project.programme,
            project.title,
            project.scope,
            project.value,
            project.currency,
            project.supported_by,
            project.supervised_by,
            project.start_date,
            project.end_date,
            project.status,
            project.last_update,
            project.source,
            base + project.get_absolute_url(),
        )
        for project in projects.iterator(chunk_size=500)
    )
    return csv_lines(PROJECT_COLUMNS, records)
