"""What the delegation pages share: the objects a person may see or manage (404
for anyone else), and the way of a personal link's holder to sign up or log in."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation

from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import admit_invitee
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


def to_sign_up_or_log_in(request, *, email, profile, language, sign_up_message):
    """Lead the holder of a personal link who is not logged in: to the login page when
    an account has ``email``, else to sign-up for that address (admitted with
    ``profile``, told ``sign_up_message``), and back to the link after either; the
    pages before login speak ``language``."""
    translation.activate(language)
    if User.objects.filter(email__iexact=email).exists():
        response = redirect_to_login(request.get_full_path())
    else:
        admit_invitee(request, email=email, profile=profile)
        messages.info(request, sign_up_message)
        response = redirect(
            f"{reverse('account_signup')}?{urlencode({'next': request.get_full_path()})}"
        )
    return speaking(response, language)
