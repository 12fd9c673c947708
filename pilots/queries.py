"""Reads of the registry that more than one page needs."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Sum

from pilots.models import REGISTRY_ORDER, PartnershipProject, PilotCity


def directory():
    """Every city in ASEAN order with its country, focus areas (one more query) and the
    number of its projects. (Meta.ordering does not apply to aggregating queries.)
    """
    return (
        PilotCity.objects.select_related("country")
        .prefetch_related("focus_areas")
        .annotate(project_count=Count("projects"))
        .order_by(*REGISTRY_ORDER)
    )


def projects_listing(projects=None):
    """Projects with their city, its country and the partner, by country, city, title."""
    if projects is None:
        projects = PartnershipProject.objects.all()
    return projects.select_related("city__country", "partner").order_by(
        "-city__country__is_asean_member", "city__country__name", "city__name", "title", "pk"
    )


def totals_by_currency(projects):
    """``[(currency, total)]`` of projects already loaded, summed as Decimals; projects
    without a value are left out. Amounts in different currencies are never added up.
    """
    totals = defaultdict(Decimal)
    for project in projects:
        if project.value is not None:
            totals[project.currency] += project.value
    return sorted(totals.items())


def _totals(projects, *fields, sort_key):
    rows = (
        projects.filter(value__isnull=False)
        .order_by()
        .values(*fields, "currency")
        .annotate(total=Sum("value"), count=Count("pk"))
    )
    return sorted(rows, key=lambda row: (*sort_key(row), row["currency"]))


def totals_by_country(projects):
    """One row per country and currency, in ASEAN order: ``{"country", "currency",
    "count", "total"}`` with the total a Decimal, in one query.
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
            "currency": row["currency"],
            "count": row["count"],
            "total": row["total"],
        }
        for row in rows
    ]


def totals_by_partner(projects):
    """One row per partner and currency, by partner name: ``{"partner", "partner_id",
    "currency", "count", "total"}`` with the total a Decimal, in one query.
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
            "partner_id": row["partner_id"],
            "currency": row["currency"],
            "count": row["count"],
            "total": row["total"],
        }
        for row in rows
    ]


def with_last_update(projects):
    return projects.annotate(last_update=Max("updates__date"))
