"""Documents of a meeting's delegations: the participant list as a PDF."""

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor
from ascn_portal.core.documents import request_document
from ascn_portal.core.enums import DocumentKind
from ascn_portal.core.models import GeneratedDocument
from delegations import queries
from delegations.enums import SEATED
from delegations.models import Delegation, Participant
from meetings.models import Meeting

# --- Participant list ---------------------------------------------------------------------


def request_participant_list(meeting: Meeting, *, actor: Actor) -> GeneratedDocument:
    """Ask for the meeting's participant list as a PDF, by delegation in ASEAN order.

    Lists everyone nominated, invited or registered. Side effects: a pending
    GeneratedDocument (rendered in the background), an audit entry.
    """
    delegations = []
    for delegation in Delegation.objects.filter(meeting=meeting).prefetch_related(
        Prefetch(
            "participants",
            queryset=Participant.objects.filter(status__in=SEATED)
            .select_related("organisation")
            .order_by("full_name"),
        )
    ):
        people = [
            [
                f"{p.honorific} {p.full_name}".strip(),
                p.position,
                p.organisation.name if p.organisation else "",
                str(p.get_role_display()),
                str(p.get_status_display()),
            ]
            for p in delegation.participants.all()
        ]
        if people:
            delegations.append({"name": delegation.name, "people": people})
    return request_document(
        meeting,
        kind=DocumentKind.PARTICIPANT_LIST,
        title=_("Participants of the %(meeting)s") % {"meeting": meeting.title},
        template_name="pdf/delegations/participant_list.html",
        context={
            "meeting": meeting.title,
            "place": f"{meeting.host_city}, {meeting.host_country.local_name}",
            "delegations": delegations,
            "time_zone": meeting.time_zone,
        },
        view_permission="delegations.manage_all",
        actor=actor,
        language=getattr(actor, "language", "en"),
    )


# --- Logistics report ---------------------------------------------------------------------


def request_logistics_report(
    meeting: Meeting,
    *,
    delegation: Delegation | None = None,
    with_emergency_contacts: bool,
    actor: Actor,
) -> GeneratedDocument:
    """Ask for the meeting's logistics report as a PDF: arrivals and departures by day
    and flight, hotels, dietary and accessibility needs, and, with
    ``with_emergency_contacts`` (the secretariat's copy, which only the secretariat may
    open), emergency contacts. Side effects: a pending GeneratedDocument (rendered in
    the background), an audit entry.
    """
    report = queries.logistics_report(
        queries.logistics_registrations(meeting, delegation=delegation),
        with_emergency_contacts=with_emergency_contacts,
    )
    return request_document(
        meeting,
        kind=DocumentKind.REPORT,
        title=_("Logistics of the %(meeting)s") % {"meeting": meeting.title}
        + (f" ({delegation.name})" if delegation is not None else ""),
        template_name="pdf/delegations/logistics.html",
        context={
            "meeting": meeting.title,
            "place": f"{meeting.host_city}, {meeting.host_country.name}",
            "delegation": delegation.name if delegation is not None else "",
            "report": _as_json(report),
        },
        view_permission=(
            "delegations.view_emergency_contacts"
            if with_emergency_contacts
            else "delegations.view_logistics"
        ),
        actor=actor,
        language=getattr(actor, "language", "en"),
    )


def _as_json(report: queries.LogisticsReport) -> dict[str, Any]:
    """The report as JSON data (dates as ISO text), the document's snapshot."""

    def people(group: list[queries.Person]) -> list[list[str]]:
        return [[person.name, person.delegation, person.detail] for person in group]

    def by_day(days: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "day": day.isoformat() if day else "",
                "flights": [
                    {"flight": flight, "people": people(group)} for flight, group in flights
                ],
            }
            for day, flights in days
        ]

    return {
        "total": report.total,
        "arrivals": by_day(report.arrivals),
        "departures": by_day(report.departures),
        "hotels": [{"name": name, "people": people(group)} for name, group in report.hotels],
        "dietary": [{"need": need, "people": people(group)} for need, group in report.dietary],
        "accessibility": people(report.accessibility),
        "emergency_contacts": people(report.emergency_contacts)
        if report.emergency_contacts is not None
        else None,
    }
