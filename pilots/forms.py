import re

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import User
from ascn_portal.core.forms import BoundedForm, BoundedModelForm
from ascn_portal.core.widgets import DateInput, LocalizedDecimalField
from pilots.enums import PARTNER_KINDS, CityStatus, ProjectStatus
from pilots.models import Country, FocusArea, Organisation, PartnershipProject, PilotCity


class FocusAreasField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=FocusArea.objects.all(),
            label=_("Focus areas of the ASEAN Smart Cities Framework"),
            required=False,
            **kwargs,
        )


class CityProfileForm(BoundedModelForm):
    """What a city's focal points keep up to date themselves."""

    focus_areas = FocusAreasField()

    class Meta:
        model = PilotCity
        fields = ["focal_point_name", "profile", "sources"]
        widgets = {
            "profile": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "sources": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("focus_areas", list(self.instance.focus_areas.all()))

    def clean_profile(self):
        profile = self.cleaned_data["profile"].strip()
        if len(profile) > 2000:
            raise forms.ValidationError(_("Keep the profile short: at most 2,000 characters."))
        return profile

    @property
    def model_fields(self):
        """The columns this form edits, for a save limited to them."""
        return list(self._meta.fields)


class CityForm(CityProfileForm):
    """Everything about a city, for the secretariat: also its status and focal points."""

    focal_point_emails = forms.CharField(
        label=_("Focal-point accounts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "E-mail addresses of the people who may edit this city and its projects, "
            "one per line. Each needs an account."
        ),
    )

    class Meta(CityProfileForm.Meta):
        fields = [
            "name",
            "slug",
            "country",
            "status",
            "joined_year",
            "focal_point_name",
            "profile",
            "sources",
        ]

    field_order = [
        "name",
        "slug",
        "country",
        "status",
        "joined_year",
        "focus_areas",
        "focal_point_name",
        "focal_point_emails",
        "profile",
        "sources",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.asean_members()
        if self.instance.pk:
            # A city's address stays what it was: other pages and documents link to it.
            del self.fields["slug"]
            self.initial.setdefault(
                "focal_point_emails",
                "\n".join(self.instance.focal_points.values_list("email", flat=True)),
            )
        else:
            self.fields["slug"].required = False

    @property
    def model_fields(self):
        return [name for name in self._meta.fields if name in self.fields]

    def clean_joined_year(self):
        year = self.cleaned_data["joined_year"]
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year joined cannot be in the future."))
        return year

    def clean_focal_point_emails(self):
        emails = sorted(
            {
                email.lower()
                for email in re.split(r"[\s,;]+", self.cleaned_data["focal_point_emails"])
                if email
            }
        )
        users = list(User.objects.filter(email__in=emails, is_active=True).order_by("email"))
        missing = sorted(set(emails) - {user.email for user in users})
        if missing:
            raise forms.ValidationError(
                _("No active account uses %(emails)s."), params={"emails": ", ".join(missing)}
            )
        return users

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = slugify(cleaned["name"])
            if not cleaned["slug"]:
                self.add_error("slug", _("Give a web address made of letters and digits."))
        return cleaned


class ProjectForm(BoundedModelForm):
    """A partnership project of one city. Its status is chosen once, when it is entered;
    afterwards it moves with the progress updates."""

    class Meta:
        model = PartnershipProject
        fields = [
            "partner",
            "programme",
            "title",
            "scope",
            "value",
            "currency",
            "supported_by",
            "supervised_by",
            "start_date",
            "end_date",
            "status",
            "source",
        ]
        field_classes = {"value": LocalizedDecimalField}
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "source": forms.Textarea(attrs={"rows": 2}),
            "start_date": DateInput,
            "end_date": DateInput,
            "currency": forms.TextInput(
                attrs={
                    "list": "currency-codes",
                    "autocomplete": "off",
                    "maxlength": 3,
                    "autocapitalize": "characters",
                }
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.filter(kind__in=PARTNER_KINDS)
        self.fields["partner"].help_text = _(
            "A company, a dialogue partner's agency or an international organisation. "
            "The secretariat adds organisations that are missing."
        )
        if self.instance.pk:
            del self.fields["status"]

    @property
    def model_fields(self):
        return [name for name in self._meta.fields if name in self.fields]

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        value, currency = cleaned.get("value"), cleaned.get("currency")
        if value is not None and not currency and "currency" not in self.errors:
            self.add_error("currency", _("Give the currency of the value."))
        if currency and value is None and "value" not in self.errors:
            self.add_error("value", _("Give the value in this currency, or no currency."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project cannot end before it starts."))
        return cleaned


class ProgressUpdateForm(BoundedForm):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    note = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", _("No change")), *ProjectStatus.choices],
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class DirectoryFilterForm(BoundedForm):
    country = forms.ModelChoiceField(
        label=_("Member state"),
        queryset=Country.objects.asean_members(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *CityStatus.choices], required=False
    )
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"),
        queryset=FocusArea.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )

    def filter(self, cities):
        if not self.is_valid():
            return cities
        data = self.cleaned_data
        lookups = {
            "country": data["country"],
            "status": data["status"],
            "focus_areas": data["focus_area"],
        }
        return cities.filter(**{name: value for name, value in lookups.items() if value})


class PartnershipFilterForm(BoundedForm):
    country = forms.ModelChoiceField(
        label=_("Member state"),
        queryset=Country.objects.asean_members(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ProjectStatus.choices], required=False
    )

    def filter(self, projects):
        if not self.is_valid():
            return projects
        data = self.cleaned_data
        lookups = {"city__country": data["country"], "status": data["status"]}
        return projects.filter(**{name: value for name, value in lookups.items() if value})
