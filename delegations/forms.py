from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from delegations.models import Participant
from meetings.models import Meeting


class ParticipantForm(forms.ModelForm):
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
            "language",
        ]


class DelegationFilterForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.all(), required=False
    )

    def filter(self, queryset):
        if self.is_valid() and self.cleaned_data["meeting"]:
            queryset = queryset.filter(meeting=self.cleaned_data["meeting"])
        return queryset


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, with the columns of the template."),
    )

    MAX_BYTES = 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload
