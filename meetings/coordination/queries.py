"""Reads of coordination sessions, minutes and action items that more than one page needs."""

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby
from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ascn_portal.accounts.models import User
from ascn_portal.core.models import AuditEntry
from meetings.agenda.models import Meeting
from meetings.coordination.enums import (
    ACTIVE_ACTION_STATUSES,
    PRESENT,
    ActionItemStatus,
    AttendanceStatus,
    CoordinationMode,
    CoordinationStatus,
)
from meetings.coordination.models import ActionItem, CoordinationSession, MinutesVersion

# Whoever looks: a person, or an anonymous visitor.
Viewer: TypeAlias = User | AnonymousUser

STATUS_ORDER = Case(
    When(status=ActionItemStatus.OPEN, then=Value(0)),
    When(status=ActionItemStatus.IN_PROGRESS, then=Value(1)),
    When(status=ActionItemStatus.DONE, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def sessions_of(meeting: Meeting, user: Viewer) -> QuerySet[CoordinationSession]:
    """The meeting's coordination sessions ``user`` may see, with what a list shows."""
    return (
        CoordinationSession.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("meeting", "convening_organisation", "chair", "minutes")
    )


def people_choices(session: CoordinationSession | None, viewer: Viewer) -> QuerySet[User]:
    """People who may be picked as chair, invitee, attendee or owner.

    The secretariat picks from every active account. A chair, who may look up no one
    else's account, picks from the people already tied to the session.
    """
    people: QuerySet[User] = User.objects.filter(is_active=True).only("pk", "full_name", "email")
    if viewer.has_perm("meetings.manage_coordination") or session is None or session.pk is None:
        return people.order_by("full_name", "email")
    invited = CoordinationSession.invited_people.through.objects.filter(
        coordinationsession=session
    ).values("user_id")
    attending = session.attendance.filter(person__isnull=False).values("person_id")
    owners = ActionItem.objects.filter(session__meeting=session.meeting_id).values(
        "owner_person_id"
    )
    return people.filter(
        Q(pk__in=invited)
        | Q(pk__in=attending)
        | Q(pk__in=owners)
        | Q(pk=session.chair_id)
        | Q(pk=viewer.pk)
    ).order_by("full_name", "email")


def local_today(meeting: Meeting, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(meeting.zone).date()


def mark_overdue(items: list[ActionItem], today: date) -> list[ActionItem]:
    """Set ``overdue`` on each item: open and due before ``today``."""
    for item in items:
        item.overdue = (
            item.status in ACTIVE_ACTION_STATUSES
            and item.due_date is not None
            and item.due_date < today
        )
    return items


def action_items_of(meeting: Meeting, user: Viewer) -> QuerySet[ActionItem]:
    """Action items of the meeting's sessions that ``user`` may see, open ones first."""
    items: QuerySet[ActionItem] = (
        ActionItem.objects.visible_to(user)
        .filter(session__meeting=meeting)
        .select_related("owner_person", "owner_organisation", "session", "agenda_point")
        .annotate(status_order=STATUS_ORDER)
        .order_by("status_order", F("due_date").asc(nulls_last=True), "pk")
    )
    return items


def board(
    items: Iterable[ActionItem], today: date
) -> list[tuple[str, str, list[tuple[str, list[ActionItem]]]]]:
    """``[(status, label, [(owner label, [items])])]``: by status, then by owner, each
    owner's items by due date; ``overdue`` set in the meeting's own date ``today``."""
    items = mark_overdue(list(items), today)
    columns: list[tuple[str, str, list[tuple[str, list[ActionItem]]]]] = []
    for status, group in groupby(items, key=lambda item: item.status):
        by_owner = sorted(group, key=lambda item: (item.owner_label.lower(), _due_key(item)))
        owners = [
            (owner, list(owned)) for owner, owned in groupby(by_owner, key=lambda i: i.owner_label)
        ]
        columns.append((status, str(ActionItemStatus(status).label), owners))
    return columns


def _due_key(item: ActionItem) -> tuple[bool, date | None, int]:
    return (item.due_date is None, item.due_date, item.pk)


def earlier_open_items(session: CoordinationSession) -> QuerySet[ActionItem]:
    """Open items recorded at the meeting's sessions that began before this one: a later
    session reviews them."""
    return (
        ActionItem.objects.filter(
            session__meeting=session.meeting_id,
            session__starts_at__lt=session.starts_at,
            status__in=ACTIVE_ACTION_STATUSES,
        )
        .select_related("owner_person", "owner_organisation", "session")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


# --- Dashboards ---------------------------------------------------------------------------


def sessions_for_dashboard(
    user: Viewer, *, limit: int = 5, now: datetime | None = None
) -> QuerySet[CoordinationSession]:
    """The sessions ``user`` may see that are coming up, soonest first, topped up with
    the most recent past ones when fewer are coming; ``is_past`` tells them apart."""
    now = now or timezone.now()
    is_past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0))
    sessions: QuerySet[CoordinationSession] = (
        CoordinationSession.objects.visible_to(user)
        .filter(status=CoordinationStatus.SCHEDULED)
        .select_related("meeting")
        .annotate(is_past=is_past)
        .order_by(
            "is_past",
            Case(When(ends_at__gte=now, then=F("starts_at"))).asc(),
            F("starts_at").desc(),
            "pk",
        )[:limit]
    )
    return sessions


def my_open_items(
    user: User, *, limit: int = 10, now: datetime | None = None
) -> tuple[list[ActionItem], int]:
    """``(items, total)``: the person's open action items, soonest due first."""
    items = list(
        ActionItem.objects.filter(owner_person=user, status__in=ACTIVE_ACTION_STATUSES)
        .select_related("session__meeting", "owner_organisation", "owner_person")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    for item in items:
        mark_overdue([item], local_today(item.session.meeting, now))
    return items[:limit], len(items)


def overdue_items(
    user: Viewer, *, limit: int = 10, now: datetime | None = None
) -> tuple[list[ActionItem], int]:
    """``(items, total)``: open items past their due date in their meeting's zone."""
    now = now or timezone.now()
    # No zone is more than a day ahead of UTC: nothing due later can be overdue anywhere.
    candidates = (
        ActionItem.objects.visible_to(user)
        .filter(status__in=ACTIVE_ACTION_STATUSES, due_date__lt=now.date() + timedelta(days=1))
        .select_related("session__meeting", "owner_organisation", "owner_person")
        .order_by("due_date", "pk")
    )
    overdue = [
        item
        for item in candidates
        if mark_overdue([item], local_today(item.session.meeting, now))[0].overdue
    ]
    return overdue[:limit], len(overdue)


# --- The record of a meeting ------------------------------------------------------------


def when_label(start: datetime, end: datetime) -> str:
    """Day and clock times of a session in its zone; both days when it spans several."""
    if start.date() == end.date():
        return f"{date_format(start, 'l j F Y')}, {start:%H:%M}–{end:%H:%M}"
    return (
        f"{date_format(start, 'l j F Y')}, {start:%H:%M} – "
        f"{date_format(end, 'l j F Y')}, {end:%H:%M}"
    )


def session_when(
    session: CoordinationSession, viewer_zone: tzinfo | None = None
) -> tuple[str, str | None]:
    """``(when, own)``: the session's dates and times in its zone, and in the viewer's
    zone when the clock there differs at that moment (else None)."""
    when = when_label(session.local_start, session.local_end)
    if viewer_zone is None:
        return when, None
    own_start = session.starts_at.astimezone(viewer_zone)
    if own_start.utcoffset() == session.local_start.utcoffset():
        return when, None
    return when, when_label(own_start, session.ends_at.astimezone(viewer_zone))


def minutes_record(version: MinutesVersion) -> dict[str, Any]:
    """A published version as the reader and the PDF show it, in the active language.

    Paragraphs are numbered through the whole record, as in an ASEAN Record of
    Meeting: each block of discussion and each decision is one numbered paragraph.
    """
    content = version.content
    data = content["session"]
    zone_name = data["time_zone"]
    start = _local(data["starts_at"], zone_name)
    end = _local(data["ends_at"], zone_name)
    number = 0
    points = []
    for point in content["points"]:
        paragraphs = []
        for text in point["discussion"]:
            number += 1
            paragraphs.append({"number": number, "text": text})
        decisions = []
        for text in point["decisions"]:
            number += 1
            decisions.append({"number": number, "text": text})
        points.append(
            {
                "number": point["number"],
                "title": point["title"],
                "paragraphs": paragraphs,
                "decisions": decisions,
            }
        )
    return {
        "meeting": data["meeting"],
        "title": data["title"],
        "purpose": data["purpose"],
        "when": when_label(start, end),
        "time_zone": zone_name,
        "mode": str(CoordinationMode(data["mode"]).label),
        "place": data["place"],
        "video_link": data["video_link"],
        "convened_by": data["convening_organisation"],
        "chair": data["chair"],
        "version": version.number,
        "published_on": date_format(version.published_at.astimezone(start.tzinfo), "j F Y, H:i T"),
        "correction_note": version.correction_note,
        "approved_by": content.get("approved_by", ""),
        "present": _present_by_organisation(content["attendance"]),
        "excused": _names(content["attendance"], AttendanceStatus.EXCUSED),
        "absent": _names(content["attendance"], AttendanceStatus.ABSENT),
        "points": points,
        "action_items": [_item_row(item) for item in content["action_items"]],
        "earlier_items": [_item_row(item) for item in content["earlier_items"]],
    }


def _local(iso: str, zone_name: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(zoneinfo.ZoneInfo(zone_name))


def _present_by_organisation(attendance: list[dict[str, Any]]) -> list[dict[str, Any]]:
    present = [row for row in attendance if row["status"] in PRESENT]
    present.sort(key=lambda row: (not row["organisation"], row["organisation"], row["name"]))
    return [
        {
            "organisation": organisation or _("Other participants"),
            "people": [
                {"name": row["name"], "status": str(AttendanceStatus(row["status"]).label)}
                for row in rows
            ],
        }
        for organisation, rows in groupby(present, key=lambda row: row["organisation"])
    ]


def _names(attendance: list[dict[str, Any]], status: str) -> list[str]:
    return [
        f"{row['name']} ({row['organisation']})" if row["organisation"] else row["name"]
        for row in attendance
        if row["status"] == status
    ]


def _item_row(item: dict[str, Any]) -> dict[str, Any]:
    due = item["due_date"]
    return {
        **item,
        "due": date_format(datetime.fromisoformat(due).date(), "j M Y") if due else "–",
        "status_label": str(ActionItemStatus(item["status"]).label),
    }


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an action item: when, by whom, what (in words) and the note."""

    when: datetime
    who: str
    summary: str
    note: str


def item_history(item: ActionItem) -> list[HistoryEntry]:
    """Who changed the item and when, newest first, from its audit entries."""
    entries = (
        AuditEntry.objects.filter(
            object_type=ContentType.objects.get_for_model(ActionItem), object_id=str(item.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    history = []
    for entry in entries:
        data = entry.data or {}
        if entry.action == "meetings.action_item.status":
            summary = _("status: %(before)s → %(after)s") % {
                "before": _status_label(data.get("from")),
                "after": _status_label(data.get("to")),
            }
        elif entry.action == "meetings.action_item.create":
            summary = _("recorded")
        else:
            summary = _("edited")
        who = entry.actor.display_name if entry.actor is not None else _("the portal")
        history.append(HistoryEntry(entry.created_at, who, summary, data.get("note", "")))
    return history


def _status_label(value: Any) -> str:
    return str(ActionItemStatus(value).label) if value in ActionItemStatus.values else "–"
