"""Writes on delegations and their rosters."""

import hashlib
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ascn_portal.core.audit import log_action
from ascn_portal.core.documents import request_document
from ascn_portal.core.enums import DocumentKind
from ascn_portal.core.outbox import Attachment, MailSpec, queue_mails
from delegations.enums import SEATED, ParticipantStatus, RosterStatus
from delegations.models import Delegation, Invitation, Participant

# Who may be sent an invitation (again): not the registered, declined or cancelled.
INVITABLE = [ParticipantStatus.NOMINATED, ParticipantStatus.INVITED, ParticipantStatus.EXPIRED]


def nominate(delegation, participant, *, actor):
    """Add a nominated participant to the delegation's roster, within its quota.

    The delegation row is locked while its seats are counted, so two nominations for
    the last seat cannot both succeed. Raises ValidationError (quota, or an address
    already on the roster). Side effects: the Participant row, an audit entry.
    """
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        refuse_if_confirmed(delegation)
        seated = delegation.participants.filter(status__in=SEATED).count()
        if seated >= delegation.quota:
            raise ValidationError(
                _("The delegation's quota of %(quota)s is full.") % {"quota": delegation.quota}
            )
        if delegation.participants.filter(email__iexact=participant.email).exists():
            raise ValidationError(
                {"email": _("%(email)s is already on this roster.") % {"email": participant.email}}
            )
        participant.delegation = delegation
        participant.email = participant.email.lower()
        participant.save()
        log_action(
            participant,
            "delegations.participant.nominate",
            actor=actor,
            data={"delegation": delegation.pk, "email": participant.email},
        )
    return participant


def refuse_if_confirmed(delegation):
    """A confirmed roster changes only by substitution, so the change stays on record."""
    if delegation.roster_status == RosterStatus.CONFIRMED:
        raise ValidationError(
            _(
                "The roster is confirmed: to change it, replace a participant with a "
                "substitute from their page."
            )
        )


def substitute(participant, substitute, *, reason, actor):
    """Replace a participant with another person, keeping both on the roster.

    The replaced person stays listed as replaced (with the reason), and the substitute
    is nominated in their seat with a link back to them, so the quota does not move.
    Raises ValidationError when the person no longer holds a seat or the substitute's
    address is already on the roster. Side effects: the replaced participant's status
    and reason, their open invitations revoked, the substitute's Participant row, an
    audit entry on each.
    """
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=participant.delegation_id)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.status not in SEATED:
            raise ValidationError(
                _("%(name)s is %(status)s and holds no seat to hand over.")
                % {
                    "name": participant.full_name,
                    "status": participant.get_status_display().lower(),
                }
            )
        substitute.email = substitute.email.lower()
        if delegation.participants.filter(email__iexact=substitute.email).exists():
            raise ValidationError(
                {"email": _("%(email)s is already on this roster.") % {"email": substitute.email}}
            )
        _end_participation(
            participant,
            status=ParticipantStatus.REPLACED,
            reason=reason,
            action="delegations.participant.replace",
            actor=actor,
        )
        substitute.delegation = delegation
        substitute.replaces = participant
        substitute.status = ParticipantStatus.NOMINATED
        substitute.save()
        log_action(
            substitute,
            "delegations.participant.substitute",
            actor=actor,
            data={"replaces": participant.pk, "email": substitute.email, "reason": reason},
        )
    return substitute


def seats_left(delegation):
    return max(delegation.quota - delegation.participants.filter(status__in=SEATED).count(), 0)


# --- Invitations ------------------------------------------------------------------------

INVITATION_DAYS = 21


class InvitationProblem(Exception):
    """An invitation link that cannot be used: the message says why, for the page."""


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invite(participants, *, actor):
    """Send each participant a personal, single-use link to register.

    An earlier open invitation of the same person is revoked. Someone whose earlier
    link lapsed is invited again only if their delegation still has a free seat. The
    link expires when registration closes (or in INVITATION_DAYS days). Side effects:
    Invitation rows, participants marked invited, one outbox message each with the
    meeting's .ics, audit entries; mail leaves after commit.
    """
    now = timezone.now()
    specs = []
    with transaction.atomic():
        for participant in participants:
            if participant.status not in INVITABLE:
                continue
            if participant.status not in SEATED and not _seat_free(participant.delegation):
                continue  # their link lapsed and the seat went to someone else
            meeting = participant.delegation.meeting
            participant.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(
                revoked_at=now
            )
            token = secrets.token_urlsafe(32)
            invitation = Invitation.objects.create(
                participant=participant,
                token_hash=hash_token(token),
                expires_at=_expiry(meeting, now),
                sent_by=actor if actor is not None and actor.is_authenticated else None,
            )
            participant.status = ParticipantStatus.INVITED
            participant.save(update_fields=["status", "updated_at"])
            log_action(participant, "delegations.participant.invite", actor=actor)
            specs.append(_invitation_mail(participant, invitation, token, actor=actor))
        queue_mails(specs, actor=actor)
    return len(specs)


def _seat_free(delegation):
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    return delegation.participants.filter(status__in=SEATED).count() < delegation.quota


def _expiry(meeting, now):
    if meeting.registration_closes:
        closes = datetime.combine(meeting.registration_closes, time.max, tzinfo=meeting.zone)
        if closes > now:
            return closes
    return now + timedelta(days=INVITATION_DAYS)


def _invitation_mail(participant, invitation, token, *, actor):
    meeting = participant.delegation.meeting
    return MailSpec(
        to=[participant.email],
        template="delegations/invitation",
        context={
            "participant": participant,
            "meeting": meeting,
            "link": settings.SITE_URL + reverse("delegations:invitation", args=[token]),
            "expires_at": invitation.expires_at,
            "time_zone": meeting.time_zone,
        },
        idempotency_key=f"delegations.invitation:{invitation.pk}",
        language=participant.language,
        reply_to=[actor.email] if actor is not None and actor.is_authenticated else [],
        attachments=[Attachment("meeting.ics", meeting_calendar(meeting), "text/calendar")],
        about=participant,
    )


def open_invitation(token):
    """The invitation behind ``token``, or InvitationProblem saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("participant__delegation__meeting")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationProblem(_("This invitation link is not valid."))
    if invitation.revoked_at:
        raise InvitationProblem(_("This invitation was replaced or withdrawn; use the latest one."))
    if invitation.used_at:
        raise InvitationProblem(_("This invitation link was already used. Log in instead."))
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem(
            _("This invitation has expired. Ask your National Representative for a new one.")
        )
    return invitation


def accept_invitation(invitation, *, user):
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


def register(participant, registration, *, actor):
    """Save the registration form and count the participant as registered.

    The delegation's row is locked while registered seats are counted, so two people
    registering for the last seat (after the secretariat lowered the quota, say)
    cannot both succeed. Raises ValidationError for a full delegation or someone who
    declined, was withdrawn or replaced. Side effects: the Registration row, the
    participant registered, an audit entry.
    """
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=participant.delegation_id)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.status not in (ParticipantStatus.INVITED, ParticipantStatus.REGISTERED):
            raise ValidationError(
                _("You are %(status)s for this meeting; ask your National Representative.")
                % {"status": participant.get_status_display().lower()}
            )
        registered = delegation.participants.filter(status=ParticipantStatus.REGISTERED)
        if (
            participant.status != ParticipantStatus.REGISTERED
            and registered.count() >= delegation.quota
        ):
            raise ValidationError(
                _(
                    "All %(quota)s seats of the delegation are taken by registered "
                    "participants. Ask your National Representative."
                )
                % {"quota": delegation.quota}
            )
        registration.participant = participant
        registration.save()
        if participant.status != ParticipantStatus.REGISTERED:
            participant.status = ParticipantStatus.REGISTERED
            participant.save(update_fields=["status", "updated_at"])
        log_action(participant, "delegations.participant.register", actor=actor)
    return registration


def decline(participant, *, reason, actor):
    """The participant will not come: declined before registering, cancelled after.

    Raises ValidationError if they hold no seat any more. Side effects: the status
    and reason, open invitations revoked, an audit entry.
    """
    if participant.status == ParticipantStatus.REGISTERED:
        status, action = ParticipantStatus.CANCELLED, "delegations.participant.cancel"
    else:
        status, action = ParticipantStatus.DECLINED, "delegations.participant.decline"
    _end_participation(participant, status=status, reason=reason, action=action, actor=actor)


def cancel_participation(participant, *, reason, actor):
    """The National Representative or the secretariat withdraws a participant.

    Frees the seat. Side effects: status cancelled with the reason, open invitations
    revoked, an audit entry.
    """
    _end_participation(
        participant,
        status=ParticipantStatus.CANCELLED,
        reason=reason,
        action="delegations.participant.cancel",
        actor=actor,
    )


def _end_participation(participant, *, status, reason, action, actor):
    if participant.status not in SEATED:
        raise ValidationError(
            _("%(name)s is already %(status)s.")
            % {"name": participant.full_name, "status": participant.get_status_display().lower()}
        )
    with transaction.atomic():
        participant.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        participant.status = status
        participant.status_reason = reason
        participant.save(update_fields=["status", "status_reason", "updated_at"])
        log_action(participant, action, actor=actor, data={"reason": reason})


def revoke_invitation(participant, *, actor):
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


def expire_invitations(*, now=None):
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


def meeting_calendar(meeting):
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
    event.add("location", f"{meeting.host_city}, {meeting.host_country.name}")
    calendar.add_component(event)
    return calendar.to_ical()


# --- Two-stage approval of the roster -------------------------------------------------


def _move_roster(delegation, *, allowed_from, to, action, actor, reason=""):
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if delegation.roster_status not in allowed_from:
            raise ValidationError(
                _("The roster is %(status)s; it cannot be changed that way now.")
                % {"status": delegation.get_roster_status_display().lower()}
            )
        delegation.roster_status = to
        delegation.return_reason = reason
        delegation.save(update_fields=["roster_status", "return_reason"])
        log_action(delegation, action, actor=actor, data={"reason": reason} if reason else {})
    return delegation


def approve_roster(delegation, *, actor):
    """The National Representative hands the roster to the secretariat. Side effects:
    status approved, audit entry."""
    return _move_roster(
        delegation,
        allowed_from=[RosterStatus.DRAFT, RosterStatus.RETURNED],
        to=RosterStatus.APPROVED,
        action="delegations.roster.approve",
        actor=actor,
    )


def confirm_roster(delegation, *, actor):
    """The secretariat accepts the approved roster. Side effects: confirmed, audit."""
    return _move_roster(
        delegation,
        allowed_from=[RosterStatus.APPROVED],
        to=RosterStatus.CONFIRMED,
        action="delegations.roster.confirm",
        actor=actor,
    )


def return_roster(delegation, *, reason, actor):
    """The secretariat sends the approved roster back with a reason. Side effects:
    returned with the reason, audit."""
    return _move_roster(
        delegation,
        allowed_from=[RosterStatus.APPROVED],
        to=RosterStatus.RETURNED,
        action="delegations.roster.return",
        actor=actor,
        reason=reason,
    )


# --- Reminders ------------------------------------------------------------------------

REMINDER_DAYS_BEFORE_CLOSE = 7


def send_registration_reminders(*, today=None):
    """Remind invitees who have not registered that registration closes soon.

    Once per open invitation: the outbox refuses a second message with the same
    idempotency key, so running this daily (or twice) reminds no one twice. Side
    effects: one outbox message per invitee reminded.
    """
    now = timezone.now()
    candidates = (
        Invitation.objects.filter(
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
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
        days_left = (meeting.registration_closes - local_today).days
        if not 0 <= days_left <= REMINDER_DAYS_BEFORE_CLOSE:
            continue
        specs.append(
            MailSpec(
                to=[participant.email],
                template="delegations/reminder",
                context={
                    "participant": participant,
                    "meeting": meeting,
                    "closes": meeting.registration_closes,
                },
                idempotency_key=f"delegations.reminder:{invitation.pk}",
                language=participant.language,
                about=participant,
            )
        )
    with transaction.atomic():
        mails = queue_mails(specs)
    return len(mails)


# --- Participant list ---------------------------------------------------------------------


def request_participant_list(meeting, *, actor):
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
            "place": f"{meeting.host_city}, {meeting.host_country.name}",
            "delegations": delegations,
            "time_zone": meeting.time_zone,
        },
        view_permission="delegations.manage_all",
        actor=actor,
        language=getattr(actor, "language", "en"),
    )
