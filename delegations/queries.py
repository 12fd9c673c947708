"""Reads of delegations that more than one page needs."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from ascn_portal.accounts.models import User
from delegations.enums import SEATED, ParticipantStatus
from delegations.models import ASEAN_ORDER, Delegation, Participant, Registration
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


# --- Logistics: arrivals, departures, hotels, dietary and accessibility needs ---------


def logistics_registrations(meeting: Any, *, delegation: Any = None) -> QuerySet[Registration]:
    """The registrations of the meeting's registered participants (of one delegation
    when given), in ASEAN order of their delegation, then by name: one query."""
    registrations = Registration.objects.filter(
        participant__delegation__meeting=meeting,
        participant__status=ParticipantStatus.REGISTERED,
    ).select_related("participant__delegation__country")
    if delegation is not None:
        registrations = registrations.filter(participant__delegation=delegation)
    return registrations.order_by(
        F("participant__delegation__country__is_asean_member").desc(nulls_last=True),
        F("participant__delegation__country__name").asc(nulls_last=True),
        "participant__delegation__name",
        "participant__full_name",
        "pk",
    )


@dataclass(frozen=True)
class Person:
    name: str
    delegation: str
    detail: str = ""


@dataclass
class LogisticsReport:
    """What the hosts plan with, grouped from one list of registrations."""

    total: int = 0
    arrivals: list[tuple[date | None, list[tuple[str, list[Person]]]]] = field(default_factory=list)
    departures: list[tuple[date | None, list[tuple[str, list[Person]]]]] = field(
        default_factory=list
    )
    hotels: list[tuple[str, list[Person]]] = field(default_factory=list)
    dietary: list[tuple[str, list[Person]]] = field(default_factory=list)
    accessibility: list[Person] = field(default_factory=list)
    emergency_contacts: list[Person] | None = None


def logistics_report(
    registrations: Iterable[Registration], *, with_emergency_contacts: bool
) -> LogisticsReport:
    """Arrivals and departures by day and flight, hotels, dietary needs (counted, with
    names), accessibility needs and, for the secretariat only, emergency contacts.

    Free text is grouped as people type it differently: flights in capitals with
    single spaces ("qv  512" is "QV 512"), hotels and dietary needs regardless of
    case, under the first spelling met.
    """
    report = LogisticsReport(emergency_contacts=[] if with_emergency_contacts else None)
    arrivals: dict[date | None, dict[str, list[Person]]] = defaultdict(lambda: defaultdict(list))
    departures: dict[date | None, dict[str, list[Person]]] = defaultdict(lambda: defaultdict(list))
    hotels: dict[str, list[Person]] = defaultdict(list)
    dietary: dict[str, list[Person]] = defaultdict(list)
    spellings: dict[str, str] = {}
    for registration in registrations:
        participant = registration.participant
        person = Person(participant.full_name, participant.delegation.name)
        report.total += 1
        arrivals[registration.arrival_date][_flight(registration.arrival_flight)].append(person)
        departures[registration.departure_date][_flight(registration.departure_flight)].append(
            person
        )
        hotels[_label(registration.accommodation, spellings)].append(person)
        if registration.dietary_needs.strip():
            dietary[_label(registration.dietary_needs, spellings)].append(person)
        if registration.accessibility_needs.strip():
            report.accessibility.append(
                Person(person.name, person.delegation, registration.accessibility_needs)
            )
        if report.emergency_contacts is not None:
            report.emergency_contacts.append(
                Person(person.name, person.delegation, registration.emergency_contact)
            )
    report.arrivals = _by_day(arrivals)
    report.departures = _by_day(departures)
    report.hotels = sorted(hotels.items(), key=lambda item: (item[0] == "", item[0].lower()))
    report.dietary = sorted(dietary.items(), key=lambda item: (-len(item[1]), item[0].lower()))
    return report


def _flight(text: str) -> str:
    return " ".join(text.split()).upper()


def _label(text: str, spellings: dict[str, str]) -> str:
    """Free text trimmed, inner spaces collapsed, under its first spelling (any case)."""
    text = " ".join(text.split())
    return spellings.setdefault(text.casefold(), text)


def _by_day(
    groups: dict[date | None, dict[str, list[Person]]],
) -> list[tuple[date | None, list[tuple[str, list[Person]]]]]:
    return [
        (day, sorted(groups[day].items(), key=lambda item: (item[0] == "", item[0])))
        for day in sorted(groups, key=lambda day: (day is None, day or date.min))
    ]


def pilot_cities_for(delegation: Delegation) -> QuerySet[PilotCity]:
    """The pilot cities a participant of ``delegation`` may represent, with their
    country: a member state's delegation its own cities, any other delegation any city."""
    cities = PilotCity.objects.select_related("country").order_by("name")
    if delegation.country_id:
        cities = cities.filter(country_id=delegation.country_id)
    return cities
