"""Writes on coordination sessions: the session, its invitations and its agenda points.

The minutes and action items of a session are written by ``services.minutes``.
"""

import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ascn_portal.accounts.models import User
from ascn_portal.core.actors import Actor, reply_to
from ascn_portal.core.audit import log_action
from ascn_portal.core.models import OutgoingMail
from ascn_portal.core.outbox import Attachment, MailSpec, queue_mails
from ascn_portal.core.sites import absolute_url
from meetings.coordination import calendar
from meetings.coordination.enums import CoordinationStatus, InvitationMethod, MinutesStatus
from meetings.coordination.models import (
    AgendaPoint,
    CoordinationSession,
    Minutes,
    SentInvitation,
)
from meetings.register.services import set_readers
from pilots.models import Organisation

# What a calendar shows of a session: a change to any of them is a new SEQUENCE and an
# update to everyone invited.
TRACKED_FIELDS = ("title", "starts_at", "ends_at", "time_zone", "mode", "place", "video_link")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    time_zone: str
    has_account: bool


def recipients(session: CoordinationSession) -> dict[str, Recipient]:
    """Everyone a session's invitation goes to, by address: the chair, the invited
    people with an active account, and the guests."""
    people: dict[str, Recipient] = {}
    for guest in session.guests.all():
        people[guest.email.lower()] = Recipient(
            guest.email, guest.name, guest.language, session.time_zone, has_account=False
        )
    users = list(session.invited_people.filter(is_active=True))
    if session.chair is not None and session.chair.is_active:
        users.append(session.chair)
    for user in users:
        people[user.email.lower()] = Recipient(
            user.email, user.full_name, user.language, user.time_zone, has_account=True
        )
    return people


def minutes_readers(session: CoordinationSession) -> list[User]:
    """Who may read the session's published minutes besides the secretariat: its chair
    and the people invited (as meetings.view_coordination_minutes says)."""
    return list(
        User.objects.filter(Q(pk=session.chair_id) | Q(coordination_invitations=session)).distinct()
    )


def save_coordination_session(
    session: CoordinationSession,
    *,
    invited_people: Iterable[User] | None = None,
    invited_organisations: Iterable[Organisation] | None = None,
    guests_formset: Any = None,
    actor: Actor,
) -> CoordinationSession:
    """Create or update a coordination session, with its invitation lists.

    A change of title, time, zone, mode, place or link raises the session's SEQUENCE,
    and so does taking anyone off the list once invitations have gone out. Without a
    change to the event itself only newcomers are sent the invitation.
    Once invitations have gone out, everyone invited receives the current version (an
    update after such a change, an invitation if newly added) and anyone taken off the
    list a cancellation; each message's idempotency key holds the session, its
    SEQUENCE and the address, so saving the same form twice sends nothing new.
    Raises ValidationError for a cancelled session. Side effects: the session row (and
    its Minutes on creation), its invitation lists and guests, an audit entry, outbox
    messages with an .ics.
    """
    with transaction.atomic():
        created = session.pk is None
        before, invited_before, changed = None, {}, False
        if not created:
            before = CoordinationSession.objects.select_for_update().get(pk=session.pk)
            if before.is_cancelled:
                raise ValidationError(_("A cancelled session cannot be changed."))
            invited_before = recipients(before)
            # The form's copy may be stale: these three are the locked row's.
            session.invitations_sent_at = before.invitations_sent_at
            session.sequence = before.sequence
            session.minutes_registered_as_id = before.minutes_registered_as_id
            changed = any(
                getattr(before, name) != getattr(session, name) for name in TRACKED_FIELDS
            )
            if changed:
                session.sequence += 1
        session.save()
        if created:
            Minutes.objects.create(session=session)
        if invited_people is not None:
            session.invited_people.set(invited_people)
        if invited_organisations is not None:
            session.invited_organisations.set(invited_organisations)
        if guests_formset is not None:
            guests_formset.instance = session
            guests_formset.save()
        entry = session.minutes_registered_as
        if entry is not None:
            # Who reads the published minutes in the register follows who reads them
            # here: the chair and the people invited, as they are now.
            set_readers(entry, minutes_readers(session))
        log_action(
            session,
            "meetings.coordination.create" if created else "meetings.coordination.update",
            actor=actor,
            data={
                "title": session.title,
                "starts_at": session.starts_at.isoformat(),
                "sequence": session.sequence,
            },
        )
        if session.invitations_sent_at is not None:
            invited_now = recipients(session)
            sent_to = _invited_addresses(session)
            taken_off = [
                person
                for address, person in invited_before.items()
                if address not in invited_now and address in sent_to
            ]
            if taken_off and not changed:
                # A cancellation must carry a newer SEQUENCE than the invitation it
                # withdraws, or someone put back later would hold a cancellation of the
                # current version.
                session.sequence += 1
                session.save(update_fields=["sequence", "updated_at"])
            if not changed:
                # The event is as it was: calendars that have it need nothing new.
                invited_now = {
                    address: person
                    for address, person in invited_now.items()
                    if address not in invited_before
                }
            queue_invitations(session, invited_now.values(), actor=actor)
            queue_cancellations(session, taken_off, actor=actor)
    return session


def send_invitations(session: CoordinationSession, *, actor: Actor) -> int:
    """Send everyone invited the session's invitation with its .ics (METHOD:REQUEST).

    Those who already have the current version get nothing new. Returns how many
    people are invited. Raises ValidationError for a cancelled session. Side effects:
    outbox messages, the time invitations were first sent, an audit entry.
    """
    with transaction.atomic():
        session = CoordinationSession.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled:
            raise ValidationError(_("A cancelled session cannot be changed."))
        people = list(recipients(session).values())
        if not people:
            raise ValidationError(_("Nobody is invited yet."))
        if session.invitations_sent_at is None:
            session.invitations_sent_at = timezone.now()
            session.save(update_fields=["invitations_sent_at", "updated_at"])
        queue_invitations(session, people, actor=actor)
        log_action(
            session,
            "meetings.coordination.invite",
            actor=actor,
            data={"sequence": session.sequence, "recipients": len(people)},
        )
    return len(people)


def cancel_coordination_session(
    session: CoordinationSession, *, reason: str, actor: Actor
) -> CoordinationSession:
    """Cancel a session: a higher SEQUENCE and, if invitations went out, a cancellation
    (METHOD:CANCEL, STATUS:CANCELLED, the same UID) to everyone invited.

    Raises ValidationError if it is already cancelled. Side effects: the session's
    status, reason and SEQUENCE; outbox messages; an audit entry.
    """
    with transaction.atomic():
        session = CoordinationSession.objects.select_for_update().get(pk=session.pk)
        if session.is_cancelled:
            raise ValidationError(_("The session is already cancelled."))
        session.status = CoordinationStatus.CANCELLED
        session.cancel_reason = reason
        session.sequence += 1
        session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
        if session.invitations_sent_at is not None:
            queue_cancellations(session, recipients(session).values(), actor=actor)
        log_action(
            session,
            "meetings.coordination.cancel",
            actor=actor,
            data={"reason": reason, "sequence": session.sequence},
        )
    return session


def _key(session: CoordinationSession, kind: str, address: str) -> str:
    return f"meetings.coordination:{session.pk}:{session.sequence}:{kind}:{address.lower()}"


def _invited_addresses(session: CoordinationSession) -> set[str]:
    """Addresses that have been sent an invitation to this session."""
    return set(
        session.sent_invitations.filter(method=InvitationMethod.REQUEST).values_list(
            "email", flat=True
        )
    )


def queue_invitations(
    session: CoordinationSession, people: Iterable[Recipient], *, actor: Actor
) -> list[OutgoingMail]:
    """One invitation (or update, for those who had an earlier one) per person."""
    earlier = _invited_addresses(session)
    return _queue(
        session,
        people,
        kind=InvitationMethod.REQUEST,
        template="meetings/coordination_invitation",
        extra=lambda person: {"is_update": person.email.lower() in earlier},
        actor=actor,
    )


def queue_cancellations(
    session: CoordinationSession, people: Iterable[Recipient], *, actor: Actor
) -> list[OutgoingMail]:
    return _queue(
        session,
        people,
        kind=InvitationMethod.CANCEL,
        template="meetings/coordination_cancelled",
        extra=lambda person: {},
        actor=actor,
    )


def _queue(
    session: CoordinationSession,
    people: Iterable[Recipient],
    *,
    kind: InvitationMethod,
    template: str,
    extra: Callable[[Recipient], dict[str, Any]],
    actor: Actor,
) -> list[OutgoingMail]:
    """One calendar message per person, recorded as sent at the session's SEQUENCE;
    the outbox's key and the record's uniqueness make a repeat send nothing."""
    stamp = timezone.now()
    method = kind.upper()
    points = [point.title for point in session.agenda_points.all()]
    zone = session.zone
    specs = []
    for person in people:
        ics = calendar.coordination_invitation(
            session,
            method=method,
            attendee_email=person.email,
            attendee_name=person.name,
            stamp=stamp,
        )
        specs.append(
            MailSpec(
                to=[person.email],
                template=template,
                context={
                    "session": session,
                    "meeting": session.meeting,
                    "name": person.name,
                    "time_zone": person.time_zone,
                    "own_zone_differs": _offset_differs(session, person.time_zone),
                    "same_day": session.local_start.date()
                    == session.ends_at.astimezone(zone).date(),
                    "points": points,
                    "session_url": (
                        absolute_url(session.get_absolute_url()) if person.has_account else None
                    ),
                    **extra(person),
                },
                idempotency_key=_key(session, kind, person.email),
                language=person.language,
                reply_to=reply_to(actor),
                # Outlook and Gmail read the method parameter to show the invitation
                # with its buttons rather than as a plain attachment.
                attachments=[
                    Attachment(
                        "invitation.ics", ics, f"text/calendar; method={method}; charset=utf-8"
                    )
                ],
                about=session,
            )
        )
    mails = queue_mails(specs, actor=actor)
    SentInvitation.objects.bulk_create(
        [
            SentInvitation(
                session=session,
                email=mail.to[0].lower(),
                sequence=session.sequence,
                method=kind,
                mail=mail,
            )
            for mail in mails
        ],
        ignore_conflicts=True,
    )
    return mails


def _offset_differs(session: CoordinationSession, zone_name: str) -> bool:
    own = session.starts_at.astimezone(zoneinfo.ZoneInfo(zone_name)).utcoffset()
    return bool(own != session.local_start.utcoffset())


# --- Agenda points -----------------------------------------------------------------------


def lock_minutes(session: CoordinationSession) -> Minutes:
    """The session's working copy of the minutes, locked for the transaction."""
    minutes, _created = Minutes.objects.get_or_create(session=session)
    return Minutes.objects.select_for_update().get(pk=minutes.pk)


def refuse_unless_draft(session: CoordinationSession) -> None:
    """Agenda points and minutes change only while the minutes are a draft."""
    status = Minutes.objects.filter(session=session).values_list("status", flat=True).first()
    if status not in (None, MinutesStatus.DRAFT):
        raise ValidationError(
            _(
                "The minutes are %(status)s: return them to draft, or start a correction, "
                "to change them."
            )
            % {"status": MinutesStatus(str(status)).label.lower()}
        )


def save_agenda_point(point: AgendaPoint, *, actor: Actor) -> AgendaPoint:
    """Add a point at the end of the session's agenda, or update one.

    Raises ValidationError unless the minutes are a draft. Side effects: the row, an
    audit entry.
    """
    with transaction.atomic():
        session = CoordinationSession.objects.select_for_update().get(pk=point.session_id)
        refuse_unless_draft(session)
        created = point.pk is None
        if created:
            points = session.agenda_points.aggregate(last=Max("position"), count=Count("pk"))
            if points["count"] >= AgendaPoint.MAX_PER_SESSION:
                raise ValidationError(
                    _("A session's agenda holds at most %(count)d points.")
                    % {"count": AgendaPoint.MAX_PER_SESSION}
                )
            point.position = (points["last"] or 0) + 1
        point.save()
        log_action(
            point,
            "meetings.agenda_point.create" if created else "meetings.agenda_point.update",
            actor=actor,
            data={"session": session.pk, "position": point.position, "title": point.title},
        )
    return point


def move_agenda_point(point: AgendaPoint, *, up: bool, actor: Actor) -> bool:
    """Swap a point with the one before (``up``) or after it. Side effects: positions,
    an audit entry. Returns False when it is already first or last."""
    with transaction.atomic():
        session = CoordinationSession.objects.select_for_update().get(pk=point.session_id)
        refuse_unless_draft(session)
        point = AgendaPoint.objects.get(pk=point.pk)
        others = session.agenda_points.exclude(pk=point.pk)
        neighbour = (
            others.filter(position__lt=point.position).order_by("-position").first()
            if up
            else others.filter(position__gt=point.position).order_by("position").first()
        )
        if neighbour is None:
            return False
        # Positions are unique per session: park one at 0 while the other moves.
        old, new = point.position, neighbour.position
        AgendaPoint.objects.filter(pk=point.pk).update(position=0)
        AgendaPoint.objects.filter(pk=neighbour.pk).update(position=old)
        AgendaPoint.objects.filter(pk=point.pk).update(position=new)
        log_action(
            point,
            "meetings.agenda_point.move",
            actor=actor,
            data={"session": session.pk, "from": old, "to": new},
        )
    return True


def delete_agenda_point(point: AgendaPoint, *, actor: Actor) -> None:
    """Remove a point and close the gap in the numbering. Side effects: the row deleted
    (its action items keep existing, without a point), positions, an audit entry."""
    with transaction.atomic():
        session = CoordinationSession.objects.select_for_update().get(pk=point.session_id)
        refuse_unless_draft(session)
        log_action(
            session,
            "meetings.agenda_point.delete",
            actor=actor,
            data={"point": point.pk, "title": point.title},
        )
        position = point.position
        point.delete()
        # One row at a time, lowest first: each takes a position just freed.
        for later in session.agenda_points.filter(position__gt=position).order_by("position"):
            AgendaPoint.objects.filter(pk=later.pk).update(position=later.position - 1)
