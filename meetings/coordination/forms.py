"""Forms of coordination sessions, their minutes and action items."""

from datetime import UTC
from typing import Any, cast

from django import forms
from django.forms import (
    BaseInlineFormSet,
    BaseModelFormSet,
    inlineformset_factory,
    modelformset_factory,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.forms import BoundedForm, BoundedModelForm, formset_bounds
from ascn_portal.core.widgets import DateInput
from meetings.coordination.enums import OWNER_ACTION_STATUSES, ActionItemStatus, CoordinationMode
from meetings.coordination.models import (
    ActionItem,
    AgendaPoint,
    Attendance,
    CoordinationGuest,
    CoordinationSession,
)
from pilots.models import Organisation

# The zones of the ASEAN member states, and of the partners who join online most.
TIME_ZONES = [
    "Asia/Bangkok",
    "Asia/Brunei",
    "Asia/Ho_Chi_Minh",
    "Asia/Jakarta",
    "Asia/Jayapura",
    "Asia/Kuala_Lumpur",
    "Asia/Makassar",
    "Asia/Manila",
    "Asia/Phnom_Penh",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Vientiane",
    "Asia/Yangon",
    "Australia/Sydney",
    "Europe/Brussels",
    "UTC",
]


class LocalDateTimeField(forms.DateTimeField):
    """A date and clock time as read on the wall in a zone chosen in the same form:
    cleaned to a naive datetime that the form places in that zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        # Parsed in UTC, which has no gaps or repeated hours, then the zone dropped.
        with timezone.override(UTC):
            value = super().to_python(value)
        return value.replace(tzinfo=None) if value is not None else None


class CoordinationSessionForm(BoundedModelForm):
    starts = LocalDateTimeField(label=_("Starts"))
    ends = LocalDateTimeField(label=_("Ends"))
    time_zone = forms.ChoiceField(label=_("Time zone"))
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Needed online and for a hybrid session."),
    )

    class Meta:
        model = CoordinationSession
        fields = [
            "title",
            "purpose",
            "starts",
            "ends",
            "time_zone",
            "mode",
            "place",
            "video_link",
            "convening_organisation",
            "chair",
            "invited_organisations",
            "invited_people",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "invited_organisations": forms.CheckboxSelectMultiple,
            "invited_people": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "place": _("Needed in person and for a hybrid session."),
        }

    def __init__(self, *args, meeting, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        zone = self.instance.time_zone or meeting.time_zone
        zones = sorted({*TIME_ZONES, meeting.time_zone, zone})
        self.fields["time_zone"].choices = [(name, name) for name in zones]
        # A new session starts in its meeting's zone (the instance's empty zone is
        # in the initial data already, so setdefault would keep it).
        if not self.initial.get("time_zone"):
            self.initial["time_zone"] = zone
        self.fields["chair"].queryset = people
        self.fields["invited_people"].queryset = people
        if self.instance.pk:
            self.initial.setdefault("starts", self.instance.local_start.replace(tzinfo=None))
            self.initial.setdefault("ends", self.instance.local_end.replace(tzinfo=None))

    def clean(self):
        cleaned = super().clean()
        starts, ends, zone = (cleaned.get(name) for name in ("starts", "ends", "time_zone"))
        if starts and ends and zone:
            if ends <= starts:
                self.add_error("ends", _("A session must end after it starts."))
            else:
                self.instance.time_zone = zone
                self.instance.starts_at = timezone.make_aware(starts, self.instance.zone)
                self.instance.ends_at = timezone.make_aware(ends, self.instance.zone)
        mode = cleaned.get("mode")
        # A field already in error (a link that is not a URL) says so once.
        needs_place = mode in (CoordinationMode.IN_PERSON, CoordinationMode.HYBRID)
        if needs_place and not cleaned.get("place") and "place" not in self.errors:
            self.add_error("place", _("A session held in person needs a place."))
        needs_link = mode in (CoordinationMode.ONLINE, CoordinationMode.HYBRID)
        if needs_link and not cleaned.get("video_link") and "video_link" not in self.errors:
            self.add_error("video_link", _("An online session needs a video link."))
        return cleaned


class SharedChoicesMixin:
    """Model choice fields read their options once for the whole formset, not once per
    form, so a formset's page costs the same queries at any length."""

    shared_choice_fields: tuple[str, ...] = ()

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        cache = self.__dict__.setdefault("_shared_choices", {})
        for name in self.shared_choice_fields:
            field = form.fields[name]
            if name not in cache:
                # Iterated rather than listed: list() would ask the database to count first.
                cache[name] = [*iter(field.choices)]
            field.choices = cache[name]
        return form


class BaseGuestFormSet(SharedChoicesMixin, BaseInlineFormSet):
    shared_choice_fields = ("organisation",)


GuestFormSet: "type[BaseInlineFormSet[Any, Any, Any]]" = inlineformset_factory(
    CoordinationSession,
    CoordinationGuest,
    form=BoundedModelForm,
    formset=BaseGuestFormSet,
    fields=["name", "email", "organisation", "language"],
    extra=1,
    can_delete=True,
    **formset_bounds(100),
)


class AgendaPointForm(BoundedModelForm):
    class Meta:
        model = AgendaPoint
        fields = ["title", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class CancelForm(BoundedForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to everyone invited."),
    )


# --- Minutes ------------------------------------------------------------------------------


class AttendanceForm(BoundedModelForm):
    class Meta:
        model = Attendance
        fields = ["person", "name", "organisation", "status"]
        help_texts = {"name": _("Filled in from the account when a person is chosen.")}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["name"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not cleaned.get("name"):
            self.add_error("name", _("Give a name, or choose a person with an account."))
        return cleaned


class BaseAttendanceFormSet(SharedChoicesMixin, BaseInlineFormSet):
    shared_choice_fields = ("person", "organisation")


AttendanceFormSet = inlineformset_factory(
    CoordinationSession,
    Attendance,
    form=AttendanceForm,
    formset=BaseAttendanceFormSet,
    extra=1,
    can_delete=True,
    **formset_bounds(300),
)


class PointMinutesForm(BoundedModelForm):
    class Meta:
        model = AgendaPoint
        fields = ["discussion", "decisions"]
        widgets = {
            "discussion": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
        }


PointMinutesFormSet = modelformset_factory(
    AgendaPoint,
    form=PointMinutesForm,
    formset=BaseModelFormSet,
    extra=0,
    **formset_bounds(AgendaPoint.MAX_PER_SESSION),
)


class ActionItemForm(BoundedModelForm):
    class Meta:
        model = ActionItem
        fields = [
            "title",
            "agenda_point",
            "owner_person",
            "owner_organisation",
            "due_date",
            "status",
            "notes",
        ]
        widgets = {"due_date": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, session, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_point"].queryset = session.agenda_points.all()
        self.fields["owner_person"].queryset = people
        if self.instance.pk is None:
            # A new item is open; it is closed later, from the board or a later session.
            del self.fields["status"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("owner_person") and not cleaned.get("owner_organisation"):
            self.add_error("owner_person", _("Name an owner: a person, an organisation or both."))
        return cleaned


class ActionStatusForm(BoundedForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, or what holds the item up. Kept in its history."),
    )

    def __init__(self, *args, owner_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if owner_only:
            status = cast(forms.ChoiceField, self.fields["status"])
            status.choices = [
                (value, label)
                for value, label in ActionItemStatus.choices
                if value in OWNER_ACTION_STATUSES
            ]


class CorrectionForm(BoundedForm):
    note = forms.CharField(
        label=_("What the correction changes"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Printed on the corrected version."),
    )


class BoardFilterForm(BoundedForm):
    """Narrow the action-item board by owner, organisation and status."""

    person = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, owners, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Everyone")), *owners]
        self.fields["organisation"].choices = [("", _("All organisations")), *organisations]
        self.fields["status"].choices = [("", _("Any status")), *ActionItemStatus.choices]

    def filter(self, items):
        if not self.is_bound or not self.is_valid():
            return items
        person, organisation, status = (
            self.cleaned_data[name] for name in ("person", "organisation", "status")
        )
        if person:
            items = items.filter(owner_person=person)
        if organisation:
            items = items.filter(owner_organisation=organisation)
        if status:
            items = items.filter(status=status)
        return items


def organisation_choices():
    return Organisation.objects.only("pk", "name").order_by("name")
