"""A bulk invitation on a real Celery worker: the job's progress reaches its total and
every invitation leaves through the outbox once."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from delegations import services
from delegations.models import BulkJob, Delegation, Participant
from tests.celery_worker import wait_until
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.pilots import member_state

pytestmark = pytest.mark.redis

PEOPLE = 45


def test_worker_invites_many_and_records_the_progress(celery_worker, worker_smtp):
    today = timezone.localdate()
    meeting = MeetingFactory(
        number=9,
        start_date=today + timedelta(days=60),
        end_date=today + timedelta(days=62),
        registration_closes=today + timedelta(days=30),
    )
    delegation = DelegationFactory(
        meeting=meeting, country=member_state("ID"), name="Indonesia", quota=PEOPLE
    )
    Delegation.objects.filter(pk=delegation.pk).update(roster_status="confirmed")
    Participant.objects.bulk_create(
        Participant(delegation=delegation, full_name=f"Person {n}", email=f"p{n}@id.example")
        for n in range(PEOPLE)
    )
    secretariat = UserFactory(role="secretariat")

    with transaction.atomic():
        job = services.bulk.start_bulk_invitation(meeting, [delegation], actor=secretariat)

    wait_until(
        lambda: BulkJob.objects.get(pk=job.pk).finished_at is not None,
        timeout=120,
        message="bulk job",
    )
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.failures) == ("done", PEOPLE, PEOPLE, [])
    wait_until(lambda: len(worker_smtp.messages) >= PEOPLE, timeout=120, message="mails")
    assert sorted(message["To"] for message in worker_smtp.messages) == sorted(
        f"p{n}@id.example" for n in range(PEOPLE)
    )
