from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import User
from ascn_portal.core.forms import BoundedForm, BoundedModelForm, formset_bounds, limit_length
from ascn_portal.core.widgets import DateInput, TimeInput
from delegations.enums import SEATED
from delegations.models import Participant
from meetings.agenda.enums import SessionKind
from meetings.models import AgendaSession, CoordinationSession
from meetings.register.enums import DocumentLanguage
from panels import services
from panels.models import Conference, Panel, Speaker, TalkingPoints
from pilots.models import Country, PartnershipProject


class ConferenceForm(BoundedModelForm):
    class Meta:
        model = Conference
        fields = ["title", "initiated_by", "co_hosted_by", "partner_organisations", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Country.objects.asean_members()
        self.fields["initiated_by"].queryset = members
        self.fields["co_hosted_by"].queryset = members


class PanelForm(BoundedModelForm):
    objectives = forms.CharField(
        label=_("Objectives"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One objective per line, in order."),
    )

    class Meta:
        model = Panel
        fields = [
            "number",
            "title",
            "theme",
            "agenda_session",
            "moderator",
            "status",
            "points_due",
            "coordination_sessions",
        ]
        widgets = {
            "theme": forms.Textarea(attrs={"rows": 3}),
            "points_due": DateInput,
            "coordination_sessions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.instance.conference = conference
        taken = Panel.objects.filter(conference=conference).exclude(pk=self.instance.pk)
        self.fields["agenda_session"].queryset = (
            AgendaSession.objects.filter(
                meeting=conference.meeting, kind=SessionKind.CONFERENCE_PANEL
            )
            .exclude(panel__in=taken)
            .order_by("starts_at")
        )
        # Anyone may moderate (a delegate, a National Representative): the panel makes
        # them its moderator, not the account's role.
        self.fields["moderator"].queryset = User.objects.filter(is_active=True).order_by(
            "full_name", "email"
        )
        self.fields["coordination_sessions"].queryset = CoordinationSession.objects.filter(
            meeting=conference.meeting
        ).order_by("starts_at")
        if self.instance.pk:
            self.fields["objectives"].initial = "\n".join(
                objective.text for objective in self.instance.objectives.all()
            )

    def clean_number(self):
        number = self.cleaned_data["number"]
        others = Panel.objects.filter(conference=self.conference).exclude(pk=self.instance.pk)
        if others.filter(number=number).exists():
            raise forms.ValidationError(
                _("This conference already has a panel %(number)s.") % {"number": number}
            )
        return number

    def clean_objectives(self):
        return [
            line.strip() for line in self.cleaned_data["objectives"].splitlines() if line.strip()
        ]


class SpeakerForm(BoundedForm):
    participant = forms.ModelChoiceField(
        label=_("A participant of the meeting"),
        queryset=Participant.objects.none(),
        required=False,
        help_text=_("Or leave this empty and give the name and e-mail address of a guest."),
    )
    name = forms.CharField(label=_("Name as printed"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    minutes = forms.IntegerField(
        label=_("Minutes allotted"), min_value=1, max_value=240, initial=10
    )

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = (
            Participant.objects.filter(
                delegation__meeting=panel.conference.meeting, status__in=SEATED
            )
            .select_related("delegation", "organisation")
            .order_by("full_name")
        )
        self.fields["participant"].label_from_instance = lambda p: f"{p.full_name} ({p.delegation})"

    def clean(self):
        cleaned = super().clean()
        participant = cleaned.get("participant")
        if participant is not None:
            cleaned["name"] = cleaned.get("name") or participant.full_name
            cleaned["email"] = participant.email
            cleaned["organisation"] = participant.organisation
        elif not (cleaned.get("name") and cleaned.get("email")):
            raise forms.ValidationError(
                _("Choose a participant, or give the guest's name and e-mail address.")
            )
        else:
            cleaned["organisation"] = None
        return cleaned


class TalkingPointsForm(BoundedModelForm):
    # Each section about a page and a half: a speaker's points, not a paper, so that a
    # brief of a dozen speakers stays a brief.
    SECTION_MAX_LENGTH = 4000

    class Meta:
        model = TalkingPoints
        fields = ["challenges", "opportunities", "benefits", "recommendations", "projects"]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 5}) for name in fields[:4]},
            "projects": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.fields[:4]:
            limit_length(self.fields[name], self.SECTION_MAX_LENGTH)
        projects = self.fields["projects"]
        projects.queryset = PartnershipProject.objects.select_related("city").order_by(
            "city__name", "title"
        )
        projects.label_from_instance = lambda project: f"{project.city}: {project.title}"


class BriefForm(BoundedModelForm):
    class Meta:
        model = Panel
        fields = ["introduction", "closing_remarks"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "closing_remarks": forms.Textarea(attrs={"rows": 3}),
        }


class SpeakerNotesForm(BoundedModelForm):
    class Meta:
        model = Speaker
        fields = ["bio_line", "questions"]
        widgets = {"questions": forms.Textarea(attrs={"rows": 3})}


class SegmentForm(BoundedForm):
    title = forms.CharField(label=_("Segment"), max_length=200)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600)
    speaker = forms.TypedChoiceField(
        label=_("Speaker"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, speakers, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain choices from a list loaded once: a ModelChoiceField would query the
        # speakers again for every row of the run of show.
        self.fields["speaker"].choices = [("", "–")] + [(s.pk, s.name) for s in speakers]


class BaseSegmentFormSet(forms.BaseFormSet):
    def __init__(self, *args, panel, speakers, **kwargs):
        self.panel = panel
        self.speakers = {speaker.pk: speaker for speaker in speakers}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"speakers": self.speakers.values()}

    def segments(self):
        """The rows kept, in order, as ``{"title", "minutes", "speaker"}``."""
        return [
            {
                "title": form.cleaned_data["title"],
                "minutes": form.cleaned_data["minutes"],
                "speaker": self.speakers.get(form.cleaned_data["speaker"]),
            }
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors):
            return
        error = services.run_of_show_error(
            self.panel, sum(segment["minutes"] for segment in self.segments())
        )
        if error:
            raise forms.ValidationError(error)


SegmentFormSet = forms.formset_factory(
    SegmentForm, formset=BaseSegmentFormSet, extra=2, can_delete=True, **formset_bounds(30)
)


class OutcomeNoteForm(BoundedModelForm):
    class Meta:
        model = Panel
        fields = ["outcome_note"]
        widgets = {"outcome_note": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "outcome_note": _(
                "What the panel came to: agreements, recommendations, follow-up. The "
                "meeting's outcome report prints it under the panel's objectives."
            )
        }


class SlidesDueForm(BoundedForm):
    """The deadline for slides, as a day and clock time in the meeting's own zone; both
    left empty, no deadline."""

    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = panel.conference.meeting.zone
        self.fields["time"].help_text = _("In the meeting's time zone, %(zone)s.") % {
            "zone": panel.conference.meeting.time_zone
        }
        if panel.slides_due and not self.is_bound:
            local = panel.slides_due.astimezone(self.zone)
            self.initial.update(day=local.date(), time=local.time().replace(second=0))

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("day"), cleaned.get("time")
        if (day is None) != (time is None) and not self.errors:
            field = "time" if day else "day"
            self.add_error(field, _("Give both the day and the time, or neither."))
        cleaned["due"] = datetime.combine(day, time, tzinfo=self.zone) if day and time else None
        return cleaned


class SlidesForm(BoundedForm):
    file = forms.FileField(
        label=_("Slides"),
        help_text=_("A PDF or PowerPoint (PPTX) file."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.pptx"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the slides"), choices=DocumentLanguage.choices, initial="en"
    )
