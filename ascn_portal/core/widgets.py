"""Form inputs written once: the browser's own date and time pickers, and numbers
typed in the interface language's way."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import get_format, number_format


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO 8601 (what the picker reads), not
    the date format of the interface language (day first in Bahasa Indonesia)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """A browser time picker, whose value is always 24-hour HH:MM."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed and shown as the interface language writes numbers:
    "1.250.000.000,50" in Bahasa Indonesia, "1,250,000,000.50" in English; plain digits
    ("1250000000.5") are read in either. A text input, since a number input refuses
    group separators."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        return {**attrs, "inputmode": "decimal"}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = read_localized_number(value)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int):
            return number_format(value, use_l10n=True, force_grouping=True)
        return value


def read_localized_number(text: str) -> str:
    """``text`` as Python writes the number: the active language's group separators
    dropped where they group digits by three, its decimal separator made a point."""
    thousands = str(get_format("THOUSAND_SEPARATOR"))
    decimal = str(get_format("DECIMAL_SEPARATOR"))
    text = "".join(text.split()).replace("\u00a0", "")
    grouped = re.compile(
        rf"^[-+]?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d+)?$"
    )
    if thousands and grouped.match(text):
        text = text.replace(thousands, "")
    if decimal != "." and text.count(decimal) == 1 and "." not in text:
        text = text.replace(decimal, ".")
    return text
