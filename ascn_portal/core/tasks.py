"""Celery tasks of the shared infrastructure: thin, they take ids and call services."""

import logging
from typing import Any

from celery import Task, shared_task
from django.conf import settings

from ascn_portal.core import documents, outbox

logger = logging.getLogger(__name__)


@shared_task(name="ascn.core.send_mail_batch", bind=True, max_retries=None)
def send_mail_batch(self: "Task[Any, Any]", *, mail_ids: list[int]) -> None:
    retry_ids, countdown = outbox.send_batch(mail_ids)
    # Eagerly (no broker) a retry would block the web request; the message stays
    # queued with its error, and the outbox page offers to resend it.
    if retry_ids and not self.request.is_eager:
        if self.request.retries >= settings.ASCN_MAIL_MAX_ATTEMPTS:
            logger.warning("Giving up retrying batch of %s messages", len(retry_ids))
            return
        raise self.retry(kwargs={"mail_ids": retry_ids}, countdown=countdown)


@shared_task(name="ascn.core.sweep_outbox")
def sweep_outbox() -> None:
    outbox.sweep()


@shared_task(name="ascn.core.render_document")
def render_document(*, document_id: int) -> None:
    documents.render(document_id)
