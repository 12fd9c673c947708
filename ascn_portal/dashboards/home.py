"""One home page per person, made of their hats.

Each hat (hats.py) brings a section of what the person follows, and the steps that
wait for them go into one list, "what is next for you", each with its date and a
link to where the work is done. A section's query runs only for someone wearing its
hat, so the page costs a fixed number of queries however many meetings, panels or
items a person has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ascn_portal.dashboards.work_queue import work_queue
from delegations import queries as delegation_queries
from delegations.enums import SEATED, ParticipantStatus, RosterStatus
from delegations.models import Delegation
from delegations.rules import is_host_delegation
from meetings.agenda.hats import Hat, PersonHats, hats_of
from meetings.coordination import queries as coordination_queries
from meetings.models import Meeting
from meetings.register import queries as register_queries
from panels import queries as panel_queries
from panels.slides import due_text
from pilots.models import PilotCity

RECENT_MEETINGS = 5
LIST_SIZE = 10


@dataclass(frozen=True)
class Step:
    """Something waiting for the person: what, by when, and where to do it."""

    when: date | None
    text: str
    url: str
    overdue: bool = False
    done: bool = False

    @property
    def sort_key(self):
        # Overdue first, then by date (soonest first), undated last.
        return (not self.overdue, self.when is None, self.when or date.max, self.text)


def home_context(user, *, now=None) -> dict:
    """Everything the home page shows for ``user``: sections per hat and the steps."""
    now = now or timezone.now()
    hats = hats_of(user)
    is_staff = user.has_perm("meetings.manage_meeting")
    steps: list[Step] = []
    context: dict = {"hats": hats, "is_secretariat": is_staff}

    meetings = Meeting.objects.visible_to(user).select_related("host_country")
    context["recent_meetings"] = recent = list(meetings[:RECENT_MEETINGS])
    # The meetings a person is part of; the secretariat follows the recent ones too.
    followed = {*hats.meeting_ids, *(meeting.pk for meeting in recent if is_staff)}
    context["new_documents"] = register_queries.new_documents_for(
        user, meeting_ids=sorted(followed)
    )[:RECENT_MEETINGS]

    if hats.anywhere(Hat.PARTICIPANT):
        participations = list(
            delegation_queries.participations_of(user).filter(status__in=SEATED)[:LIST_SIZE]
        )
        context["participations"] = participations
        steps += _participant_steps(participations, now)
    if hats.anywhere(Hat.NATIONAL_REPRESENTATIVE):
        delegations = list(
            delegation_queries.delegations_with_counts(user)
            .filter(national_representative=user)
            .order_by("-meeting__start_date", "name")[:LIST_SIZE]
        )
        context["delegations"] = delegations
        context["hosting"] = {d.pk for d in delegations if is_host_delegation(d)}
        steps += _nr_steps(delegations, now)
    if hats.anywhere(Hat.MODERATOR):
        panels = list(panel_queries.moderated_panels(user).filter(moderator=user)[:LIST_SIZE])
        context["panels"] = panels
        steps += _moderator_steps(panels, now)
    if hats.anywhere(Hat.SPEAKER):
        engagements = list(panel_queries.speaking_engagements(user)[:LIST_SIZE])
        context["engagements"] = engagements
        steps += _speaker_steps(engagements, now)
    if hats.focal_cities:
        context["cities"] = list(
            PilotCity.objects.filter(pk__in=[row.object_id for row in hats.focal_cities])
            .select_related("country")
            .order_by("name")
        )
    if is_staff or _follows_coordination(hats):
        sessions = list(coordination_queries.sessions_for_dashboard(user, now=now))
        context["coordination_sessions"] = sessions
        # ``is_past`` is annotated by the query.
        coming = [session for session in sessions if not getattr(session, "is_past", False)]
        if coming:
            steps.append(_session_step(coming[0]))
    if hats.anywhere(Hat.ACTION_OWNER):
        items, total = coordination_queries.my_open_items(user, limit=LIST_SIZE, now=now)
        context.update(my_action_items=items, my_action_items_total=total)
        steps += [_item_step(item, user) for item in items]
    if is_staff:
        overdue, overdue_total = coordination_queries.overdue_items(user, limit=LIST_SIZE, now=now)
        waiting = list(
            Delegation.objects.filter(roster_status=RosterStatus.APPROVED)
            .select_related("meeting")
            .order_by("meeting__start_date", "name")[:LIST_SIZE]
        )
        context.update(overdue_items=overdue, overdue_total=overdue_total, awaiting=waiting)
        steps += [
            _confirm_step(delegation)
            for delegation in waiting
            if not _is_over(delegation.meeting, now)
        ]
        context["work_queue_template"] = _work_queue_template()
        context.update(work_queue(now=now))
    context["steps"] = sorted(steps, key=lambda step: step.sort_key)
    context["has_hats"] = bool(hats) or is_staff
    return context


def _is_over(meeting, now) -> bool:
    """A meeting whose last day has passed, in its own zone: nothing is next there."""
    return meeting.end_date < now.astimezone(meeting.zone).date()


def _follows_coordination(hats: PersonHats) -> bool:
    return any(hats.anywhere(kind) for kind in (Hat.COORDINATION_CHAIR, Hat.COORDINATION_INVITEE))


def _participant_steps(participations, now):
    steps = []
    for participant in participations:
        meeting = participant.delegation.meeting
        if _is_over(meeting, now):
            continue
        url = reverse("delegations:registration", args=[participant.pk])
        if participant.status == ParticipantStatus.REGISTERED:
            steps.append(
                Step(
                    meeting.start_date,
                    _("You are registered for the %(meeting)s; your agenda is ready.")
                    % {"meeting": meeting.title},
                    reverse("meetings:my_agenda", args=[meeting.number]),
                    done=True,
                )
            )
            continue
        closes = meeting.registration_closes
        local_today = now.astimezone(meeting.zone).date()
        if closes is not None and closes < local_today:
            continue  # registration closed: nothing left to do here
        steps.append(
            Step(
                closes,
                _("Register for the %(meeting)s by %(date)s.")
                % {"meeting": meeting.title, "date": _day(closes)}
                if closes
                else _("Register for the %(meeting)s.") % {"meeting": meeting.title},
                url,
            )
        )
    return steps


def _nr_steps(delegations, now):
    steps = []
    for delegation in delegations:
        meeting = delegation.meeting
        if _is_over(meeting, now):
            continue
        if delegation.roster_status in (RosterStatus.DRAFT, RosterStatus.RETURNED):
            text = (
                _("The secretariat returned the roster of %(delegation)s; change and approve it.")
                if delegation.roster_status == RosterStatus.RETURNED
                else _("Nominate and approve the delegation of %(delegation)s to the %(meeting)s.")
            ) % {"delegation": delegation.name, "meeting": meeting.title}
            steps.append(Step(meeting.registration_closes, text, delegation.get_absolute_url()))
    return steps


def _moderator_steps(panels, now):
    steps = []
    for panel in panels:
        if panel.brief_locked_at is not None or _is_over(panel.conference.meeting, now):
            continue
        session = panel.agenda_session
        steps.append(
            Step(
                session.starts_at.astimezone(panel.conference.meeting.zone).date()
                if session
                else None,
                _("Prepare the brief of %(panel)s.") % {"panel": panel},
                reverse("panels:composer", args=[panel.pk]),
            )
        )
    return steps


def _speaker_steps(engagements, now):
    steps = []
    for speaker in engagements:
        panel = speaker.panel
        if _is_over(panel.conference.meeting, now):
            continue
        url = reverse("panels:points", args=[panel.pk])
        points = getattr(speaker, "points", None)
        if speaker.confirmed_at is None:
            steps.append(
                Step(
                    panel.points_due,
                    _("Confirm that you speak on %(panel)s.") % {"panel": panel},
                    url,
                )
            )
        if panel.brief_locked_at is None and (points is None or points.submitted_at is None):
            due = panel.points_due
            today = now.astimezone(panel.conference.meeting.zone).date()
            steps.append(
                Step(
                    due,
                    _("Submit your talking points for %(panel)s by %(date)s.")
                    % {"panel": panel, "date": _day(due)}
                    if due
                    else _("Submit your talking points for %(panel)s.") % {"panel": panel},
                    url,
                    overdue=due is not None and due < today,
                )
            )
        slides_due = panel.slides_due
        if slides_due is not None and speaker.slides_id is None and now < slides_due:
            steps.append(
                Step(
                    slides_due.astimezone(panel.conference.meeting.zone).date(),
                    _("Upload your slides for %(panel)s by %(due)s.")
                    % {"panel": panel, "due": due_text(panel)},
                    reverse("panels:slides", args=[panel.pk, speaker.pk]),
                )
            )
    return steps


def _session_step(session):
    return Step(
        session.local_start.date(),
        _("Next coordination session: %(title)s, %(when)s (%(zone)s).")
        % {
            "title": session.title,
            "when": session.local_start.strftime("%H:%M"),
            "zone": session.time_zone,
        },
        session.get_absolute_url(),
    )


def _item_step(item, user):
    meeting = item.session.meeting
    return Step(
        item.due_date,
        _("Action item: %(title)s.") % {"title": item.title},
        reverse("meetings:action_detail", args=[meeting.number, item.pk]),
        overdue=item.overdue,
    )


def _confirm_step(delegation):
    return Step(
        delegation.meeting.registration_closes,
        _("Confirm the roster of %(delegation)s for the %(meeting)s.")
        % {"delegation": delegation.name, "meeting": delegation.meeting.title},
        delegation.get_absolute_url(),
    )


# The secretariat's work queue (issue 13) is a partial of its own, with its own queries;
# the home page includes it once it exists.
WORK_QUEUE_TEMPLATE = "dashboards/partials/work_queue.html"


def _work_queue_template():
    try:
        get_template(WORK_QUEUE_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return WORK_QUEUE_TEMPLATE


def _day(value):
    return date_format(value, "j F Y")
