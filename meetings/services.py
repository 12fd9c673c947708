"""Writes on meetings and their agenda."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ascn_portal.core.audit import log_action
from meetings.models import AgendaSession, Room


def save_meeting(meeting, *, rooms_formset=None, actor):
    """Create or update a meeting and its rooms in one transaction.

    Side effects: the Meeting row, its Room rows, an audit entry.
    """
    with transaction.atomic():
        created = meeting.pk is None
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
    return meeting


def save_session(session, *, actor):
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


def delete_session(session, *, actor):
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


def _warnings(session):
    if session.over_capacity:
        return [
            _("%(room)s seats %(capacity)s; %(expected)s people are expected.")
            % {
                "room": session.room.name,
                "capacity": session.room.capacity,
                "expected": session.expected_attendance,
            }
        ]
    return []


def _local_time(moment, meeting):
    return moment.astimezone(meeting.zone).strftime("%H:%M")
