from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django import forms
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.services import invited_email


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
