"""The embedded mode runs beat's schedule itself (manage.py run_periodic)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from delegations.models import Invitation
from tests.factories.delegations import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_run_periodic_once_runs_every_task_of_the_schedule(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    participant = ParticipantFactory(status="invited")
    Invitation.objects.create(
        participant=participant,
        token_hash="0" * 64,
        expires_at=timezone.now() - timedelta(minutes=1),
    )

    call_command("run_periodic", "--once")

    participant.refresh_from_db()
    assert participant.status == "expired"


def test_run_periodic_leaves_the_work_to_beat_when_a_broker_is_set(settings, capsys):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    participant = ParticipantFactory(status="invited")

    call_command("run_periodic", "--once")

    participant.refresh_from_db()
    assert participant.status == "invited"
    assert "Celery beat runs the periodic work." in capsys.readouterr().out
