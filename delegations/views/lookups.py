"""What the delegation pages share: the objects a person may see or manage (404
for anyone else), and the language of the pages before login."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ascn_portal.core.permissions import get_visible_or_404
from delegations.models import Delegation, Participant

PAGE_SIZE = 50


def delegation_or_404(request, pk):
    """The delegation if this person may see it; 404 for everyone else."""
    return get_visible_or_404(
        Delegation.objects.select_related("meeting", "country", "national_representative"),
        request.user,
        pk=pk,
    )


def managed_delegation_or_404(request, pk):
    delegation = delegation_or_404(request, pk)
    if not request.user.has_perm("delegations.manage_delegation", delegation):
        raise PermissionDenied
    return delegation


def managed_participant_or_404(request, pk):
    """A participant of a delegation this person manages; 404 for everyone else."""
    participant = get_object_or_404(
        Participant.objects.with_state()
        .select_related(
            "delegation__meeting__host_country",
            "delegation__country",
            "organisation",
            "replaces",
            "pilot_city",
            "user",
        )
        .filter(delegation__in=Delegation.objects.visible_to(request.user)),
        pk=pk,
    )
    if not request.user.has_perm("delegations.manage_delegation", participant.delegation):
        raise PermissionDenied
    return participant


def speaking(response, language):
    """Let the pages before login (sign-up, login) speak ``language``: the switcher's
    cookie, which the account then keeps (AccountAdapter.login)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
