import zoneinfo

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ascn_portal.accounts.enums import Role


class UserPreferencesMiddleware:
    """Show pages in the signed-in person's saved language and time zone.

    Runs after LocaleMiddleware, so the saved choice wins over the browser's; anonymous
    visitors keep the language of the switcher cookie or their browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# Pages an account that must use two-factor authentication but has not set it up
# may still open: the set-up itself, signing out and the language switcher.
_MFA_SETUP_URL_NAMES = {"account_logout", "account_reauthenticate", "set_language", "healthz"}


def needs_mfa(user) -> bool:
    """Whether two-factor authentication is required of this account (when required at all)."""
    return user.role == Role.SECRETARIAT or user.is_staff or user.is_superuser


class RequireMFAMiddleware:
    """With ASCN_REQUIRE_MFA on, send the secretariat and every account that may open the
    admin (staff, superusers) to TOTP set-up until they have it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ASCN_REQUIRE_MFA and self._must_set_up(request):
            messages.warning(
                request,
                _(
                    "Secretariat and administration accounts need two-factor "
                    "authentication. Set it up to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request):
        user = request.user
        if not user.is_authenticated or not needs_mfa(user):
            return False
        try:
            url_name = resolve(request.path_info).url_name or ""
        except Resolver404:
            return False
        if url_name.startswith("mfa_") or url_name in _MFA_SETUP_URL_NAMES:
            return False
        return not is_mfa_enabled(user, [Authenticator.Type.TOTP])
