"""Form widgets for the browser's own date and time pickers."""

from typing import Any

from django import forms


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
