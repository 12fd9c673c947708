import re
from datetime import date
from typing import Any, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import User
from ascn_portal.core.forms import BoundedForm
from meetings.agenda.models import AgendaSession, Meeting
from meetings.register.enums import Distribution, DocumentLanguage, DocumentSeries, VersionChange
from meetings.register.queries import RegisterFilter
from pilots.models import Country, Organisation

# A named distribution list: at most this many readers, by e-mail address.
MAX_NAMED_READERS = 200


def _sessions_of(meeting: Meeting) -> Any:
    return AgendaSession.objects.filter(meeting=meeting).order_by("starts_at", "pk")


class RegisterFilterForm(BoundedForm):
    """The register page's filters, from the query string; a wrong value is ignored."""

    agenda_session = forms.ModelChoiceField(
        label=_("Agenda item or panel"),
        queryset=AgendaSession.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    country = forms.ModelChoiceField(
        label=_("Delegation"), queryset=Country.objects.none(), required=False, empty_label=_("Any")
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any")), *DocumentLanguage.choices], required=False
    )
    series = forms.ChoiceField(
        label=_("Series"), choices=[("", _("Any")), *DocumentSeries.choices], required=False
    )
    day = forms.TypedChoiceField(
        label=_("Day"), choices=[], required=False, coerce=date.fromisoformat, empty_value=None
    )
    q = forms.CharField(label=_("Words in the title or text"), required=False, max_length=200)

    field_order = ["q", "agenda_session", "day", "country", "language", "series"]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session_field = cast(forms.ModelChoiceField, self.fields["agenda_session"])
        session_field.queryset = _sessions_of(meeting)
        cast(forms.TypedChoiceField, self.fields["day"]).choices = [
            ("", _("Any")),
            *((day.isoformat(), date_format(day, "l j F Y")) for day in meeting.days),
        ]
        cast(
            forms.ModelChoiceField, self.fields["country"]
        ).queryset = Country.objects.asean_members()

    def where(self) -> RegisterFilter:
        if not self.is_valid():
            return RegisterFilter()
        data = self.cleaned_data
        return RegisterFilter(
            agenda_session=data["agenda_session"],
            country=data["country"],
            language=data["language"],
            series=data["series"],
            text=data["q"].strip(),
            day=data["day"],
        )


class _FileFields(BoundedForm):
    language = forms.ChoiceField(
        label=_("Language of the file"), choices=DocumentLanguage.choices, initial="en"
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, PowerPoint, Excel, PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.pptx,.xlsx,.png,.jpg,.jpeg"}),
    )


class DocumentRegisterForm(_FileFields):
    """The secretariat's form: any series, submitter and distribution."""

    series = forms.ChoiceField(label=_("Series"), choices=DocumentSeries.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    agenda_session = forms.ModelChoiceField(
        label=_("Agenda item or panel"), queryset=AgendaSession.objects.none(), required=False
    )
    country = forms.ModelChoiceField(
        label=_("Submitting delegation"), queryset=Country.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Submitting organisation"), queryset=Organisation.objects.none(), required=False
    )
    distribution = forms.ChoiceField(
        label=_("Distribution"), choices=Distribution.choices, initial=Distribution.PARTICIPANTS
    )
    readers = forms.CharField(
        label=_("Named readers"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a named distribution: the readers' e-mail addresses, one a line."),
    )

    field_order = [
        "series",
        "title",
        "agenda_session",
        "country",
        "organisation",
        "distribution",
        "readers",
        "language",
        "file",
    ]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agenda_session"]).queryset = _sessions_of(meeting)
        cast(
            forms.ModelChoiceField, self.fields["country"]
        ).queryset = Country.objects.asean_members()
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = Organisation.objects.order_by("name")

    def clean_readers(self) -> list[User]:
        emails = sorted(
            {e.lower() for e in re.split(r"[\s,;]+", self.cleaned_data["readers"]) if e}
        )
        if len(emails) > MAX_NAMED_READERS:
            raise forms.ValidationError(
                _("Name at most %(count)s readers.") % {"count": MAX_NAMED_READERS}
            )
        people = list(User.objects.filter(email__in=emails, is_active=True))
        unknown = sorted(set(emails) - {person.email.lower() for person in people})
        if unknown:
            raise forms.ValidationError(
                _("No active account has the address %(emails)s.")
                % {"emails": ", ".join(unknown[:5])}
            )
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("distribution") == Distribution.NAMED and not data.get("readers"):
            self.add_error("readers", _("Name at least one reader for a named distribution."))
        return data


class ReportSubmitForm(_FileFields):
    """A National Representative's form: their own delegation's report."""

    title = forms.CharField(label=_("Title"), max_length=300)
    agenda_session = forms.ModelChoiceField(
        label=_("Agenda item or panel"), queryset=AgendaSession.objects.none(), required=False
    )
    distribution = forms.ChoiceField(
        label=_("Distribution"),
        choices=[
            (value, label) for value, label in Distribution.choices if value != Distribution.NAMED
        ],
        initial=Distribution.PARTICIPANTS,
    )

    field_order = ["title", "agenda_session", "distribution", "language", "file"]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agenda_session"]).queryset = _sessions_of(meeting)


class AddFileForm(_FileFields):
    change = forms.ChoiceField(
        label=_("This file is"), choices=VersionChange.choices, widget=forms.RadioSelect
    )

    field_order = ["change", "language", "file"]


class BundleRequestForm(BoundedForm):
    """ "Download all": the agenda item or the day whose documents a ZIP gathers."""

    agenda_session = forms.ModelChoiceField(queryset=AgendaSession.objects.none(), required=False)
    day = forms.TypedChoiceField(
        choices=[], required=False, coerce=date.fromisoformat, empty_value=None
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agenda_session"]).queryset = _sessions_of(meeting)
        cast(forms.TypedChoiceField, self.fields["day"]).choices = [
            (day.isoformat(), day.isoformat()) for day in meeting.days
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("agenda_session")) == bool(data.get("day")):
            raise forms.ValidationError(_("Choose an agenda item or a day."))
        return data
