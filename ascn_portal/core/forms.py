from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.enums import MailStatus
from ascn_portal.core.models import OutgoingMail


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *MailStatus.choices],
        required=False,
    )
    q = forms.CharField(label=_("Recipient or subject"), required=False, max_length=200)

    def filter(self, queryset: QuerySet[OutgoingMail]) -> QuerySet[OutgoingMail]:
        if not self.is_valid():
            return queryset
        if status := self.cleaned_data["status"]:
            queryset = queryset.filter(status=status)
        if q := self.cleaned_data["q"].strip():
            queryset = queryset.filter(Q(subject__icontains=q) | Q(to__icontains=q))
        return queryset
