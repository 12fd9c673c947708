"""Forms every app builds on: bounded inputs, and the outbox's filter."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.enums import MailStatus
from ascn_portal.core.models import OutgoingMail

# The dates a person may type anywhere in the portal: ASCN began in 2018, and nothing it
# plans reaches past this century. Year 1 or 9999 is a typing slip, and a year-long
# range would make a page of 3.65 million days.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)
# Free text without a length of its own (a model TextField): about five printed pages.
TEXT_MAX_LENGTH = 10_000


def formset_bounds(max_rows: int) -> dict[str, Any]:
    """Arguments for a formset factory that takes at most ``max_rows`` rows.

    Without ``absolute_max`` Django builds up to ``max_num`` + 1,000 forms from a posted
    TOTAL_FORMS, and renders them all again with the error: a few seconds of CPU for one
    forged request. With it, a longer post gets "Please submit at most … forms" and costs
    no more than a full page.
    """
    return {"max_num": max_rows, "absolute_max": max_rows, "validate_max": True}


def bound_field(field: forms.Field) -> None:
    """Give ``field`` the portal's bounds unless it has its own: dates between FIRST_DATE
    and LAST_DATE, text up to TEXT_MAX_LENGTH characters."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(validate_plausible_date)
        if isinstance(field.widget, forms.DateInput) and field.widget.input_type == "date":
            field.widget.attrs.setdefault("min", FIRST_DATE.isoformat())
            field.widget.attrs.setdefault("max", LAST_DATE.isoformat())
    elif isinstance(field, forms.CharField) and field.max_length is None:
        limit_length(field, TEXT_MAX_LENGTH)


def limit_length(field: forms.CharField, max_length: int) -> None:
    """Let ``field`` take at most ``max_length`` characters, in the browser too."""
    field.max_length = max_length
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)] + [
        MaxLengthValidator(max_length)
    ]
    field.widget.attrs["maxlength"] = str(max_length)


def validate_plausible_date(value: date | datetime) -> None:
    """Refuse a date (or a moment, aware or not) outside FIRST_DATE to LAST_DATE."""
    if not FIRST_DATE <= _day(value) <= LAST_DATE:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="implausible_date",
            params={
                "first": date_format(FIRST_DATE, "j F Y"),
                "last": date_format(LAST_DATE, "j F Y"),
            },
        )


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


class BoundedForm(forms.Form):
    """A form whose every date and free text is bounded (see ``bound_field``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)


class BoundedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form whose every date and free text is bounded (see ``bound_field``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)


class OutboxFilterForm(BoundedForm):
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
