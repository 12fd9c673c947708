from datetime import datetime, timedelta

import pytest

from ascn_portal.core.models import OutgoingMail
from meetings.agenda import services
from tests.factories import UserFactory
from tests.factories.coordination import CoordinationSessionFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory, nr_at
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
    assert body.startswith(f"Halo {dewi.full_name},\n")
    # What moved, in the meeting's zone and the recipient's.
    assert (
        "Diubah:\n- Plenary\n"
        "  sebelumnya: Sel 30 Jul, 10:15–12:00 (Asia/Vientiane); "
        "Sel 30 Jul, 10:15–12:00 (Asia/Jakarta)\n"
        "  sekarang: Sel 30 Jul, 10:45–12:30 (Asia/Vientiane); "
        "Sel 30 Jul, 10:45–12:30 (Asia/Jakarta)\n" in body
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
    register(meeting, delegate)
    nr_at(meeting, email="nr@ascn.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    closed = agenda["closed"]
    closed.title = "Closed-door meeting of National Representatives"
    closed.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)

    assert [m["To"] for m in smtp_server.messages] == ["nr@ascn.example"]
    assert "(was “Closed-door meeting”)" in smtp_server.body(smtp_server.messages[0])


def test_everyone_with_a_hat_at_the_meeting_is_told_and_no_one_else(
    meeting, agenda, smtp_server, django_capture_on_commit_callbacks
):
    # Not only registered participants: whoever may see the session (hats.py).
    secretariat = UserFactory(role="secretariat")
    register(meeting, UserFactory(role="", email="invited@ascn.example"), "invited")
    register(meeting, UserFactory(role="delegate", email="declined@ascn.example"), "declined")
    register(meeting, UserFactory(role="", email="ok@ascn.example"))
    CoordinationSessionFactory(meeting=meeting, chair=None).invited_people.add(
        UserFactory(role="", email="coordination@ascn.example")
    )
    UserFactory(role="delegate", email="no-hat@ascn.example")
    other_meeting = MeetingFactory(number=8)
    register(other_meeting, UserFactory(role="delegate", email="elsewhere@ascn.example"))
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    agenda["plenary"].delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "coordination@ascn.example",
        "invited@ascn.example",
        "ok@ascn.example",
    ]
    assert (
        "Removed:\n- Plenary: Tue 30 Jul, 10:15–12:00 (Asia/Vientiane); "
        "Tue 30 Jul, 10:15–12:00 (Asia/Jakarta)\n" in smtp_server.body(smtp_server.messages[0])
    )
