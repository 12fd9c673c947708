from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ascn_portal.accounts.services import apply_invitee_profile, invited_email, save_language


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come only through an invitation.

    The invitation view checks the token and calls ``services.admit_invitee``; that
    opens sign-up for this browser session, for that one e-mail address, which counts
    as verified because the token reached its inbox.
    """

    def is_open_for_signup(self, request):
        return invited_email(request) is not None

    def clean_email(self, email):
        email = super().clean_email(email)
        invited = invited_email(context.request) if context.request else None
        if invited is not None and email.lower() != invited:
            raise forms.ValidationError(
                _("Use the address your invitation was sent to: %(email)s"),
                params={"email": invited},
            )
        return email

    def save_user(self, request, user, form, commit=True):
        """The new account starts with the name, language and zone of its invitation."""
        user = super().save_user(request, user, form, commit=False)
        apply_invitee_profile(request, user)
        if commit:
            user.save()
        return user

    def validation_error(self, code, *args):
        """allauth's errors, with the login lockout saying how long to wait."""
        if code == "too_many_login_attempts":
            minutes = settings.ASCN_LOGIN_LOCK_MINUTES
            return forms.ValidationError(
                ngettext(
                    "Too many failed login attempts. Try again in %(minutes)s minute.",
                    "Too many failed login attempts. Try again in %(minutes)s minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code=code,
            )
        return super().validation_error(code, *args)

    def login(self, request, user):
        """A language chosen before logging in (the switcher's cookie) wins over the
        account's and is saved to it, so the page after login speaks it."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            save_language(user, language=chosen)
        # The "signed in" message and the rest of this response in the account's language.
        translation.activate(user.language)
        return super().login(request, user)
