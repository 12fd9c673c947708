"""Celery tasks of the document register: thin, they take ids and call services."""

from celery import shared_task

from meetings.register import bundles, text

# A PDF whose text takes longer than this to read is recorded as unreadable (the soft
# limit raises inside pypdf's loop); the hard limit ends a pool process stuck in C code.
TEXT_SOFT_LIMIT_SECONDS = 120


@shared_task(
    name="ascn.meetings.extract_document_text",
    soft_time_limit=TEXT_SOFT_LIMIT_SECONDS,
    time_limit=TEXT_SOFT_LIMIT_SECONDS + 30,
)
def extract_document_text(*, file_id: int) -> None:
    text.extract_text(file_id)


@shared_task(name="ascn.meetings.build_document_bundle")
def build_document_bundle(*, bundle_id: int) -> None:
    bundles.build(bundle_id)


@shared_task(name="ascn.meetings.sweep_document_texts")
def sweep_document_texts() -> None:
    text.sweep()


@shared_task(name="ascn.meetings.delete_unused_bundles")
def delete_unused_bundles() -> None:
    bundles.delete_unused()
