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


@shared_task(name="ascn.core.sweep_documents")
def sweep_documents() -> None:
    documents.sweep()


@shared_task(name="ascn.core.render_documents", bind=True)
def render_documents(self: "Task[Any, Any]", *, document_ids: list[int]) -> None:
    """The languages of one version, one after the other (documents.render_in_turn)."""
    for document_id in document_ids:
        try:
            documents.render(document_id)
        except documents.StorageUnavailable:
            # This one waits for the store in its own task, with the back-off; the next
            # language goes on (and waits likewise if the store is still down).
            if self.request.is_eager:
                logger.warning("Giving up storing document %s for now", document_id)
                continue
            render_document.apply_async(
                kwargs={"document_id": document_id, "after_outage": True},
                countdown=settings.ASCN_DOCUMENT_RETRY_BACKOFF,
            )


@shared_task(name="ascn.core.render_document", bind=True, max_retries=None)
def render_document(
    self: "Task[Any, Any]", *, document_id: int, after_outage: bool = False
) -> None:
    if after_outage and not documents.resume(document_id):
        return
    try:
        documents.render(document_id)
    except documents.StorageUnavailable:
        # The document shows the failure and its retry button meanwhile. Eagerly (no
        # broker) a pause would block the web request, so the button is the retry.
        retries = self.request.retries
        if self.request.is_eager or retries >= settings.ASCN_DOCUMENT_MAX_ATTEMPTS - 1:
            logger.warning("Giving up storing document %s for now", document_id)
            return
        countdown = min(settings.ASCN_DOCUMENT_RETRY_BACKOFF * 2**retries, 600)
        raise self.retry(
            kwargs={"document_id": document_id, "after_outage": True}, countdown=countdown
        ) from None
