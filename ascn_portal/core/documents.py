"""Generated documents: numbered PDF versions rendered in the background and stored.

A render survives the worker that started it: ``render`` claims the pending document
with a conditional UPDATE (so a duplicated task renders nothing twice) and renews the
claim from a heartbeat thread while WeasyPrint works. A worker killed mid-render stops
renewing; once the claim is older than ASCN_DOCUMENT_CLAIM_TIMEOUT, ``sweep`` (beat
every minute, ``run_periodic`` in the embedded mode) queues the document again and the
next worker takes the stale claim over. The file is stored in one PUT, so a killed render
leaves nothing half-stored.
"""

import hashlib
import logging
import resource
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Model, Q
from django.utils import timezone, translation

from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.audit import log_action
from ascn_portal.core.enums import DocumentStatus
from ascn_portal.core.models import GeneratedDocument
from ascn_portal.core.pdf import render_pdf

logger = logging.getLogger(__name__)


def request_document(
    about: Model,
    *,
    kind: str,
    title: str,
    template_name: str,
    context: dict[str, Any],
    view_permission: str,
    actor: Actor,
    language: str = "en",
    version: int | None = None,
    render: bool = True,
) -> GeneratedDocument:
    """Ask for a version of a document about ``about``: number ``version`` when given
    (a versioned document's own number), otherwise the next one.

    ``context`` is JSON data, a snapshot of what the document shows; ``view_permission``
    is the rules permission a person needs on ``about`` to see it. Side effects: a
    pending GeneratedDocument row, an audit entry, and a render task after commit
    (unless ``render`` is False: the caller queues it with ``render_in_turn``).
    """
    about_type = ContentType.objects.get_for_model(about)
    # A given number is the caller's to keep unique; only a taken next one is retried.
    for _attempt in range(1 if version is not None else 3):
        try:
            with transaction.atomic():
                number = version
                if number is None:
                    latest = GeneratedDocument.objects.filter(
                        about_type=about_type, about_id=str(about.pk), kind=kind
                    ).aggregate(latest=Max("version"))["latest"]
                    number = (latest or 0) + 1
                document = GeneratedDocument.objects.create(
                    kind=kind,
                    about_type=about_type,
                    about_id=str(about.pk),
                    version=number,
                    title=title,
                    language=language,
                    template_name=template_name,
                    context=context,
                    view_permission=view_permission,
                    requested_by=acting_person(actor),
                )
                log_action(document, "core.document.request", actor=actor, data={"kind": kind})
                if render:
                    _enqueue_after_commit(document)
                return document
        except IntegrityError:
            if version is not None:
                raise
            # Someone took this version number a moment ago; take the next one.
            continue
    raise RuntimeError(f"Could not number a new {kind} version for {about!r}")


def in_language(document: GeneratedDocument, language: str) -> GeneratedDocument:
    """The same version of the same document in ``language`` if there is one (a
    published version is rendered in every interface language), else ``document``."""
    if document.language == language:
        return document
    sibling = (
        GeneratedDocument.objects.select_related("about_type")
        .filter(
            about_type_id=document.about_type_id,
            about_id=document.about_id,
            kind=document.kind,
            version=document.version,
            language=language,
        )
        .first()
    )
    return sibling or document


def retry(document: GeneratedDocument, *, actor: Actor) -> bool:
    """Render a failed document again. Side effects: back to pending, audit, render task."""
    with transaction.atomic():
        changed = GeneratedDocument.objects.filter(
            pk=document.pk, status=DocumentStatus.FAILED
        ).update(status=DocumentStatus.PENDING, error="", claimed_at=None)
        if changed:
            log_action(document, "core.document.retry", actor=actor)
            _enqueue_after_commit(document)
    document.refresh_from_db()
    return bool(changed)


def render_in_turn(documents: Sequence[GeneratedDocument]) -> None:
    """Render ``documents`` one after the other, in this order, in one task after commit:
    the languages of one version, the publisher's first. Side by side, two renders of one
    document share the CPU, and the person waiting for theirs waits as long as for both;
    other documents still render beside these in the worker's other processes."""
    from ascn_portal.core.tasks import render_documents

    ids = [document.pk for document in documents]
    transaction.on_commit(partial(render_documents.delay, document_ids=ids))


def _enqueue_after_commit(document: GeneratedDocument) -> None:
    _enqueue_ids_after_commit([document.pk])


def _enqueue_ids_after_commit(document_ids: list[int]) -> None:
    from ascn_portal.core.tasks import render_document

    for document_id in document_ids:
        transaction.on_commit(partial(render_document.delay, document_id=document_id))


class StorageUnavailable(Exception):
    """The PDF was rendered but could not be stored; the document is failed with the
    reason, and the render task tries again after a pause."""


def render(document_id: int) -> GeneratedDocument | None:
    """Render a pending document to PDF and store it; a ready one is left as it is.

    Side effects: the PDF file in storage; the row ready with size and SHA-256, or
    failed with the error. Raises StorageUnavailable when storing the file failed.
    """
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None:
        logger.info("Document %s is gone; nothing to render", document_id)
        return None
    if document.status != DocumentStatus.PENDING:
        return document
    if not _claim(document_id):
        logger.info("Document %s is being rendered by another worker", document_id)
        return document
    generated_at = timezone.now()
    with _renewing_claim(document_id):
        try:
            with translation.override(document.language):
                pdf = render_pdf(
                    document.template_name,
                    {**document.context, "document": document, "generated_at": generated_at},
                )
        except Exception as exc:
            logger.exception("Rendering document %s failed", document_id)
            _fail(document, exc)
            return None
        try:
            # One PUT to object storage (or one file write): stored whole or not at all.
            document.file.save(document.filename, ContentFile(pdf), save=False)
        except Exception as exc:
            logger.exception("Storing document %s failed", document_id)
            _fail(document, exc)
            raise StorageUnavailable(document_id) from exc
    GeneratedDocument.objects.filter(pk=document.pk, status=DocumentStatus.PENDING).update(
        status=DocumentStatus.READY,
        file=document.file.name,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        rendered_at=generated_at,
        error="",
        claimed_at=None,
    )
    document.refresh_from_db()
    # The process's peak so far: a pool process replaced after a large document
    # (CELERY_WORKER_MAX_MEMORY_PER_CHILD) takes its figure with it, this line stays.
    logger.info(
        "Rendered document %s; process peak memory %s MiB",
        document.pk,
        round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    return document


def _stale_before() -> Any:
    return timezone.now() - timedelta(seconds=settings.ASCN_DOCUMENT_CLAIM_TIMEOUT)


def _claim(document_id: int) -> bool:
    """Take a pending document that nobody holds, or whose holder stopped renewing."""
    return bool(
        GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=_stale_before()))
        .update(claimed_at=timezone.now())
    )


@contextmanager
def _renewing_claim(document_id: int) -> Iterator[None]:
    """Renew the claim every quarter of the timeout while the body runs (WeasyPrint holds
    the thread for as long as a large booklet takes), from a thread with its own
    database connection, closed when the body ends."""
    done = threading.Event()
    every = max(settings.ASCN_DOCUMENT_CLAIM_TIMEOUT / 4, 0.1)

    def renew() -> None:
        try:
            while not done.wait(every):
                GeneratedDocument.objects.filter(
                    pk=document_id, status=DocumentStatus.PENDING
                ).update(claimed_at=timezone.now())
        except Exception:
            logger.exception("Renewing the claim on document %s failed", document_id)
        finally:
            connection.close()

    heartbeat = threading.Thread(target=renew, name=f"document-{document_id}-claim", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        done.set()
        heartbeat.join()


def _fail(document: GeneratedDocument, exc: Exception) -> None:
    """Mark a pending document failed with the reason; the person may retry it."""
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], claimed_at=None
    )


def resume(document_id: int) -> bool:
    """Put a document failed by a storage outage back to pending, for the render task's
    next try; False when someone retried it meanwhile (it is no longer failed)."""
    return bool(
        GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.FAILED).update(
            status=DocumentStatus.PENDING, error="", claimed_at=None
        )
    )


def sweep() -> int:
    """Queue again the pending documents whose render was lost: claimed by a worker that
    stopped renewing its claim (killed mid-render), or never claimed within
    ASCN_DOCUMENT_QUEUED_GRACE (the task was lost before it started). A document queued
    twice is rendered once: the second task finds it claimed or ready.

    Side effects: render tasks after commit. Returns how many documents were queued.
    """
    overdue = timezone.now() - timedelta(seconds=settings.ASCN_DOCUMENT_QUEUED_GRACE)
    lost = list(
        GeneratedDocument.objects.filter(status=DocumentStatus.PENDING)
        .filter(
            Q(claimed_at__lt=_stale_before()) | Q(claimed_at__isnull=True, requested_at__lt=overdue)
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        _enqueue_ids_after_commit(lost)
    if lost:
        logger.info("Document sweep queued %s lost renders again", len(lost))
    return len(lost)
