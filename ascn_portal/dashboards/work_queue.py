"""The secretariat's work queue: what waits for it across every meeting, counted per
meeting, each line linking to where the work is done; the state of the coming
meeting's delegations and panels; and its registrations against quotas as a chart.

Each kind of work is one aggregating query, so the queue costs the same number of
queries with ten participants or two thousand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import ngettext

from ascn_portal.core.enums import DocumentStatus, MailStatus
from ascn_portal.core.models import GeneratedDocument, OutgoingMail
from delegations.enums import SEATED, ParticipantStatus, RosterStatus
from delegations.models import ASEAN_ORDER, Delegation, Participant, Registration
from meetings.coordination.enums import ACTIVE_ACTION_STATUSES, MinutesStatus
from meetings.models import ActionItem, Meeting, Minutes
from panels.models import Panel

# Registration still open this many days before it closes is worth a reminder.
REGISTRATION_WARNING_DAYS = 3
# A panel's brief should be locked this long before the panel.
BRIEF_LOCK_DAYS = 7
FAILED_DOCUMENTS_SHOWN = 5


@dataclass(frozen=True)
class Task:
    kind: str
    text: str
    count: int
    url: str


@dataclass
class MeetingQueue:
    meeting: Meeting
    tasks: list[Task] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(task.count for task in self.tasks)


@dataclass(frozen=True)
class QuotaBar:
    """One delegation's row of the chart: registered and seated against the quota."""

    label: str
    quota: int
    seated: int
    registered: int
    y: int
    text_y: int
    quota_width: int
    seated_width: int
    registered_width: int


@dataclass(frozen=True)
class QuotaChart:
    bars: list[QuotaBar]
    width: int
    height: int
    bar_x: int
    label_x: int
    value_x: int
    bar_height: int


CHART_WIDTH = 640
CHART_LABEL_WIDTH = 190
CHART_VALUE_ROOM = 110
CHART_ROW = 30
CHART_BAR = 20
CHART_PADDING = 8


def work_queue(*, now: datetime) -> dict:
    """The secretariat's part of the home page: ``work_queue`` (per meeting),
    ``failed_mails``, ``failed_documents``, ``focus_meeting`` with its
    ``delegation_summary``, ``panel_summary`` and ``quota_chart``."""
    queues: dict[int, MeetingQueue] = {}
    counts: dict[int, list[tuple[str, int, str]]] = defaultdict(list)

    for row in (
        Delegation.objects.filter(roster_status=RosterStatus.APPROVED)
        .values("meeting")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["meeting"]].append(("rosters", row["n"], ""))
    for row in (
        Participant.objects.filter(
            late_nominated_at__isnull=False, late_confirmed_at__isnull=True, status__in=SEATED
        )
        .values("delegation__meeting")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["delegation__meeting"]].append(("late", row["n"], ""))
    # Unregistered people of meetings whose registration closes within the next days
    # (the exact day is checked in the meeting's own zone below).
    for row in (
        Participant.objects.filter(
            status__in=[ParticipantStatus.NOMINATED, ParticipantStatus.INVITED],
            delegation__meeting__registration_closes__gte=now.date() - timedelta(days=1),
            delegation__meeting__registration_closes__lte=now.date()
            + timedelta(days=REGISTRATION_WARNING_DAYS + 1),
        )
        .values("delegation__meeting")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["delegation__meeting"]].append(("closing", row["n"], ""))
    for row in (
        Minutes.objects.filter(status=MinutesStatus.DRAFT, session__ends_at__lt=now)
        .values("session__meeting")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["session__meeting"]].append(("minutes", row["n"], ""))
    for row in (
        Panel.objects.filter(
            brief_locked_at__isnull=True,
            agenda_session__starts_at__gte=now,
            agenda_session__starts_at__lte=now + timedelta(days=BRIEF_LOCK_DAYS),
        )
        .values("conference__meeting")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["conference__meeting"]].append(("briefs", row["n"], ""))
    # Overdue by the meeting's own date: grouped by due date, compared below.
    overdue: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for row in (
        ActionItem.objects.filter(
            status__in=ACTIVE_ACTION_STATUSES, due_date__lt=now.date() + timedelta(days=1)
        )
        .values("session__meeting", "due_date")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        overdue[row["session__meeting"]].append((row["due_date"], row["n"]))

    meetings = {
        meeting.pk: meeting
        for meeting in Meeting.objects.filter(pk__in=set(counts) | set(overdue)).select_related(
            "host_country"
        )
    }
    for meeting_pk, meeting in meetings.items():
        today = now.astimezone(meeting.zone).date()
        queue = MeetingQueue(meeting)
        for kind, count, _unused in counts.get(meeting_pk, []):
            if kind == "closing" and not _closes_soon(meeting, today):
                continue
            queue.tasks.append(_task(kind, count, meeting))
        late_items = sum(n for due, n in overdue.get(meeting_pk, []) if due < today)
        if late_items:
            queue.tasks.append(_task("overdue", late_items, meeting))
        if queue.tasks:
            queue.tasks.sort(key=lambda task: _ORDER.index(task.kind))
            queues[meeting_pk] = queue

    failed_documents = list(
        GeneratedDocument.objects.filter(status=DocumentStatus.FAILED)
        .only("pk", "title", "version", "kind")
        .order_by("-pk")[: FAILED_DOCUMENTS_SHOWN + 1]
    )
    context = {
        "work_queue": sorted(queues.values(), key=lambda q: q.meeting.start_date),
        "failed_mails": OutgoingMail.objects.filter(status=MailStatus.FAILED).count(),
        "failed_documents": failed_documents[:FAILED_DOCUMENTS_SHOWN],
        "more_failed_documents": len(failed_documents) > FAILED_DOCUMENTS_SHOWN,
    }
    context.update(_focus(now))
    return context


_ORDER = ["rosters", "late", "closing", "minutes", "briefs", "overdue"]


def _closes_soon(meeting: Meeting, today: date) -> bool:
    closes = meeting.registration_closes
    return closes is not None and 0 <= (closes - today).days <= REGISTRATION_WARNING_DAYS


def _task(kind: str, count: int, meeting: Meeting) -> Task:
    number = meeting.number
    if kind == "rosters":
        text = ngettext(
            "%(count)s roster waits for your confirmation",
            "%(count)s rosters wait for your confirmation",
            count,
        )
        url = _with_query(reverse("delegations:list"), meeting=meeting.pk)
    elif kind == "late":
        text = ngettext(
            "%(count)s late nomination waits for your confirmation",
            "%(count)s late nominations wait for your confirmation",
            count,
        )
        url = _with_query(reverse("delegations:participants"), meeting=meeting.pk, awaiting="on")
    elif kind == "closing":
        text = ngettext(
            "%(count)s person has not registered, and registration closes on %(date)s",
            "%(count)s people have not registered, and registration closes on %(date)s",
            count,
        )
        url = _with_query(reverse("delegations:participants"), meeting=meeting.pk)
    elif kind == "minutes":
        text = ngettext(
            "%(count)s session's minutes are drafted but not approved",
            "%(count)s sessions' minutes are drafted but not approved",
            count,
        )
        url = reverse("meetings:coordination_list", args=[number])
    elif kind == "briefs":
        text = ngettext(
            "%(count)s panel brief is not locked a week before its panel",
            "%(count)s panel briefs are not locked a week before their panels",
            count,
        )
        url = reverse("panels:list", args=[number])
    else:
        text = ngettext(
            "%(count)s action item is overdue",
            "%(count)s action items are overdue",
            count,
        )
        url = reverse("meetings:action_board", args=[number])
    closes = meeting.registration_closes
    text = text % {"count": count, "date": date_format(closes, "j F Y") if closes else ""}
    return Task(kind, text, count, url)


def _with_query(url: str, **params: object) -> str:
    return f"{url}?{urlencode(params)}"


# --- The coming meeting: its delegations, panels and registrations ------------------------


def _focus(now: datetime) -> dict:
    """The meeting the secretariat works towards: the next one not over, else the latest."""
    meeting = (
        Meeting.objects.filter(end_date__gte=now.date() - timedelta(days=1))
        .order_by("start_date")
        .first()
        or Meeting.objects.order_by("-start_date").first()
    )
    if meeting is None:
        return {"focus_meeting": None}
    delegations: list[Any] = list(_delegation_counts(meeting))
    panels = Panel.objects.filter(conference__meeting=meeting).aggregate(
        panels=Count("pk", distinct=True),
        locked=Count("pk", filter=Q(brief_locked_at__isnull=False), distinct=True),
        speakers=Count("speakers", distinct=True),
    )
    return {
        "focus_meeting": meeting,
        "delegation_summary": {
            "delegations": len(delegations),
            "quota": sum(d.quota for d in delegations),
            "seated": sum(d.seated for d in delegations),
            "registered": sum(d.registered for d in delegations),
            "confirmed": sum(1 for d in delegations if d.roster_status == RosterStatus.CONFIRMED),
        },
        "panel_summary": panels,
        "quota_chart": quota_chart(delegations) if delegations else None,
        "registration_chart": (
            registration_chart(meeting, sum(d.quota for d in delegations), now)
            if delegations
            else None
        ),
        "quota_rows": delegations,
    }


def _delegation_counts(meeting: Meeting) -> QuerySet[Delegation]:
    return (
        Delegation.objects.filter(meeting=meeting)
        .select_related("country")
        .annotate(
            seated=Count("participants", filter=Q(participants__status__in=SEATED)),
            registered=Count(
                "participants", filter=Q(participants__status=ParticipantStatus.REGISTERED)
            ),
        )
        .order_by(*ASEAN_ORDER)
    )


def quota_chart(delegations: list[Any]) -> QuotaChart:
    """Per delegation, its quota as a track, the seats taken and the people registered
    as bars over it, all on one scale (the largest quota or head count)."""
    top = max(max(d.quota, d.seated) for d in delegations) or 1
    span = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_ROOM
    bars = []
    for index, delegation in enumerate(delegations):
        y = CHART_PADDING + index * CHART_ROW
        bars.append(
            QuotaBar(
                label=delegation.name,
                quota=delegation.quota,
                seated=delegation.seated,
                registered=delegation.registered,
                y=y,
                text_y=y + CHART_BAR - 5,
                quota_width=round(delegation.quota * span / top),
                seated_width=round(delegation.seated * span / top),
                registered_width=round(delegation.registered * span / top),
            )
        )
    return QuotaChart(
        bars=bars,
        width=CHART_WIDTH,
        height=2 * CHART_PADDING + len(bars) * CHART_ROW,
        bar_x=CHART_LABEL_WIDTH,
        label_x=CHART_LABEL_WIDTH - 8,
        value_x=CHART_WIDTH - CHART_VALUE_ROOM + 8,
        bar_height=CHART_BAR,
    )


# --- Registrations over time, towards the deadline ---------------------------------------

TIMELINE_WIDTH = 640
TIMELINE_HEIGHT = 200
TIMELINE_LEFT = 48
TIMELINE_RIGHT = 16
TIMELINE_TOP = 16
TIMELINE_BOTTOM = 32
# Without an opening date, the chart starts this long before the deadline.
TIMELINE_DEFAULT_DAYS = 30


@dataclass(frozen=True)
class RegistrationChart:
    """The meeting's registrations counted up day by day, against the seats offered,
    from the opening of registration to its deadline."""

    points: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    quota: int
    quota_y: int
    registered: int
    first_day: date
    last_day: date
    today_x: int | None
    days: list[tuple[date, int]]


def registration_chart(meeting: Meeting, quota: int, now: datetime) -> RegistrationChart:
    """Registrations of people still registered, by the day their form was first sent
    (in the meeting's zone), counted up: one query."""
    per_day = dict(
        Registration.objects.filter(
            participant__delegation__meeting=meeting,
            participant__status=ParticipantStatus.REGISTERED,
        )
        .annotate(day=TruncDate("created_at", tzinfo=meeting.zone))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    last_day = meeting.registration_closes or meeting.start_date
    first_day = meeting.registration_opens or min(
        [last_day - timedelta(days=TIMELINE_DEFAULT_DAYS), *per_day]
    )
    first_day = min(first_day, last_day)
    span_days = max((last_day - first_day).days, 1)
    before = sum(n for day, n in per_day.items() if day < first_day)
    registered = sum(per_day.values())
    top = max(quota, registered, 1)
    inner_width = TIMELINE_WIDTH - TIMELINE_LEFT - TIMELINE_RIGHT
    inner_height = TIMELINE_HEIGHT - TIMELINE_TOP - TIMELINE_BOTTOM
    base = TIMELINE_TOP + inner_height

    def x(day: date) -> int:
        return TIMELINE_LEFT + round((day - first_day).days * inner_width / span_days)

    def y(count: int) -> int:
        return base - round(count * inner_height / top)

    today = now.astimezone(meeting.zone).date()
    shown_until = min(today, last_day)
    # A step line: flat between days, rising on each day that brought registrations.
    total = before
    days: list[tuple[date, int]] = []
    points = [f"{x(first_day)},{y(total)}"]
    for day in sorted(d for d in per_day if first_day <= d <= shown_until):
        points.append(f"{x(day)},{y(total)}")
        total += per_day[day]
        days.append((day, total))
        points.append(f"{x(day)},{y(total)}")
    if shown_until >= first_day:
        points.append(f"{x(shown_until)},{y(total)}")
    return RegistrationChart(
        points=" ".join(points),
        width=TIMELINE_WIDTH,
        height=TIMELINE_HEIGHT,
        left=TIMELINE_LEFT,
        right=TIMELINE_WIDTH - TIMELINE_RIGHT,
        top=TIMELINE_TOP,
        bottom=base,
        quota=quota,
        quota_y=y(quota),
        registered=registered,
        first_day=first_day,
        last_day=last_day,
        today_x=x(today) if first_day <= today <= last_day else None,
        days=days,
    )
