"""Invitation links: sent, opened, accepted, revoked, expired; and the reminders."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ascn_portal.accounts.models import User
from ascn_portal.accounts.zones import country_zone
from ascn_portal.core.actors import Actor, acting_person, reply_to
from ascn_portal.core.audit import log_action
from ascn_portal.core.models import usable
from ascn_portal.core.outbox import Attachment, MailSpec, queue_mails
from ascn_portal.core.sites import absolute_url
from ascn_portal.core.tokens import hash_token, new_token
from delegations.enums import SEATED, ParticipantStatus
from delegations.models import Delegation, Invitation, Participant
from delegations.services.registration import registration_has_closed
from meetings.models import Meeting

# Who may be sent an invitation (again): not the registered, declined or cancelled.
INVITABLE = [ParticipantStatus.NOMINATED, ParticipantStatus.INVITED, ParticipantStatus.EXPIRED]


INVITATION_DAYS = 21


class InvitationProblem(Exception):
    """An invitation link that cannot be used: the message says why, for the page."""


class InvitationUsed(InvitationProblem):
    """A link already used: it leads its owner to their registration, nobody else."""

    def __init__(self, participant: Participant) -> None:
        super().__init__(_("This invitation link was already used. Log in instead."))
        self.participant = participant


def refuse_if_registration_closed(meeting: Meeting, *, now: datetime | None = None) -> None:
    """Raise ValidationError once the meeting's registration has closed: a link sent
    then would promise weeks and lead to "Registration is closed"."""
    today = (now or timezone.now()).astimezone(meeting.zone).date()
    closes = meeting.registration_closes
    if closes is not None and registration_has_closed(meeting, today=today):
        raise ValidationError(
            _(
                "Registration for the %(meeting)s closed on %(date)s, so no invitation can "
                "be sent. The secretariat can reopen it by editing the meeting."
            )
            % {"meeting": meeting.title, "date": date_format(closes, "j F Y")}
        )


def invite(participants: Iterable[Participant], *, actor: Actor) -> int:
    """Send each participant a personal, single-use link to register.

    An earlier open invitation of the same person is revoked. Someone whose earlier
    link lapsed is invited again only if their delegation still has a free seat. The
    link expires when registration closes (or in INVITATION_DAYS days); once it has
    closed, ValidationError and nothing is sent. Side effects:
    Invitation rows, participants marked invited, one outbox message each with the
    meeting's .ics, audit entries; mail leaves after commit.
    """
    now = timezone.now()
    specs = []
    participants = list(participants)
    for meeting in {participant.delegation.meeting for participant in participants}:
        refuse_if_registration_closed(meeting, now=now)
    with transaction.atomic():
        for participant in participants:
            if participant.status not in INVITABLE or participant.awaits_confirmation:
                continue  # a late nominee is invited once the secretariat confirms them
            if participant.status not in SEATED and not _seat_free(participant.delegation):
                continue  # their link lapsed and the seat went to someone else
            meeting = participant.delegation.meeting
            participant.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(
                revoked_at=now
            )
            token, token_hash = new_token()
            invitation = Invitation.objects.create(
                participant=participant,
                token_hash=token_hash,
                expires_at=_expiry(meeting, now),
                sent_by=acting_person(actor),
            )
            participant.status = ParticipantStatus.INVITED
            participant.save(update_fields=["status", "updated_at"])
            log_action(participant, "delegations.participant.invite", actor=actor)
            specs.append(_invitation_mail(participant, invitation, token, actor=actor))
        queue_mails(specs, actor=actor)
    return len(specs)


def _seat_free(delegation: Delegation) -> bool:
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    return delegation.participants.filter(status__in=SEATED).count() < delegation.quota


def _expiry(meeting: Meeting, now: datetime) -> datetime:
    if meeting.registration_closes:
        closes = datetime.combine(meeting.registration_closes, time.max, tzinfo=meeting.zone)
        if closes > now:
            return closes
    return now + timedelta(days=INVITATION_DAYS)


def _invitation_mail(
    participant: Participant, invitation: Invitation, token: str, *, actor: Actor
) -> MailSpec:
    meeting = participant.delegation.meeting
    return MailSpec(
        to=[participant.email],
        template="delegations/invitation",
        context={
            "participant": participant,
            "meeting": meeting,
            "link": absolute_url(reverse("delegations:invitation", args=[token])),
            "expires_at": invitation.expires_at,
            "time_zone": meeting.time_zone,
            # The invitee's own zone, as their account will start with it.
            "own_zone": _invitee_zone(participant),
        },
        idempotency_key=f"delegations.invitation:{invitation.pk}",
        language=participant.language,
        reply_to=reply_to(actor),
        attachments=[Attachment("meeting.ics", meeting_calendar(meeting), "text/calendar")],
        about=participant,
        secrets=("link",),
    )


def open_invitation(token: str) -> Invitation:
    """The invitation behind ``token``, or InvitationProblem saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related(
            "participant__delegation__meeting",
            "participant__delegation__country",
            "participant__organisation",
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationProblem(_("This invitation link is not valid."))
    if invitation.revoked_at:
        raise InvitationProblem(_("This invitation was replaced or withdrawn; use the latest one."))
    if invitation.used_at:
        raise InvitationUsed(invitation.participant)
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem(
            _("This invitation has expired. Ask your National Representative for a new one.")
        )
    return invitation


def _invitee_zone(participant: Participant) -> str:
    delegation = participant.delegation
    if participant.user is not None:
        return participant.user.time_zone
    country = delegation.country.code if delegation.country is not None else None
    return country_zone(country, default=delegation.meeting.time_zone)


def invitee_profile(participant: Participant) -> dict[str, str]:
    """What the roster knows of the person, for the account their invitation creates:
    name, position, organisation, phone, language, and the time zone of their
    delegation's country (the meeting's when the delegation has none)."""
    return {
        "honorific": participant.honorific,
        "full_name": participant.full_name,
        "position": participant.position,
        "organisation": participant.organisation.name if participant.organisation else "",
        "phone": participant.phone,
        "language": participant.language,
        "time_zone": _invitee_zone(participant),
    }


def accept_invitation(invitation: Invitation, *, user: User) -> Participant:
    """Tie the invitation's participant to ``user``, whose address it was sent to.

    Side effects: the invitation used (it cannot be used again), the participant
    linked to the account, an audit entry.
    """
    participant = invitation.participant
    if user.email.lower() != participant.email.lower():
        raise InvitationProblem(
            _("This invitation was sent to another person. Log out and open it again.")
        )
    with transaction.atomic():
        used = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not used:
            raise InvitationProblem(_("This invitation link was already used. Log in instead."))
        participant.user = user
        participant.save(update_fields=["user", "updated_at"])
        log_action(participant, "delegations.invitation.accept", actor=user)
    return participant


def revoke_invitation(participant: Participant, *, actor: Actor) -> int:
    """Withdraw the participant's open invitation link; they go back to nominated.

    Returns how many links were revoked (0 or 1). Side effects: the invitation
    revoked, the status, an audit entry.
    """
    with transaction.atomic():
        revoked = participant.invitations.filter(
            used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if revoked:
            if participant.status == ParticipantStatus.INVITED:
                participant.status = ParticipantStatus.NOMINATED
                participant.save(update_fields=["status", "updated_at"])
            log_action(participant, "delegations.invitation.revoke", actor=actor)
    return revoked


def expire_invitations(*, now: datetime | None = None) -> int:
    """Mark invited participants whose link lapsed unused as "invitation expired".

    Their seat is freed and they can be invited again. Someone who used the link but
    has not registered keeps their status: they can still register from their account.
    Side effects: participant statuses, one audit entry each.
    """
    now = now or timezone.now()
    lapsed = Participant.objects.filter(status=ParticipantStatus.INVITED).exclude(
        invitations__in=Invitation.objects.filter(
            Q(used_at__isnull=False) | Q(revoked_at__isnull=True, expires_at__gt=now)
        )
    )
    with transaction.atomic():
        expired = list(lapsed.select_for_update(of=("self",)).only("pk"))
        Participant.objects.filter(pk__in=[p.pk for p in expired]).update(
            status=ParticipantStatus.EXPIRED, updated_at=now
        )
        for participant in expired:
            log_action(participant, "delegations.invitation.expire", actor=None)
    return len(expired)


def meeting_calendar(meeting: Meeting) -> bytes:
    """A one-event iCalendar of the whole meeting, for the invitation."""
    calendar = Calendar()
    calendar.add("prodid", "-//ASEAN Smart Cities Network//ASCN Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"ascn-meeting-{meeting.pk}@{settings.ASCN_MAIL_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.start_date)
    event.add("dtend", meeting.end_date + timedelta(days=1))
    event.add("location", f"{meeting.host_city}, {meeting.host_country.local_name}")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


# --- Reminders ------------------------------------------------------------------------

REMINDER_DAYS_BEFORE_CLOSE = 7


def send_registration_reminders(*, today: date | None = None) -> int:
    """Remind invitees who have not registered that registration closes soon.

    Once per open invitation: the outbox refuses a second message with the same
    idempotency key, so running this daily (or twice) reminds no one twice. Side
    effects: one outbox message per invitee reminded.
    """
    now = timezone.now()
    candidates = (
        usable(Invitation.objects.all(), now)
        .filter(
            participant__status=ParticipantStatus.INVITED,
            participant__delegation__meeting__registration_closes__isnull=False,
        )
        .select_related("participant__delegation__meeting")
        .order_by("pk")
    )
    specs = []
    for invitation in candidates:
        participant = invitation.participant
        meeting = participant.delegation.meeting
        local_today = today or timezone.localdate(timezone=meeting.zone)
        closes = meeting.registration_closes
        if closes is None:  # the query asked for a closing date
            continue
        days_left = (closes - local_today).days
        if not 0 <= days_left <= REMINDER_DAYS_BEFORE_CLOSE:
            continue
        specs.append(reminder_mail(participant, key=f"delegations.reminder:{invitation.pk}"))
    with transaction.atomic():
        mails = queue_mails(specs)
    return len(mails)


def reminder_mail(participant: Participant, *, key: str) -> MailSpec:
    """The reminder that registration for the participant's meeting closes soon; it
    points to the link of their invitation. ``key`` says how often it may be sent."""
    meeting = participant.delegation.meeting
    return MailSpec(
        to=[participant.email],
        template="delegations/reminder",
        context={
            "participant": participant,
            "meeting": meeting,
            "closes": meeting.registration_closes,
        },
        idempotency_key=key,
        language=participant.language,
        about=participant,
    )
