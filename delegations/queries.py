"""Reads of delegations that more than one page needs."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from ascn_portal.accounts.models import User
from delegations.enums import SEATED, ParticipantStatus
from delegations.models import ASEAN_ORDER, Delegation, Participant
from pilots.models import PilotCity


def delegations_with_counts(user: Any) -> QuerySet[Delegation]:
    """Delegations ``user`` may see, in ASEAN order, each with its seated and registered
    head counts. (Meta.ordering does not apply to aggregating queries, hence order_by.)
    """
    delegations: QuerySet[Delegation] = (
        Delegation.objects.visible_to(user)
        .select_related("meeting", "country", "national_representative")
        .annotate(
            seated=Count("participants", filter=Q(participants__status__in=SEATED)),
            registered=Count(
                "participants", filter=Q(participants__status=ParticipantStatus.REGISTERED)
            ),
        )
        .order_by(*ASEAN_ORDER)
    )
    return delegations


def counts_by_delegation_and_status(
    participants: QuerySet[Participant],
) -> list[tuple[str, dict[str, int], int]]:
    """``[(delegation name, {status: count}, total)]`` in ASEAN order, in one query."""
    rows = (
        participants.order_by()
        .values(
            "delegation__name",
            "delegation__country__is_asean_member",
            "delegation__country__name",
            "status",
        )
        .annotate(count=Count("pk"))
    )
    table: dict[tuple[bool, bool, str, str], dict[str, int]] = {}
    for row in rows:
        key = (
            not row["delegation__country__is_asean_member"],
            row["delegation__country__name"] is None,
            row["delegation__country__name"] or "",
            row["delegation__name"],
        )
        table.setdefault(key, {})[row["status"]] = row["count"]
    return [(key[3], counts, sum(counts.values())) for key, counts in sorted(table.items())]


def participations_of(user: User) -> QuerySet[Participant]:
    """The meetings ``user`` is on a roster for, latest first, with their delegation."""
    return (  # type: ignore[no-any-return]  # with_state() is a custom QuerySet method
        Participant.objects.filter(user=user)
        .with_state()
        .select_related("delegation__meeting")
        .order_by("-delegation__meeting__start_date")
    )


def organisation_of(user: User) -> Participant | None:
    """The seat, on the latest meeting's roster, that names ``user``'s organisation, or
    None: while a delegation says where someone comes from, their profile follows it."""
    return (
        Participant.objects.filter(user=user, status__in=SEATED, organisation__isnull=False)
        .select_related("organisation", "delegation")
        .order_by("-delegation__meeting__start_date")
        .first()
    )


def pilot_cities_for(delegation: Delegation) -> QuerySet[PilotCity]:
    """The pilot cities a participant of ``delegation`` may represent, with their
    country: a member state's delegation its own cities, any other delegation any city."""
    cities = PilotCity.objects.select_related("country").order_by("name")
    if delegation.country_id:
        cities = cities.filter(country_id=delegation.country_id)
    return cities
