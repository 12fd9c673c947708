from allauth.core import context
from allauth.mfa.totp import forms as allauth_totp_forms
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import User
from ascn_portal.accounts.zones import zone_choices
from ascn_portal.core.forms import BoundedModelForm


class ProfileForm(BoundedModelForm):
    """What a person says about themselves. The organisation is read-only while a
    delegation sets it (the view passes ``organisation_from``)."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=zone_choices,
        help_text=_("Times are shown in this zone next to the meeting's own."),
    )

    class Meta:
        model = User
        fields = [
            "honorific",
            "full_name",
            "position",
            "organisation",
            "phone",
            "language",
            "time_zone",
        ]

    def __init__(self, *args, organisation_from=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        # The browser's zone is offered (static/js/profile.js) while the account still
        # has the default.
        self.fields["time_zone"].widget.attrs["data-browser-default"] = (
            "true" if self.instance.time_zone == "UTC" else "false"
        )
        if organisation_from:
            field = self.fields["organisation"]
            field.disabled = True
            # Help texts are printed as HTML: the name is escaped.
            field.help_text = _("Set by your delegation: %(delegation)s.") % {
                "delegation": escape(organisation_from)
            }


class ActivateTOTPForm(allauth_totp_forms.ActivateTOTPForm):
    """allauth's TOTP set-up, with the secret kept until it is confirmed.

    allauth makes a new secret on every visit of the set-up page, so a reload or a
    language switch after scanning the QR code left the app with a secret that no
    longer works. Here the secret of the browser session stays until the code is
    confirmed (allauth clears it then). The code field opens a numeric keypad.
    """

    def __init__(self, *args, **kwargs):
        kept = context.request.session.get(totp_auth.SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if kept and self.secret != kept:
            context.request.session[totp_auth.SECRET_SESSION_KEY] = self.secret = kept
        self.fields["code"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "maxlength": "6",
            }
        )
        self.fields["code"].max_length = 6
