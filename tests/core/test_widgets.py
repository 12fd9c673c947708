import pytest
from django.utils import translation

from delegations.forms import RegistrationForm
from delegations.models import Registration
from meetings.agenda.forms import MeetingForm
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def test_date_pickers_get_iso_dates_in_bahasa_indonesia():
    """The browser's date picker reads only ISO dates; Indonesian formats day first."""
    meeting = MeetingFactory()
    registration = Registration(arrival_date=meeting.start_date)

    with translation.override("id"):
        meeting_form = str(MeetingForm(instance=meeting)["start_date"])
        registration_form = str(
            RegistrationForm(instance=registration, meeting=meeting)["arrival_date"]
        )

    assert 'value="2024-07-29"' in meeting_form
    assert 'value="2024-07-29"' in registration_form
