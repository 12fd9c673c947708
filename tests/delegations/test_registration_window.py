"""Registration is open from the meeting's registration_opens to its registration_closes,
both days included, by the meeting's own date (Luang Prabang: UTC+7)."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from delegations import services
from delegations.models import Registration
from meetings.models import Meeting
from tests.factories import UserFactory
from tests.factories.delegations import ParticipantFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def dewi():
    participant = ParticipantFactory(
        status="invited", user=UserFactory(email="dewi@banyuwangi.example")
    )
    Meeting.objects.filter(pk=participant.delegation.meeting_id).update(
        registration_opens=date(2024, 6, 1), registration_closes=date(2024, 7, 19)
    )
    participant.delegation.meeting.refresh_from_db()
    return participant


def register(participant):
    registration = Registration(emergency_contact="Ayu, +62 811", consent_data_processing=True)
    return services.registration.register(participant, registration, actor=participant.user)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 5, 31, 17, 30, tzinfo=UTC),  # 1 June, 00:30 in Luang Prabang
        datetime(2024, 7, 19, 16, 30, tzinfo=UTC),  # 19 July, 23:30 in Luang Prabang
    ],
)
def test_registration_is_taken_on_the_first_and_last_day(dewi, moment):
    with time_machine.travel(moment, tick=False):
        register(dewi)

    dewi.refresh_from_db()
    assert dewi.status == "registered"


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (
            datetime(2024, 5, 31, 16, 30, tzinfo=UTC),  # 31 May, 23:30 in Luang Prabang
            "Registration opens on 1 June 2024.",
        ),
        (
            datetime(2024, 7, 19, 17, 30, tzinfo=UTC),  # 20 July, 00:30 in Luang Prabang
            "Registration is closed; contact your National Representative for changes.",
        ),
    ],
)
def test_registration_outside_the_window_is_refused_by_the_service(dewi, moment, message):
    with time_machine.travel(moment, tick=False), pytest.raises(ValidationError) as refused:
        register(dewi)

    dewi.refresh_from_db()
    assert refused.value.messages == [message]
    assert dewi.status == "invited"
    assert Registration.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_registration_page_says_when_registration_opens_and_writes_nothing(client, dewi):
    client.force_login(dewi.user)
    url = reverse("delegations:registration", args=[dewi.pk])

    with time_machine.travel(datetime(2024, 5, 20, 3, 0, tzinfo=UTC), tick=False):
        response = client.post(
            url, {"emergency_contact": "Ayu, +62 811", "consent_data_processing": "on"}
        )

    assert response.status_code == 200
    assert "<p>Registration opens on 1 June 2024.</p>" in response.content.decode()
    assert "Save my registration" not in response.content.decode()
    assert Registration.objects.count() == 0
