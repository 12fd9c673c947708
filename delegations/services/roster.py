"""The roster: nominations within the quota, substitutions, the two-stage approval."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor, reply_to
from ascn_portal.core.audit import log_action
from ascn_portal.core.outbox import MailSpec, queue_mails
from ascn_portal.core.sites import absolute_url
from delegations.enums import (
    ROSTER_APPROVABLE,
    ROSTER_CONFIRMABLE,
    SEATED,
    ParticipantStatus,
    RosterStatus,
)
from delegations.models import Delegation, Participant
from delegations.services.registration import end_participation


def nominate(delegation: Delegation, participant: Participant, *, actor: Actor) -> Participant:
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
        refuse_foreign_city(delegation, participant)
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


def nominate_late(delegation: Delegation, participant: Participant, *, actor: Actor) -> Participant:
    """Nominate someone to a confirmed roster, within its free seats.

    The newcomer waits for the secretariat's confirmation (confirm_late_nomination)
    before they can be invited; the rest of the roster stays confirmed. The
    delegation row is locked while seats are counted. Raises ValidationError when the
    roster is not confirmed (nominate as usual), no seat is free (with the numbers) or
    the address is already on the roster. Side effects: the Participant row, an audit
    entry.
    """
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if delegation.roster_status != RosterStatus.CONFIRMED:
            raise ValidationError(_("The roster is not confirmed: nominate as usual."))
        seated = delegation.participants.filter(status__in=SEATED).count()
        if seated >= delegation.quota:
            raise ValidationError(
                _(
                    "No seat is free: %(seated)s of the %(quota)s seats are taken. Replace "
                    "someone with a substitute, or ask the secretariat to raise the quota."
                )
                % {"seated": seated, "quota": delegation.quota}
            )
        if delegation.participants.filter(email__iexact=participant.email).exists():
            raise ValidationError(
                {"email": _("%(email)s is already on this roster.") % {"email": participant.email}}
            )
        refuse_foreign_city(delegation, participant)
        participant.delegation = delegation
        participant.email = participant.email.lower()
        participant.status = ParticipantStatus.NOMINATED
        participant.late_nominated_at = timezone.now()
        participant.save()
        log_action(
            participant,
            "delegations.participant.nominate_late",
            actor=actor,
            data={"delegation": delegation.pk, "email": participant.email},
        )
    return participant


def confirm_late_nomination(participant: Participant, *, actor: Actor) -> Participant:
    """The secretariat confirms one late nominee, who may then be invited.

    Raises ValidationError when the person does not wait for confirmation. Side
    effects: the confirmation time, an audit entry.
    """
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if not participant.awaits_confirmation or participant.status not in SEATED:
            raise ValidationError(
                _("%(name)s does not wait for confirmation.") % {"name": participant.full_name}
            )
        participant.late_confirmed_at = timezone.now()
        participant.save(update_fields=["late_confirmed_at", "updated_at"])
        log_action(participant, "delegations.participant.confirm_late", actor=actor)
    return participant


def refuse_foreign_city(delegation: Delegation, participant: Participant) -> None:
    """A member state's delegation represents its own pilot cities only."""
    city = participant.pilot_city
    if city is not None and delegation.country_id and city.country_id != delegation.country_id:
        raise ValidationError(
            {
                "pilot_city": _("%(city)s is not a pilot city of this delegation's country.")
                % {"city": city.name}
            }
        )


def refuse_if_confirmed(delegation: Delegation) -> None:
    """A confirmed roster changes only by substitution, so the change stays on record."""
    if delegation.roster_status == RosterStatus.CONFIRMED:
        raise ValidationError(
            _(
                "The roster is confirmed: to change it, replace a participant with a "
                "substitute from their page."
            )
        )


def substitute(
    participant: Participant, substitute: Participant, *, reason: str, actor: Actor
) -> Participant:
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
        refuse_foreign_city(delegation, substitute)
        end_participation(
            participant,
            status=ParticipantStatus.REPLACED,
            reason=reason,
            action="delegations.participant.replace",
            actor=actor,
            notify=True,
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


def seats_left(delegation: Delegation) -> int:
    return max(delegation.quota - delegation.participants.filter(status__in=SEATED).count(), 0)


# --- Two-stage approval of the roster -------------------------------------------------


def _move_roster(
    delegation: Delegation,
    *,
    allowed_from: list[RosterStatus],
    to: RosterStatus,
    action: str,
    actor: Actor,
    reason: str = "",
    notify_template: str = "",
) -> Delegation:
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update(of=("self",))
            .select_related("meeting", "national_representative")
            .get(pk=delegation.pk)
        )
        if delegation.roster_status not in allowed_from:
            raise ValidationError(
                _("The roster is %(status)s; it cannot be changed that way now.")
                % {"status": delegation.get_roster_status_display().lower()}
            )
        delegation.roster_status = to
        delegation.return_reason = reason
        delegation.save(update_fields=["roster_status", "return_reason"])
        entry = log_action(
            delegation, action, actor=actor, data={"reason": reason} if reason else {}
        )
        if notify_template:
            _tell_representative(delegation, notify_template, key=entry.pk, actor=actor)
    return delegation


def _tell_representative(delegation: Delegation, template: str, *, key: int, actor: Actor) -> None:
    """E-mail the delegation's National Representative what the secretariat decided."""
    representative = delegation.national_representative
    if representative is None or not representative.email:
        return
    queue_mails(
        [
            MailSpec(
                to=[representative.email],
                template=template,
                context={
                    "name": representative.display_name,
                    "delegation": delegation,
                    "meeting": delegation.meeting,
                    "reason": delegation.return_reason,
                    "link": absolute_url(delegation.get_absolute_url()),
                },
                idempotency_key=f"{template}:{key}",
                language=representative.language,
                reply_to=reply_to(actor),
                about=delegation,
            )
        ],
        actor=actor,
    )


def approve_roster(delegation: Delegation, *, actor: Actor) -> Delegation:
    """The National Representative hands the roster to the secretariat. Side effects:
    status approved, audit entry."""
    return _move_roster(
        delegation,
        allowed_from=ROSTER_APPROVABLE,
        to=RosterStatus.APPROVED,
        action="delegations.roster.approve",
        actor=actor,
    )


def confirm_roster(delegation: Delegation, *, actor: Actor) -> Delegation:
    """The secretariat accepts the approved roster. Side effects: confirmed, audit, an
    e-mail to the National Representative."""
    return _move_roster(
        delegation,
        allowed_from=ROSTER_CONFIRMABLE,
        to=RosterStatus.CONFIRMED,
        action="delegations.roster.confirm",
        actor=actor,
        notify_template="delegations/roster_confirmed",
    )


def return_roster(delegation: Delegation, *, reason: str, actor: Actor) -> Delegation:
    """The secretariat sends the approved roster back with a reason. Side effects:
    returned with the reason, audit, an e-mail to the National Representative."""
    return _move_roster(
        delegation,
        allowed_from=ROSTER_CONFIRMABLE,
        to=RosterStatus.RETURNED,
        action="delegations.roster.return",
        actor=actor,
        reason=reason,
        notify_template="delegations/roster_returned",
    )
