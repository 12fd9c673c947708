"""Bulk invitations and reminders run in the background with their progress shown;
a second click sends nothing twice."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ascn_portal.core.models import OutgoingMail
from delegations import services
from delegations.models import BulkJob, Delegation, Participant
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.pilots import member_state

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def meeting():
    today = timezone.localdate()
    return MeetingFactory(
        number=9,
        start_date=today + timedelta(days=60),
        end_date=today + timedelta(days=62),
        registration_opens=today - timedelta(days=1),
        registration_closes=today + timedelta(days=30),
    )


def confirmed(meeting, code, name, quota=10):
    delegation = DelegationFactory(
        meeting=meeting, country=member_state(code), name=name, quota=quota
    )
    Delegation.objects.filter(pk=delegation.pk).update(roster_status="confirmed")
    delegation.refresh_from_db()
    return delegation


@pytest.fixture
def secretariat(client):
    user = UserFactory(role="secretariat", language="en")
    client.force_login(user)
    return user


def test_bulk_invitation_runs_in_the_background_and_shows_its_progress(
    client, meeting, secretariat, django_capture_on_commit_callbacks
):
    indonesia = confirmed(meeting, "ID", "Indonesia")
    thailand = confirmed(meeting, "TH", "Thailand")
    ParticipantFactory.create_batch(2, delegation=indonesia)
    ParticipantFactory(delegation=thailand)
    ParticipantFactory(delegation=thailand, late_nominated_at=timezone.now())  # waits
    ParticipantFactory(delegation=thailand, status="registered")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("delegations:bulk_invite", args=[9]),
            {"delegation": [indonesia.pk, thailand.pk]},
        )

    job = BulkJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.status, job.done, job.total, job.failures) == ("done", 3, 3, [])
    assert OutgoingMail.objects.count() == 3
    assert Participant.objects.filter(status="invited").count() == 3
    page = client.get(job.get_absolute_url()).content.decode()
    assert "3 of 3 done" in page
    assert "Everything went through." in page
    assert 'hx-trigger="every 2s"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("delegations:bulk_invite", args=[9]),
            {"delegation": [indonesia.pk, thailand.pk]},
        )
    assert BulkJob.objects.latest("pk").total == 0
    assert OutgoingMail.objects.count() == 3


def test_second_click_while_running_starts_nothing_new(client, meeting, secretariat):
    indonesia = confirmed(meeting, "ID", "Indonesia")
    ParticipantFactory.create_batch(2, delegation=indonesia)
    running = BulkJob.objects.create(
        meeting=meeting, kind="invite", key=f"invite:{meeting.pk}:{indonesia.pk}", total=2
    )

    response = client.post(
        reverse("delegations:bulk_invite", args=[9]), {"delegation": [indonesia.pk]}
    )

    assert response.url == running.get_absolute_url()
    assert BulkJob.objects.count() == 1
    assert not OutgoingMail.objects.exists()
    page = client.get(running.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "0 of 2 done" in page


def test_failures_are_listed_with_the_reason(
    client, meeting, secretariat, django_capture_on_commit_callbacks
):
    full = confirmed(meeting, "ID", "Indonesia", quota=1)
    ParticipantFactory(delegation=full, status="registered")
    ParticipantFactory(delegation=full, full_name="Lapsed Person", status="expired")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delegations:bulk_invite", args=[9]), {"delegation": [full.pk]})

    job = BulkJob.objects.get()
    assert (job.done, job.total) == (1, 1)
    assert job.failures == [{"name": "Lapsed Person", "reason": "No seat is free any more."}]
    assert "Lapsed Person" in client.get(job.get_absolute_url()).content.decode()
    assert not OutgoingMail.objects.exists()


def test_reminders_reach_everyone_not_registered_once_a_day(
    client, meeting, secretariat, django_capture_on_commit_callbacks
):
    indonesia = confirmed(meeting, "ID", "Indonesia")
    invited = ParticipantFactory.create_batch(2, delegation=indonesia)
    ParticipantFactory(delegation=indonesia, status="registered")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations.invite(invited, actor=secretariat)
    OutgoingMail.objects.all().delete()

    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("delegations:bulk_remind", args=[9]))

    assert OutgoingMail.objects.count() == 2
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == sorted(
        [[p.email] for p in invited]
    )
    assert [job.done for job in BulkJob.objects.order_by("pk")] == [2, 2]


@pytest.mark.parametrize("role", ["national_representative", "delegate"])
def test_only_the_secretariat_starts_bulk_work(client, meeting, role):
    indonesia = confirmed(meeting, "ID", "Indonesia")
    ParticipantFactory(delegation=indonesia)
    client.force_login(UserFactory(role=role))

    responses = [
        client.get(reverse("delegations:bulk", args=[9])),
        client.post(reverse("delegations:bulk_invite", args=[9]), {"delegation": [indonesia.pk]}),
        client.post(reverse("delegations:bulk_remind", args=[9])),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403]
    assert not BulkJob.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_no_bulk_invitation_once_registration_has_closed(client, secretariat):
    meeting = MeetingFactory(
        number=9, registration_closes=date(2024, 7, 19), start_date=date(2024, 7, 29)
    )
    indonesia = confirmed(meeting, "ID", "Indonesia")
    ParticipantFactory(delegation=indonesia)

    response = client.post(
        reverse("delegations:bulk_invite", args=[9]), {"delegation": [indonesia.pk]}, follow=True
    )

    assert "no invitation can be sent" in response.content.decode()
    assert not BulkJob.objects.exists()


@pytest.mark.parametrize("size", [2, 12])
def test_bulk_page_query_count(client, meeting, secretariat, size, django_assert_num_queries):
    for index in range(size):
        delegation = Delegation.objects.create(
            meeting=meeting, name=f"Body {index}", kind="academia", roster_status="confirmed"
        )
        ParticipantFactory(delegation=delegation)

    with django_assert_num_queries(5):
        response = client.get(reverse("delegations:bulk", args=[9]))

    assert len(response.context["delegations"]) == size
