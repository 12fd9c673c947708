from datetime import datetime
from typing import Any, cast

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import User
from ascn_portal.accounts.zones import country_zone, zone_choices
from ascn_portal.core.forms import BoundedForm, BoundedModelForm, formset_bounds
from ascn_portal.core.widgets import DateInput, TimeInput
from meetings.agenda.enums import SessionKind
from meetings.agenda.models import MAX_MEETING_DAYS, AgendaSession, Meeting, Room
from pilots.models import Country


class MeetingForm(BoundedModelForm):
    class Meta:
        model = Meeting
        fields = [
            "number",
            "title",
            "host_city",
            "host_country",
            "chair_country",
            "format",
            "status",
            "start_date",
            "end_date",
            "time_zone",
            "venue",
            "registration_opens",
            "registration_closes",
            "description",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "registration_opens": DateInput,
            "registration_closes": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("The IANA zone of the venue. Left empty, the host country's zone."),
        error_messages={"invalid_choice": _("%(value)s is not a known time zone.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Country.objects.asean_members()
        self.fields["host_country"].queryset = members
        self.fields["chair_country"].queryset = members
        time_zone = cast(forms.ChoiceField, self.fields["time_zone"])
        zones = zone_choices()
        current = self.instance.time_zone
        if current and current not in dict(zones):
            zones = [(current, current), *zones]  # an older alias the list leaves out
        time_zone.choices = [("", _("The host country's zone")), *zones]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        elif start and end and (end - start).days + 1 > MAX_MEETING_DAYS:
            self.add_error(
                "end_date",
                _("A meeting lasts at most %(max)s days; these dates make %(days)s.")
                % {"max": MAX_MEETING_DAYS, "days": (end - start).days + 1},
            )
        host = cleaned.get("host_country")
        if not cleaned.get("time_zone") and host is not None:
            cleaned["time_zone"] = country_zone(host.code, default="UTC")
            self.instance.time_zone = cleaned["time_zone"]
        opens, closes = cleaned.get("registration_opens"), cleaned.get("registration_closes")
        if opens and closes and closes < opens:
            self.add_error("registration_closes", _("Registration cannot close before it opens."))
        if closes and end and closes > end:
            self.add_error(
                "registration_closes", _("Registration must close by the meeting's last day.")
            )
        return cleaned


RoomFormSet: "type[BaseInlineFormSet[Any, Any, Any]]" = inlineformset_factory(
    Meeting,
    Room,
    form=BoundedModelForm,
    fields=["name", "capacity"],
    extra=2,
    can_delete=True,
    **formset_bounds(50),
)


class AgendaSessionForm(BoundedModelForm):
    """A session entered as a day and clock times in the meeting's own time zone."""

    day = forms.TypedChoiceField(
        label=_("Day"), coerce=lambda value: datetime.fromisoformat(value).date()
    )
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput)

    class Meta:
        model = AgendaSession
        fields = [
            "title",
            "kind",
            "day",
            "start_time",
            "end_time",
            "room",
            "chair",
            "chair_person",
            "visibility",
            "expected_attendance",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.instance.meeting = meeting
        self.fields["room"].queryset = meeting.rooms.all()
        self.fields["chair_person"].queryset = User.objects.filter(is_active=True).exclude(role="")
        self.fields["day"].choices = [(day.isoformat(), _date_label(day)) for day in meeting.days]
        if self.instance.pk:
            local_start = self.instance.starts_at.astimezone(meeting.zone)
            local_end = self.instance.ends_at.astimezone(meeting.zone)
            self.initial.setdefault("day", local_start.date().isoformat())
            self.initial.setdefault("start_time", local_start.time())
            self.initial.setdefault("end_time", local_end.time())

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("A session must end after it starts."))
            else:
                zone = self.meeting.zone
                self.instance.starts_at = datetime.combine(day, start, tzinfo=zone)
                self.instance.ends_at = datetime.combine(day, end, tzinfo=zone)
        return cleaned


def _date_label(day):
    return date_format(day, "l j F Y")


class AgendaFilterForm(BoundedForm):
    """Narrow the published agenda by day, kind and room."""

    day = forms.ChoiceField(label=_("Day"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    room = forms.CharField(label=_("Room"), required=False, max_length=100)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [("", _("All days"))] + [
            (day.isoformat(), _date_label(day)) for day in meeting.days
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *SessionKind.choices]
        self.fields["room"].widget = forms.Select(
            choices=[("", _("All rooms"))]
            + [(room.name, room.name) for room in meeting.rooms.all()]
        )

    def filter(self, sessions):
        if not self.is_bound or not self.is_valid():
            return sessions
        day, kind, room = (self.cleaned_data[name] for name in ("day", "kind", "room"))
        return [
            session
            for session in sessions
            if (not day or session["day"].isoformat() == day)
            and (not kind or session["kind"] == kind)
            and (not room or session["room"] == room)
        ]
