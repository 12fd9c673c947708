"""What an outcome report holds, gathered from the meeting when a version is compiled.

Delegations and panels sit above meetings (DESIGN.md), so their rows are reached here by
relation names in queries (``meeting.delegations``, ``meeting.conference``), never by
importing those apps. Everything is returned as JSON data: the snapshot a version keeps.
"""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F, Prefetch, Q
from django.utils.formats import date_format, number_format

from meetings.agenda.models import Meeting
from meetings.agenda.queries import agenda_booklet
from meetings.coordination.enums import ActionItemStatus
from meetings.coordination.models import MinutesVersion
from meetings.register.enums import Distribution
from meetings.register.models import RegisteredDocument
from meetings.report.models import OutcomeReport
from pilots.enums import ProjectStatus
from pilots.models import PartnershipProject, ProgressUpdate

# The participant status that means "registered to attend" (delegations.enums): the
# closest the portal records to attendance at the annual meeting itself.
REGISTERED = "registered"

# The annex lists the documents a report meant for every participant may name: those
# distributed publicly or to all participants (not the National Representatives' own,
# nor those for named readers).
ANNEX_DISTRIBUTIONS = [Distribution.PUBLIC, Distribution.PARTICIPANTS]


def report_of(meeting: Meeting) -> OutcomeReport:
    """The meeting's report being written; an empty, unsaved one until the first save
    (reading a page writes nothing)."""
    return OutcomeReport.objects.filter(meeting=meeting).first() or OutcomeReport(meeting=meeting)


def cycle_of(meeting: Meeting) -> tuple[date | None, date]:
    """The cycle a meeting reports on: from the day after the previous annual meeting
    closed (none before the first meeting) to this meeting's last day, both included.
    A project "changed during the cycle" when it has a progress update dated within it."""
    previous = (
        Meeting.objects.filter(start_date__lt=meeting.start_date)
        .order_by("-start_date")
        .values_list("end_date", flat=True)
        .first()
    )
    return (previous + timedelta(days=1) if previous else None), meeting.end_date


def report_content(report: OutcomeReport) -> dict[str, Any]:
    """Every section of the report as JSON data, in the active language. Its query
    count does not grow with the meeting's sessions, delegations, panels or minutes."""
    meeting = report.meeting
    agenda = meeting.versions.order_by("-number").first()
    first, last = cycle_of(meeting)
    return {
        "introduction": _paragraphs(report.introduction),
        "conclusions": _paragraphs(report.conclusions),
        "agenda": agenda_booklet(meeting, agenda) if agenda else None,
        "meeting": {
            "title": meeting.title,
            "place": f"{meeting.host_city}, {meeting.host_country.local_name}",
            "dates": f"{date_format(meeting.start_date, 'j F Y')} – "
            f"{date_format(meeting.end_date, 'j F Y')}",
        },
        "time_zone": meeting.time_zone,
        "agenda_version": agenda.number if agenda else None,
        "attendance": attendance(meeting),
        "panels": panels(meeting),
        "minutes": minutes(meeting),
        "cycle": {
            "first": date_format(first, "j F Y") if first else "",
            "last": date_format(last, "j F Y"),
        },
        "projects": changed_projects(first, last),
        "documents": annex(meeting),
    }


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def attendance(meeting: Meeting) -> list[dict[str, Any]]:
    """Registered participants by delegation, in ASEAN order (member states by English
    short name, then the other delegations by name), with their count: one query."""
    rows = (
        meeting.delegations.filter(participants__status=REGISTERED)
        .order_by(
            F("country__is_asean_member").desc(nulls_last=True),
            F("country__name").asc(nulls_last=True),
            "name",
            "pk",
            "participants__full_name",
        )
        .values(
            "pk",
            "name",
            "participants__honorific",
            "participants__full_name",
            "participants__position",
            "participants__organisation__name",
        )
    )
    delegations: dict[int, dict[str, Any]] = {}
    for row in rows:
        delegation = delegations.setdefault(
            row["pk"], {"name": row["name"], "count": 0, "people": []}
        )
        delegation["count"] += 1
        delegation["people"].append(
            {
                "name": " ".join(
                    filter(None, [row["participants__honorific"], row["participants__full_name"]])
                ),
                "position": row["participants__position"],
                "organisation": row["participants__organisation__name"] or "",
            }
        )
    return list(delegations.values())


def panels(meeting: Meeting) -> list[dict[str, Any]]:
    """The conference's panels in number order, with objectives and outcome notes."""
    conference = getattr(meeting, "conference", None)
    if conference is None:
        return []
    return [
        {
            "number": panel.number,
            "title": panel.title,
            "moderator": panel.moderator.full_name if panel.moderator else "",
            "objectives": [objective.text for objective in panel.objectives.all()],
            "outcome": _paragraphs(panel.outcome_note),
        }
        for panel in conference.panels.select_related("moderator")
        .prefetch_related("objectives")
        .order_by("number")
    ]


def minutes(meeting: Meeting) -> list[dict[str, Any]]:
    """The latest published version of each coordination session's minutes (draft
    minutes never reach the report): its decisions and action items, by session start."""
    latest: dict[int, MinutesVersion] = {}
    for version in (
        MinutesVersion.objects.filter(session__meeting=meeting)
        .select_related("session")
        .order_by("session__starts_at", "session_id", "-number")
    ):
        latest.setdefault(version.session_id, version)
    labels = dict(ActionItemStatus.choices)
    return [
        {
            "session": version.session.title,
            "date": date_format(
                version.session.starts_at.astimezone(ZoneInfo(version.session.time_zone)),
                "j F Y",
            ),
            "version": version.number,
            "decisions": [
                decision
                for point in version.content.get("points", [])
                for decision in point.get("decisions", [])
            ],
            "action_items": [
                {
                    "title": item["title"],
                    "owner": item["owner"],
                    "due_date": item["due_date"] or "",
                    "status": str(labels.get(item["status"], item["status"])),
                }
                for item in version.content.get("action_items", [])
            ],
        }
        for version in latest.values()
    ]


def changed_projects(first: date | None, last: date) -> list[dict[str, Any]]:
    """Partnership projects with a progress update dated within the cycle, by member
    state and city, each with those updates in date order: two queries."""
    in_cycle = Q(date__lte=last) & (Q(date__gte=first) if first else Q())
    projects = (
        PartnershipProject.objects.filter(
            pk__in=ProgressUpdate.objects.filter(in_cycle).values("project_id")
        )
        .select_related("city__country", "partner")
        .prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.filter(in_cycle).order_by("date"))
        )
        .order_by("city__country__name", "city__name", "title")
    )
    labels = dict(ProjectStatus.choices)
    return [
        {
            "city": f"{project.city.name} ({project.city.country.name})",
            "title": project.title,
            "partner": project.partner.name,
            "value": f"{project.currency} {number_format(project.value, decimal_pos=2)}"
            if project.value is not None
            else "",
            "status": str(labels.get(project.status, project.status)),
            "updates": [
                {"date": date_format(update.date, "j F Y"), "note": update.note}
                for update in project.updates.all()
            ],
        }
        for project in projects
    ]


def annex(meeting: Meeting) -> list[dict[str, Any]]:
    """The register's documents for all participants, in symbol order: two queries."""
    documents = (
        RegisteredDocument.objects.filter(meeting=meeting, distribution__in=ANNEX_DISTRIBUTIONS)
        .select_related("meeting")
        .prefetch_related("files")
        .order_by("series", "number")
    )
    labels = dict(Distribution.choices)
    return [
        {
            "symbol": document.symbol,
            "title": document.title,
            "languages": sorted({file.language for file in document.files.all()}),
            "distribution": str(labels[document.distribution]),
        }
        for document in documents
    ]
