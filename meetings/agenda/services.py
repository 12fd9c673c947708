"""Writes on meetings and their agenda."""

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ascn_portal.accounts.models import User
from ascn_portal.core.actors import Actor, reply_to
from ascn_portal.core.audit import log_action
from ascn_portal.core.enums import DocumentKind
from ascn_portal.core.models import OutgoingMail
from ascn_portal.core.outbox import MailSpec, queue_mails
from ascn_portal.core.sites import absolute_url
from ascn_portal.core.tokens import new_token
from ascn_portal.core.versions import DocumentRequest, publish_version
from meetings.agenda import queries
from meetings.agenda.enums import MeetingStatus, Visibility
from meetings.agenda.hats import people_at
from meetings.agenda.models import AgendaSession, AgendaVersion, CalendarSubscription, Meeting, Room
from meetings.agenda.rules import levels_of
from meetings.register.enums import Distribution
from meetings.register.services import register_generated


def save_meeting(meeting: Meeting, *, rooms_formset: Any = None, actor: Actor) -> Meeting:
    """Create or update a meeting and its rooms in one transaction.

    Raises ValidationError when someone else took the meeting's number or one of the
    room names meanwhile (a form loaded before their change): nothing is saved. Side
    effects: the Meeting row, its Room rows, an audit entry.
    """
    created = meeting.pk is None
    try:
        with transaction.atomic():
            meeting.save()
            if rooms_formset is not None:
                rooms_formset.instance = meeting
                rooms_formset.save()
            log_action(
                meeting,
                "meetings.meeting.create" if created else "meetings.meeting.update",
                actor=actor,
                data={"number": meeting.number},
            )
    except IntegrityError as exc:
        if created:
            meeting.pk = None
        raise ValidationError(
            _(
                "Someone saved this meeting or its rooms meanwhile, and a meeting number "
                "or a room name is now taken. Reload the page to see their change."
            )
        ) from exc
    return meeting


def date_warnings(meeting: Meeting, *, now: datetime | None = None) -> list[str]:
    """What looks wrong, though allowed, about a meeting's dates by its own calendar: a
    first day or a registration window already in the past (a copied year, say)."""
    today = (now or timezone.now()).astimezone(meeting.zone).date()
    warnings = []
    if meeting.start_date < today:
        warnings.append(
            _("The meeting's first day, %(date)s, is in the past.")
            % {"date": date_format(meeting.start_date, "j F Y")}
        )
    closes = meeting.registration_closes
    if closes is not None and closes < today and meeting.end_date >= today:
        warnings.append(
            _(
                "Registration closed on %(date)s, so no invitation can be sent. Move the "
                "closing day if people still need to register."
            )
            % {"date": date_format(closes, "j F Y")}
        )
    return warnings


def save_session(session: AgendaSession, *, actor: Actor) -> list[str]:
    """Create or update an agenda session, refusing a clash in its room.

    The room is locked while overlapping sessions are looked for, so two people
    saving sessions into the same room at the same moment cannot both succeed.
    Raises ValidationError on the ``room`` field for a clash. Side effects: the
    AgendaSession row and an audit entry. Returns the warnings to show (a room too
    small for the expected attendance).
    """
    with transaction.atomic():
        if session.room_id is not None:
            room = Room.objects.select_for_update().get(pk=session.room_id)
            clash = (
                AgendaSession.objects.filter(
                    room=room, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
                )
                .exclude(pk=session.pk)
                .order_by("starts_at")
                .first()
            )
            if clash is not None:
                raise ValidationError(
                    {
                        "room": _("%(room)s is taken by “%(title)s” from %(start)s to %(end)s.")
                        % {
                            "room": room.name,
                            "title": clash.title,
                            "start": _local_time(clash.starts_at, session.meeting),
                            "end": _local_time(clash.ends_at, session.meeting),
                        }
                    }
                )
        created = session.pk is None
        session.save()
        log_action(
            session,
            "meetings.session.create" if created else "meetings.session.update",
            actor=actor,
            data={
                "title": session.title,
                "starts_at": session.starts_at.isoformat(),
                "room": session.room_id,
            },
        )
    return _warnings(session)


def delete_session(session: AgendaSession, *, actor: Actor) -> None:
    """Remove a session from the agenda. Side effects: the row deleted, an audit entry."""
    with transaction.atomic():
        log_action(
            session.meeting,
            "meetings.session.delete",
            actor=actor,
            data={
                "session": session.pk,
                "title": session.title,
            },
        )
        session.delete()


def _warnings(session: AgendaSession) -> list[str]:
    room = session.room
    if room is not None and session.over_capacity:
        return [
            _("%(room)s seats %(capacity)s; %(expected)s people are expected.")
            % {
                "room": room.name,
                "capacity": room.capacity,
                "expected": session.expected_attendance,
            }
        ]
    return []


def _local_time(moment: datetime, meeting: Meeting) -> str:
    return moment.astimezone(meeting.zone).strftime("%H:%M")


# --- Publishing -----------------------------------------------------------------------

# What a change notice reports: a session moved in time or room, or retitled.
TRACKED_FIELDS = ("title", "starts_at", "ends_at", "room")


def snapshot(session: AgendaSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "kind": session.kind,
        "starts_at": session.starts_at.astimezone(UTC).isoformat(),
        "ends_at": session.ends_at.astimezone(UTC).isoformat(),
        "room": session.room.name if session.room else "",
        "chair": session.chair,
        "chair_person": session.chair_person_id,
        "visibility": session.visibility,
        "description": session.description,
    }


def diff_agendas(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Sessions added, removed and changed (time, room or title) between two snapshots."""
    old = {session["id"]: session for session in before}
    new = {session["id"]: session for session in after}
    changed = []
    for pk in old.keys() & new.keys():
        fields = {
            name: [old[pk][name], new[pk][name]]
            for name in TRACKED_FIELDS
            if old[pk][name] != new[pk][name]
        }
        if fields:
            changed.append(
                {
                    "id": pk,
                    "title": new[pk]["title"],
                    "visibility": new[pk]["visibility"],
                    "fields": fields,
                    "before_time": [old[pk]["starts_at"], old[pk]["ends_at"]],
                    "after_time": [new[pk]["starts_at"], new[pk]["ends_at"]],
                }
            )
    return {
        "added": [new[pk] for pk in new.keys() - old.keys()],
        "removed": [old[pk] for pk in old.keys() - new.keys()],
        "changed": sorted(changed, key=lambda change: new[change["id"]]["starts_at"]),
    }


def unpublished_changes(
    meeting: Meeting, *, since: AgendaVersion | None
) -> dict[str, list[dict[str, Any]]]:
    """What publishing now would add, remove, move or retitle since version ``since``
    (the latest), listed as a notice lists them, for every session whoever may see it.
    Reads only: the sessions with their rooms, in one query."""
    sessions = [
        snapshot(session)
        for session in AgendaSession.objects.filter(meeting=meeting).select_related("room")
    ]
    changes = diff_agendas(since.sessions if since else [], sessions)
    return notice_changes(changes, levels=list(Visibility.values))


def publish_agenda(meeting: Meeting, *, actor: Actor) -> AgendaVersion:
    """Publish the agenda as its next numbered version.

    Refuses (ValidationError) when nothing changed since the last version. Side
    effects: an AgendaVersion with the snapshot and the changes, the meeting marked
    published, the agenda PDF requested (rendered in the background), its place in the
    meeting's register (see ``register_agenda``), change notices to registered
    participants from the second version on, an audit entry.
    """

    def published(version: AgendaVersion) -> None:
        register_agenda(meeting, version, actor=actor)
        if previous is not None:
            queue_change_notices(version, actor=actor)

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        previous = meeting.versions.order_by("-number").first()
        sessions = [
            snapshot(session)
            for session in AgendaSession.objects.filter(meeting=meeting).select_related("room")
        ]
        changes = diff_agendas(previous.sessions if previous else [], sessions)
        if previous and not any(changes.values()):
            raise ValidationError(
                _("Nothing changed since version %(number)s.") % {"number": previous.number}
            )
        if meeting.status == MeetingStatus.DRAFT:
            meeting.status = MeetingStatus.PUBLISHED
            meeting.save(update_fields=["status", "updated_at"])
        return publish_version(
            AgendaVersion,
            meeting,
            content={"sessions": sessions},
            changes=changes,
            document=lambda version: DocumentRequest(
                about=meeting,
                kind=DocumentKind.AGENDA,
                title=_("Agenda of the %(meeting)s, version %(number)s")
                % {"meeting": meeting.title, "number": version.number},
                template_name="pdf/meetings/agenda.html",
                context=queries.agenda_booklet(meeting, version),
                # The booklet holds the sessions open to all participants, not the
                # National Representatives' closed-door ones.
                view_permission="meetings.view_participant_sessions",
            ),
            action="meetings.agenda.publish",
            actor=actor,
            data={
                "added": len(changes["added"]),
                "removed": len(changes["removed"]),
                "changed": len(changes["changed"]),
            },
            on_published=published,
        )


def agenda_title(meeting: Meeting) -> str:
    return _("Agenda of the %(meeting)s") % {"meeting": meeting.title}


def register_agenda(meeting: Meeting, version: AgendaVersion, *, actor: Actor) -> None:
    """Put a just-published agenda version in the meeting's register: a new symbol the
    first time, a revision of it after.

    Distributed to all participants: the booklet is read by whoever has a hat at the
    published meeting (meetings.view_participant_sessions), which is what the
    register's "all participants" reads. No submitter is recorded, so publishing gives
    nobody a reading right of their own. Side effects: see register_generated; the
    meeting's ``agenda_registered_as`` on the first publication.
    """
    register_generated(
        meeting,
        version.document,  # publish_version has just asked for it
        kept_on=(meeting, "agenda_registered_as"),
        title=lambda: agenda_title(meeting),
        actor=actor,
        distribution=Distribution.PARTICIPANTS,
        record_submitter=False,
    )


# --- Calendar subscriptions -------------------------------------------------------------


def create_calendar_subscription(user: User) -> str:
    """Give ``user`` a new private calendar address, replacing any earlier one.

    Returns the token: it is shown once and only its hash is stored. Side effects:
    the CalendarSubscription row, an audit entry.
    """
    token, token_hash = new_token()
    with transaction.atomic():
        CalendarSubscription.objects.update_or_create(
            user=user, defaults={"token_hash": token_hash}
        )
        log_action(user, "meetings.calendar.subscribe", actor=user)
    return token


def revoke_calendar_subscription(user: User) -> bool:
    """Stop ``user``'s private calendar address working. Side effects: row deleted, audit."""
    with transaction.atomic():
        deleted, _count = CalendarSubscription.objects.filter(user=user).delete()
        if deleted:
            log_action(user, "meetings.calendar.revoke", actor=user)
    return bool(deleted)


# --- Change notices ---------------------------------------------------------------------


def queue_change_notices(version: AgendaVersion, *, actor: Actor) -> list[OutgoingMail]:
    """E-mail everyone with a hat at the meeting what changed in this version.

    Not only registered participants: National Representatives, moderators, speakers,
    session chairs and the people of its coordination hear of the sessions they may
    see (hats.py says who is what, in one query). Each person hears only of sessions
    they may see, with times in the meeting's zone and their own, in their language.
    Staff plan the agenda and read each version on the planning page. Side effects:
    one outbox message per recipient (idempotent per version and person), sent after
    commit.
    """
    meeting = version.meeting
    people = people_at(meeting)
    recipients = User.objects.filter(pk__in=people.keys(), is_active=True).order_by("pk")
    specs = []
    for person in recipients:
        changes = notice_changes(version.changes, levels=levels_of(people[person.pk]))
        if not any(changes.values()):
            continue
        specs.append(
            MailSpec(
                to=[person.email],
                template="meetings/agenda_changed",
                context={
                    "meeting": meeting,
                    "version": version,
                    "name": person.display_name,
                    "time_zone": person.time_zone,
                    "agenda_url": absolute_url(reverse("meetings:agenda", args=[meeting.number])),
                    **changes,
                },
                idempotency_key=f"meetings.agenda-change:{version.pk}:{person.pk}",
                language=person.language,
                reply_to=reply_to(actor),
                about=version,
            )
        )
    return queue_mails(specs, actor=actor)


def notice_changes(
    changes: dict[str, Any], *, levels: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """The changes of a version as a notice lists them, limited to visible sessions."""

    def when(start: str, end: str) -> tuple[datetime, datetime]:
        return (datetime.fromisoformat(start), datetime.fromisoformat(end))

    def visible(data: dict[str, Any]) -> bool:
        return data["visibility"] in levels

    added = [
        {"title": s["title"], "when": when(s["starts_at"], s["ends_at"]), "room": s["room"]}
        for s in changes.get("added", [])
        if visible(s)
    ]
    removed = [
        {"title": s["title"], "when": when(s["starts_at"], s["ends_at"]), "room": s["room"]}
        for s in changes.get("removed", [])
        if visible(s)
    ]
    changed: list[dict[str, Any]] = []
    for change in changes.get("changed", []):
        if not visible(change):
            continue
        fields = change["fields"]
        entry: dict[str, Any] = {
            "title": change["title"],
            "old_title": fields.get("title", [None])[0],
        }
        if "starts_at" in fields or "ends_at" in fields:
            entry["old_when"] = when(*change["before_time"])
            entry["new_when"] = when(*change["after_time"])
        if "room" in fields:
            entry["old_room"], entry["new_room"] = fields["room"]
        changed.append(entry)
    return {"added": added, "removed": removed, "changed": changed}
