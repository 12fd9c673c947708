"""Writes on delegations and their rosters."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ascn_portal.core.audit import log_action
from delegations.enums import SEATED
from delegations.models import Delegation


def nominate(delegation, participant, *, actor):
    """Add a nominated participant to the delegation's roster, within its quota.

    The delegation row is locked while its seats are counted, so two nominations for
    the last seat cannot both succeed. Raises ValidationError (quota, or an address
    already on the roster). Side effects: the Participant row, an audit entry.
    """
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
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


def seats_left(delegation):
    return max(delegation.quota - delegation.participants.filter(status__in=SEATED).count(), 0)
