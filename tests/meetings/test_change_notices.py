from datetime import datetime, timedelta

import pytest

from ascn_portal.core.models import OutgoingMail
from meetings.agenda import services
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(meeting):
    hall = RoomFactory(meeting=meeting, name="Plenary Hall")
    at = lambda hour, minute=0: datetime(2024, 7, 30, hour, minute, tzinfo=meeting.zone)  # noqa: E731
    return {
        "plenary": AgendaSessionFactory(
            meeting=meeting,
            title="Plenary",
            room=hall,
            visibility="participants",
            starts_at=at(10, 15),
            ends_at=at(12),
        ),
        "closed": AgendaSessionFactory(
            meeting=meeting,
            title="Closed-door meeting",
            visibility="national_representatives",
            starts_at=at(15, 30),
            ends_at=at(17),
        ),
    }


def register(meeting, user, status="registered"):
    ParticipantFactory(
        delegation=DelegationFactory(meeting=meeting), user=user, email=user.email, status=status
    )


def test_notice_lists_exactly_the_change_in_recipient_language_and_zone(
    meeting, agenda, smtp_server, django_capture_on_commit_callbacks
):
    secretariat = UserFactory(role="secretariat", email="nadia@ascn.example")
    dewi = UserFactory(
        role="delegate", email="dewi@ascn.example", language="id", time_zone="Asia/Jakarta"
    )
    register(meeting, dewi)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    assert smtp_server.messages == []  # the first version is news to nobody yet

    plenary = agenda["plenary"]
    plenary.starts_at += timedelta(minutes=30)
    plenary.ends_at += timedelta(minutes=30)
    plenary.save()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.publish_agenda(meeting, actor=secretariat)

    [message] = smtp_server.messages
    assert message["To"] == "dewi@ascn.example"
    assert message["Reply-To"] == "nadia@ascn.example"
    assert message["Subject"] == ("[ASCN Portal] Agenda 7th ASCN Annual Meeting berubah (versi 2)")
    body = smtp_server.body(message)
    assert (
        "Diubah:\n- Plenary: dipindah dari Sel 30 Jul, 10:15 ke Sel 30 Jul, 10:45–12:30 WIB" in body
    )
    assert "Ditambahkan" not in body
    assert "Dihapus" not in body
    assert OutgoingMail.objects.get().idempotency_key == (
        f"meetings.agenda-change:{version.pk}:{dewi.pk}"
    )


def test_notice_leaves_out_sessions_the_recipient_may_not_see(
    meeting, agenda, smtp_server, django_capture_on_commit_callbacks
):
    secretariat = UserFactory(role="secretariat")
    delegate = UserFactory(role="delegate", email="delegate@ascn.example")
    nr = UserFactory(role="national_representative", email="nr@ascn.example")
    register(meeting, delegate)
    register(meeting, nr)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    closed = agenda["closed"]
    closed.title = "Closed-door meeting of National Representatives"
    closed.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)

    assert [m["To"] for m in smtp_server.messages] == ["nr@ascn.example"]
    assert "(was “Closed-door meeting”)" in smtp_server.body(smtp_server.messages[0])


def test_only_registered_participants_are_told(
    meeting, agenda, smtp_server, django_capture_on_commit_callbacks
):
    secretariat = UserFactory(role="secretariat")
    register(meeting, UserFactory(role="delegate", email="invited@ascn.example"), "invited")
    register(meeting, UserFactory(role="delegate", email="declined@ascn.example"), "declined")
    register(meeting, UserFactory(role="delegate", email="ok@ascn.example"))
    other_meeting = MeetingFactory(number=8)
    register(other_meeting, UserFactory(role="delegate", email="elsewhere@ascn.example"))
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    agenda["plenary"].delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)

    assert [m["To"] for m in smtp_server.messages] == ["ok@ascn.example"]
    assert "Removed:\n- Plenary (Tue 30 Jul, 10:15)" in smtp_server.body(smtp_server.messages[0])
