from datetime import timedelta
from typing import cast

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import User
from ascn_portal.core.forms import BoundedForm, BoundedModelForm
from ascn_portal.core.widgets import DateInput
from delegations.enums import SEATED, DelegationRole, ParticipantStatus
from delegations.models import ASEAN_ORDER, MAX_QUOTA, Delegation, Participant, Registration
from delegations.queries import pilot_cities_for
from meetings.models import Meeting
from pilots.models import Country, OrganisationKind


class ParticipantForm(BoundedModelForm):
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    class Meta:
        model = Participant
        fields = [
            "honorific",
            "full_name",
            "position",
            "organisation",
            "email",
            "phone",
            "role",
            "pilot_city",
            "language",
        ]

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pilot_city"].queryset = pilot_cities_for(delegation)
        self.fields["pilot_city"].label_from_instance = lambda city: f"{city} ({city.country})"


class SubstituteForm(ParticipantForm):
    reason = forms.CharField(
        label=_("Reason for the substitution"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DelegationFilterForm(BoundedForm):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft meeting's title is the secretariat's until it is published.
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user)

    def filter(self, queryset):
        if self.is_valid() and self.cleaned_data["meeting"]:
            queryset = queryset.filter(meeting=self.cleaned_data["meeting"])
        return queryset


class RosterUploadForm(BoundedForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma- or semicolon-separated, with the columns of the template."),
    )

    MAX_BYTES = 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload


class RegistrationForm(BoundedModelForm):
    class Meta:
        model = Registration
        fields = [
            "arrival_date",
            "arrival_flight",
            "departure_date",
            "departure_flight",
            "accommodation",
            "dietary_needs",
            "accessibility_needs",
            "emergency_contact",
            "consent_photography",
            "consent_data_processing",
        ]
        widgets = {
            "arrival_date": DateInput,
            "departure_date": DateInput,
        }

    # Travel to and from a meeting falls around it, not years away.
    TRAVEL_DAYS = 31

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["consent_data_processing"].required = True
        self.fields["consent_data_processing"].help_text = _(
            "The organisers use these details only to run the meeting."
        )

    def clean(self):
        cleaned = super().clean()
        arrival, departure = cleaned.get("arrival_date"), cleaned.get("departure_date")
        if arrival and departure and departure < arrival:
            self.add_error("departure_date", _("Departure cannot be before arrival."))
        first = self.meeting.start_date - timedelta(days=self.TRAVEL_DAYS)
        last = self.meeting.end_date + timedelta(days=self.TRAVEL_DAYS)
        for name in ("arrival_date", "departure_date"):
            day = cleaned.get(name)
            if day and not first <= day <= last:
                self.add_error(
                    name,
                    _("Give a date from %(first)s to %(last)s, around the meeting.")
                    % {"first": date_format(first, "j F Y"), "last": date_format(last, "j F Y")},
                )
        return cleaned


class DeclineForm(BoundedForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ParticipantFilterForm(BoundedForm):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), required=False
    )
    country = forms.ModelChoiceField(
        label=_("Member state"), queryset=Country.objects.asean_members(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ParticipantStatus.choices], required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All")), *DelegationRole.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        choices=[("", _("All")), *OrganisationKind.choices],
        required=False,
    )
    awaiting = forms.BooleanField(
        label=_("Only late nominations awaiting confirmation"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["awaiting"]:
            queryset = queryset.filter(
                late_nominated_at__isnull=False, late_confirmed_at__isnull=True, status__in=SEATED
            )
        lookups = {
            "delegation__meeting": data["meeting"],
            "delegation__country": data["country"],
            "status": data["status"],
            "role": data["role"],
            "organisation__kind": data["kind"],
        }
        return queryset.filter(**{name: value for name, value in lookups.items() if value})


# --- Setting up a meeting's delegations -------------------------------------------------


class DelegationForm(BoundedModelForm):
    """A delegation's name, kind, country and quota, as the secretariat sets them."""

    quota = forms.IntegerField(label=_("Quota"), min_value=0, max_value=MAX_QUOTA)

    class Meta:
        model = Delegation
        fields = ["kind", "country", "name", "quota"]
        help_texts = {
            "country": _("For a member state or an observer state such as Timor-Leste."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].label = _("Country")
        self.fields["country"].queryset = Country.objects.order_by("-is_asean_member", "name")


class DelegationChangeForm(DelegationForm):
    head = forms.ModelChoiceField(
        label=_("Head of delegation"),
        queryset=Participant.objects.none(),
        required=False,
        help_text=_("One of the people holding a seat on the roster."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = self.instance.participants.filter(
            status__in=SEATED
        ).order_by("full_name", "pk")


class RepresentativeForm(BoundedForm):
    """Name the National Representative by e-mail address.

    An address with an account names that person at once; any other address is sent an
    invitation. One address field instead of a list of every account keeps the page the
    same size however many people use the portal.
    """

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(
        label=_("Their full name"),
        required=False,
        max_length=200,
        help_text=_("Needed only when the address has no account yet and is invited."),
    )
    language = forms.ChoiceField(
        label=_("Language of e-mails"), choices=settings.LANGUAGES, initial="en"
    )

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        new_address = email and not User.objects.filter(email__iexact=email).exists()
        if new_address and not cleaned.get("full_name"):
            self.add_error(
                "full_name",
                _("No account uses this address yet: give their full name for the invitation."),
            )
        return cleaned


class LogisticsFilterForm(BoundedForm):
    delegation = forms.ModelChoiceField(
        label=_("Delegation"),
        queryset=Delegation.objects.none(),
        required=False,
        empty_label=_("All delegations"),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        delegation = cast(forms.ModelChoiceField, self.fields["delegation"])
        delegation.queryset = Delegation.objects.filter(meeting=meeting).order_by(*ASEAN_ORDER)
