from django import forms
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.forms import BoundedModelForm
from meetings.report.models import OutcomeReport


class OutcomeReportForm(BoundedModelForm):
    class Meta:
        model = OutcomeReport
        fields = ["introduction", "conclusions"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 8}),
            "conclusions": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "introduction": _("Paragraphs separated by an empty line. Printed as written."),
            "conclusions": _("Paragraphs separated by an empty line. Printed as written."),
        }
