"""The public directory and the partnerships list as streamed CSV files."""

import csv

from django.conf import settings
from django.db.models import Max

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

# A cell starting with one of these is a formula (or becomes one) in spreadsheet
# programs: such a cell is written with a leading apostrophe so that it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    value = str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class _Echo:
    def write(self, value):
        return value


def _rows(header, records):
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for record in records:
        yield writer.writerow([_cell(value) for value in record])


def city_rows(cities):
    """CSV lines of ``cities`` (a directory queryset), for a streamed download."""
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
            settings.SITE_URL + city.get_absolute_url(),
        )
        for city in cities.iterator(chunk_size=500)
    )
    return _rows(CITY_COLUMNS, records)


def project_rows(projects):
    """CSV lines of ``projects``, for a streamed download. The value is written as the
    exact decimal it is stored as, next to its currency."""
    projects = queries.projects_listing(projects).annotate(last_update=Max("updates__date"))
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
            settings.SITE_URL + project.get_absolute_url(),
        )
        for project in projects.iterator(chunk_size=500)
    )
    return _rows(PROJECT_COLUMNS, records)
