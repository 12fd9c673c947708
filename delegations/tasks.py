"""Celery tasks of the delegations app: thin, they call services."""

import logging

from celery import shared_task

from delegations import services
from delegations.models import BulkJob

logger = logging.getLogger(__name__)


@shared_task(name="ascn.delegations.send_registration_reminders")
def send_registration_reminders() -> None:
    services.invitations.send_registration_reminders()


@shared_task(name="ascn.delegations.expire_invitations")
def expire_invitations() -> None:
    services.invitations.expire_invitations()


@shared_task(name="ascn.delegations.run_bulk_job")
def run_bulk_job(*, job_id: int) -> None:
    job = BulkJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.info("Bulk job %s is gone", job_id)
        return
    services.bulk.run_bulk_job(job)
