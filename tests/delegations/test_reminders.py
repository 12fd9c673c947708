from datetime import date

import pytest

from ascn_portal.core.models import OutgoingMail
from delegations import services
from meetings.models import Meeting
from tests.factories.delegations import DelegationFactory, ParticipantFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def invited(smtp_server, django_capture_on_commit_callbacks):
    delegation = DelegationFactory(name="Indonesia")
    Meeting.objects.filter(pk=delegation.meeting_id).update(registration_closes=date(2030, 7, 19))
    waiting = ParticipantFactory(delegation=delegation, email="waiting@ascn.example")
    done = ParticipantFactory(delegation=delegation, email="done@ascn.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations.invite([waiting, done], actor=None)
    done.status = "registered"
    done.save()
    smtp_server.messages.clear()
    return waiting


def remind(capture, today):
    with capture(execute=True):
        return services.invitations.send_registration_reminders(today=today)


def test_reminder_goes_once_to_those_who_have_not_registered(
    invited, smtp_server, django_capture_on_commit_callbacks
):
    first = remind(django_capture_on_commit_callbacks, date(2030, 7, 15))
    second = remind(django_capture_on_commit_callbacks, date(2030, 7, 16))

    assert (first, second) == (1, 1)  # the same message, not a new one
    assert [m["To"] for m in smtp_server.messages] == ["waiting@ascn.example"]
    assert "closes on 19 July 2030" in smtp_server.body(smtp_server.messages[0])
    assert (
        OutgoingMail.objects.filter(idempotency_key__startswith="delegations.reminder").count() == 1
    )


def test_no_reminder_too_early(invited, smtp_server, django_capture_on_commit_callbacks):
    remind(django_capture_on_commit_callbacks, date(2030, 7, 1))

    assert smtp_server.messages == []
