"""Generated documents: numbered PDF versions rendered in the background and stored."""

import hashlib
import logging
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
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
) -> GeneratedDocument:
    """Ask for a version of a document about ``about``: number ``version`` when given
    (a versioned document's own number), otherwise the next one.

    ``context`` is JSON data, a snapshot of what the document shows; ``view_permission``
    is the rules permission a person needs on ``about`` to see it. Side effects: a
    pending GeneratedDocument row, an audit entry, and a render task after commit.
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
        ).update(status=DocumentStatus.PENDING, error="")
        if changed:
            log_action(document, "core.document.retry", actor=actor)
            _enqueue_after_commit(document)
    document.refresh_from_db()
    return bool(changed)


def _enqueue_after_commit(document: GeneratedDocument) -> None:
    from ascn_portal.core.tasks import render_document

    transaction.on_commit(partial(render_document.delay, document_id=document.pk))


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
    generated_at = timezone.now()
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
    )
    document.refresh_from_db()
    return document


def _fail(document: GeneratedDocument, exc: Exception) -> None:
    """Mark a pending document failed with the reason; the person may retry it."""
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
    )


def resume(document_id: int) -> bool:
    """Put a document failed by a storage outage back to pending, for the render task's
    next try; False when someone retried it meanwhile (it is no longer failed)."""
    return bool(
        GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.FAILED).update(
            status=DocumentStatus.PENDING, error=""
        )
    )
