"""Reads of the registry that more than one page needs."""

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate

from pilots.enums import OPEN_PROJECT_STATUSES, CityStatus, ProjectStatus
from pilots.models import REGISTRY_ORDER, PartnershipProject, PilotCity

# A project the Shepherd has heard nothing of for this long needs a follow-up.
STALE_AFTER_MONTHS = 6


def directory() -> QuerySet[PilotCity]:
    """Every city in ASEAN order with its country, focus areas (one more query) and the
    number of its projects. (Meta.ordering does not apply to aggregating queries.)
    """
    found: QuerySet[PilotCity] = (
        PilotCity.objects.select_related("country")
        .prefetch_related("focus_areas")
        .annotate(project_count=Count("projects"))
        .order_by(*REGISTRY_ORDER)
    )
    return found


def projects_listing(
    projects: QuerySet[PartnershipProject] | None = None,
) -> QuerySet[PartnershipProject]:
    """Projects with their city, its country and the partner, by country, city, title."""
    if projects is None:
        projects = PartnershipProject.objects.all()
    return projects.select_related("city__country", "partner").order_by(
        "-city__country__is_asean_member", "city__country__name", "city__name", "title", "pk"
    )


def totals_by_currency(projects: Iterable[PartnershipProject]) -> list[tuple[str, Decimal]]:
    """``[(currency, total)]`` of projects already loaded, summed as Decimals; projects
    without a value are left out. Amounts in different currencies are never added up.
    """
    totals: defaultdict[str, Decimal] = defaultdict(Decimal)
    for project in projects:
        if project.value is not None:
            totals[project.currency] += project.value
    return sorted(totals.items())


def _totals(
    projects: QuerySet[PartnershipProject],
    *fields: str,
    sort_key: Callable[[dict[str, Any]], tuple[Any, ...]],
) -> list[dict[str, Any]]:
    rows = (
        projects.filter(value__isnull=False)
        .order_by()
        .values(*fields, "currency")
        .annotate(total=Sum("value"), count=Count("pk"))
    )
    return sorted(rows, key=lambda row: (*sort_key(row), row["currency"]))


def totals_by_country(projects: QuerySet[PartnershipProject]) -> list[dict[str, Any]]:
    """One row per country and currency, in ASEAN order: ``{"country", "label",
    "currency", "count", "total"}`` with the total a Decimal, in one query.
    """
    rows = _totals(
        projects,
        "city__country__name",
        "city__country__is_asean_member",
        sort_key=lambda row: (
            not row["city__country__is_asean_member"],
            row["city__country__name"],
        ),
    )
    return [
        {
            "country": row["city__country__name"],
            "label": row["city__country__name"],
            "currency": row["currency"],
            "count": row["count"],
            "total": row["total"],
        }
        for row in rows
    ]


def totals_by_partner(projects: QuerySet[PartnershipProject]) -> list[dict[str, Any]]:
    """One row per partner and currency, by partner name: ``{"partner", "label",
    "partner_id", "currency", "count", "total"}`` with the total a Decimal, in one query.
    """
    rows = _totals(
        projects,
        "partner_id",
        "partner__name",
        sort_key=lambda row: (row["partner__name"].casefold(), row["partner_id"]),
    )
    return [
        {
            "partner": row["partner__name"],
            "label": row["partner__name"],
            "partner_id": row["partner_id"],
            "currency": row["currency"],
            "count": row["count"],
            "total": row["total"],
        }
        for row in rows
    ]


def _by_country_and_status(
    rows: Iterable[dict[str, Any]], country_prefix: str, statuses: type[models.TextChoices]
) -> list[dict[str, Any]]:
    table: dict[tuple[bool, str], dict[str, int]] = {}
    for row in rows:
        key = (not row[f"{country_prefix}is_asean_member"], row[f"{country_prefix}name"])
        table.setdefault(key, {})[row["status"]] = row["count"]
    return [
        {
            "country": name,
            "counts": [counts.get(value, 0) for value in statuses.values],
            "total": sum(counts.values()),
        }
        for (_member, name), counts in sorted(table.items())
    ]


def cities_by_country_and_status() -> list[dict[str, Any]]:
    """``[{"country", "counts" (in CityStatus order), "total"}]`` in ASEAN order."""
    rows = (
        PilotCity.objects.order_by()
        .values("country__name", "country__is_asean_member", "status")
        .annotate(count=Count("pk"))
    )
    return _by_country_and_status(rows, "country__", CityStatus)


def projects_by_country_and_status() -> list[dict[str, Any]]:
    """``[{"country", "counts" (in ProjectStatus order), "total"}]`` in ASEAN order."""
    rows = (
        PartnershipProject.objects.order_by()
        .values("city__country__name", "city__country__is_asean_member", "status")
        .annotate(count=Count("pk"))
    )
    return _by_country_and_status(rows, "city__country__", ProjectStatus)


def status_totals(
    table: list[dict[str, Any]], statuses: type[models.TextChoices]
) -> list[tuple[str, int]]:
    """``[(label, count)]`` per status, summed over the rows of a by-country table."""
    return [
        (label, sum(row["counts"][index] for row in table))
        for index, label in enumerate(statuses.labels)
    ]


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def with_last_update(projects: QuerySet[PartnershipProject]) -> QuerySet[PartnershipProject]:
    return projects.annotate(last_update=Max("updates__date"))


def stale_projects(*, today: date) -> QuerySet[PartnershipProject]:
    """Projects not completed with no progress update in the last STALE_AFTER_MONTHS
    months (or, never updated, entered before then), the longest silent first.
    """
    cutoff = months_before(today, STALE_AFTER_MONTHS)
    found: QuerySet[PartnershipProject] = (
        with_last_update(PartnershipProject.objects.filter(status__in=OPEN_PROJECT_STATUSES))
        .filter(
            Q(last_update__lt=cutoff) | Q(last_update__isnull=True, created_at__date__lt=cutoff)
        )
        .select_related("city__country", "partner")
        # Silent since the last update or, never updated, since it was entered.
        .order_by(Coalesce("last_update", TruncDate("created_at")), "pk")
    )
    return found


def stalled_projects() -> QuerySet[PartnershipProject]:
    found: QuerySet[PartnershipProject] = (
        with_last_update(PartnershipProject.objects.filter(status=ProjectStatus.STALLED))
        .select_related("city__country", "partner")
        .order_by("city__name", "title", "pk")
    )
    return found


def meetings_attended(city: PilotCity) -> list[dict[str, Any]]:
    """``[{"number", "title", "start_date", "people"}]``: the meetings for which people
    representing ``city`` registered, latest first, in one query.

    Participants belong to the delegations app, which comes after this one; the
    relation is followed by name, and "registered"/"draft" are those apps' values.
    """
    rows = (
        city.participants.filter(status="registered")
        .exclude(delegation__meeting__status="draft")
        .values(
            "delegation__meeting__number",
            "delegation__meeting__title",
            "delegation__meeting__start_date",
        )
        .annotate(people=Count("pk"))
        .order_by("-delegation__meeting__start_date", "-delegation__meeting__number")
    )
    return [
        {
            "number": row["delegation__meeting__number"],
            "title": row["delegation__meeting__title"],
            "start_date": row["delegation__meeting__start_date"],
            "people": row["people"],
        }
        for row in rows
    ]
