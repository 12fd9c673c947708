"""What an invitee does with the link: register, decline, or cancel later."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor, reply_to
from ascn_portal.core.audit import log_action
from ascn_portal.core.outbox import MailSpec, queue_mails
from delegations.enums import SEATED, ParticipantStatus
from delegations.models import Delegation, Participant, Registration
from meetings.models import Meeting


def window_problem(meeting: Meeting, *, today: date | None = None) -> str | None:
    """Why registration for ``meeting`` is not open today (by the meeting's own date),
    or None while it is: from ``registration_opens`` to ``registration_closes``, both
    days included, either one unset meaning no limit on that side."""
    today = today or timezone.localdate(timezone=meeting.zone)
    if meeting.registration_opens and today < meeting.registration_opens:
        return _("Registration opens on %(date)s.") % {
            "date": date_format(meeting.registration_opens, "j F Y")
        }
    if registration_has_closed(meeting, today=today):
        return _("Registration is closed; contact your National Representative for changes.")
    return None


def registration_has_closed(meeting: Meeting, *, today: date | None = None) -> bool:
    """Whether ``meeting``'s last day of registration (its own date) has passed."""
    today = today or timezone.localdate(timezone=meeting.zone)
    return meeting.registration_closes is not None and today > meeting.registration_closes


def register(participant: Participant, registration: Registration, *, actor: Actor) -> Registration:
    """Save the registration form and count the participant as registered.

    The delegation's row is locked while registered seats are counted, so two people
    registering for the last seat (after the secretariat lowered the quota, say)
    cannot both succeed. Raises ValidationError outside the meeting's registration
    window, for a full delegation, or for someone who declined, was withdrawn or
    replaced. Sending the form again updates the one Registration. Side effects: the
    Registration row, the participant registered, an audit entry.
    """
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=participant.delegation_id)
        )
        problem = window_problem(delegation.meeting)
        if problem:
            raise ValidationError(problem)
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
        # The same form sent twice (a double click, a retry after a lost answer, on
        # another web node) fills the one registration in: the first one's row, read
        # under the lock, is updated rather than a second inserted.
        earlier = Registration.objects.filter(participant=participant).first()
        if earlier is not None and registration.pk != earlier.pk:
            registration.pk, registration.created_at = earlier.pk, earlier.created_at
            registration._state.adding = False
        registration.save()
        if participant.status != ParticipantStatus.REGISTERED:
            participant.status = ParticipantStatus.REGISTERED
            participant.save(update_fields=["status", "updated_at"])
        log_action(participant, "delegations.participant.register", actor=actor)
    return registration


def decline(participant: Participant, *, reason: str, actor: Actor) -> None:
    """The participant will not come: declined before registering, cancelled after.

    Raises ValidationError if they hold no seat any more. Side effects: the status
    and reason, open invitations revoked, an audit entry.
    """
    if participant.status == ParticipantStatus.REGISTERED:
        status, action = ParticipantStatus.CANCELLED, "delegations.participant.cancel"
    else:
        status, action = ParticipantStatus.DECLINED, "delegations.participant.decline"
    end_participation(participant, status=status, reason=reason, action=action, actor=actor)


def cancel_participation(participant: Participant, *, reason: str, actor: Actor) -> None:
    """The National Representative or the secretariat withdraws a participant.

    Frees the seat and tells the person why. Side effects: status withdrawn with the
    reason, open invitations revoked, an audit entry, one outbox message.
    """
    end_participation(
        participant,
        status=ParticipantStatus.WITHDRAWN,
        reason=reason,
        action="delegations.participant.withdraw",
        actor=actor,
        notify=True,
    )


def end_participation(
    participant: Participant,
    *,
    status: str,
    reason: str,
    action: str,
    actor: Actor,
    notify: bool = False,
) -> None:
    """End a participant's seat with a status and reason; with ``notify``, tell them by
    e-mail (a withdrawal or a substitution decided by others)."""
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
        entry = log_action(participant, action, actor=actor, data={"reason": reason})
        if notify:
            meeting = participant.delegation.meeting
            queue_mails(
                [
                    MailSpec(
                        to=[participant.email],
                        template="delegations/participation_ended",
                        context={
                            "participant": participant,
                            "meeting": meeting,
                            "delegation": participant.delegation,
                            "replaced": status == ParticipantStatus.REPLACED,
                            "reason": reason,
                        },
                        idempotency_key=f"delegations.participation_ended:{entry.pk}",
                        language=participant.language,
                        reply_to=reply_to(actor),
                        about=participant,
                    )
                ],
                actor=actor,
            )
