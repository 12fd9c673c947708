"""What changed in a version of the agenda, what is not published yet, and who was told."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from ascn_portal.core.models import OutgoingMail
from meetings.agenda import services
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at
from tests.factories.meetings import AgendaSessionFactory, RoomFactory

pytestmark = pytest.mark.django_db


def text(response):
    return " ".join(response.content.decode().split())


@pytest.fixture
def agenda(meeting):
    hall = RoomFactory(meeting=meeting, name="Plenary Hall")
    at = lambda hour, minute=0: datetime(2024, 7, 30, hour, minute, tzinfo=meeting.zone)  # noqa: E731
    return {
        "plenary": AgendaSessionFactory(
            meeting=meeting, title="Plenary", room=hall, visibility="participants",
            starts_at=at(10, 15), ends_at=at(12),
        ),
        "closed": AgendaSessionFactory(
            meeting=meeting, title="Closed-door meeting", visibility="national_representatives",
            starts_at=at(15, 30), ends_at=at(17),
        ),
    }  # fmt: skip


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", email="nadia@ascn.example", time_zone="Asia/Vientiane")


@pytest.fixture
def first(meeting, agenda, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish_agenda(meeting, actor=secretariat)


def move_and_close(agenda):
    plenary = agenda["plenary"]
    plenary.starts_at += timedelta(minutes=30)
    plenary.ends_at += timedelta(minutes=30)
    plenary.save()
    agenda["closed"].title = "Closed-door meeting of the NRs"
    agenda["closed"].save()


def test_plan_counts_and_lists_the_unpublished_changes(
    client, meeting, agenda, first, secretariat, django_assert_max_num_queries
):
    move_and_close(agenda)
    client.force_login(secretariat)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:agenda_plan", args=[7]))

    page = text(response)
    assert "2 unpublished changes" in page
    assert "Plenary</strong>" in page
    assert "Tue 30 Jul, 10:15–12:00 (Asia/Vientiane)" in page
    assert "now: Tue 30 Jul, 10:45–12:30 (Asia/Vientiane)" in page
    assert "(was “Closed-door meeting”)" in page


def test_plan_says_nothing_is_waiting_right_after_publishing(client, first, secretariat):
    client.force_login(secretariat)

    page = text(client.get(reverse("meetings:agenda_plan", args=[7])))

    assert "No changes since version 1." in page
    assert "unpublished" not in page


def test_publishing_shows_what_changed_and_who_was_told(
    client, meeting, agenda, first, secretariat, django_capture_on_commit_callbacks
):
    dewi = delegate_at(meeting, email="dewi@ascn.example", time_zone="Asia/Jakarta")
    move_and_close(agenda)
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:agenda_publish", args=[7]), follow=True)

    changes_url = reverse("meetings:agenda_changes", args=[7, 2])
    assert response.redirect_chain == [(changes_url, 302)]
    mail = OutgoingMail.objects.get()
    assert mail.to == [dewi.email]
    page = text(response)
    assert "Version 2 of the agenda is published" in page
    assert "1 person was told of this version by e-mail." in page
    assert f'<a href="{reverse("core:outbox_detail", args=[mail.pk])}">dewi@ascn.example</a>' in (
        page
    )


def test_a_participant_reads_the_changes_they_may_see_in_both_zones(
    client, meeting, agenda, first, secretariat, django_capture_on_commit_callbacks
):
    move_and_close(agenda)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    client.force_login(delegate_at(meeting, time_zone="Asia/Makassar"))

    agenda_page = text(client.get(reverse("meetings:agenda", args=[7])))
    response = client.get(reverse("meetings:agenda_changes", args=[7, 2]))

    assert "What changed in version 2</a>" in agenda_page
    page = text(response)
    assert "1 session changed since the version before." in page
    assert (
        "before: Tue 30 Jul, 10:15–12:00 (Asia/Vientiane); Tue 30 Jul, 11:15–13:00 (Asia/Makassar)"
        in page
    )
    assert "Closed-door" not in page  # a National Representatives' session
    assert "Change notices" not in page
    assert "Times are shown in Asia/Vientiane, with your own time zone (Asia/Makassar)" in page


def test_changes_of_a_version_that_does_not_exist_are_404(client, first, secretariat):
    client.force_login(secretariat)

    response = client.get(reverse("meetings:agenda_changes", args=[7, 9]))

    assert response.status_code == 404


@pytest.mark.parametrize("moved", [1, 8])
def test_changes_page_takes_the_same_queries_for_any_number_of_changes(
    client, meeting, secretariat, moved, django_capture_on_commit_callbacks,
    django_assert_num_queries,
):  # fmt: skip
    at = lambda hour: datetime(2024, 7, 30, hour, 0, tzinfo=meeting.zone)  # noqa: E731
    sessions = [
        AgendaSessionFactory(
            meeting=meeting, starts_at=at(8 + n), ends_at=at(8 + n) + timedelta(minutes=45)
        )
        for n in range(moved)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    for session in sessions:
        session.title += " (moved)"
        session.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting, actor=secretariat)
    client.force_login(secretariat)

    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:agenda_changes", args=[7, 2]))

    assert text(response).count("(moved)</strong>") == moved
