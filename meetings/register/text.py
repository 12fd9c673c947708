"""The text of registered PDFs, read in the background for the register's search.

A PDF's text is read with pypdf from the stored file (never from the upload in the web
request), bounded: at most ASCN_TEXT_MAX_PAGES pages and ASCN_TEXT_MAX_CHARS
characters per file. An encrypted, broken or image-only PDF is recorded as such on
the file and the worker carries on; nothing a file holds can stop it.

The search reads one column per document: ``search_text`` (the text of the files of
its latest issue, every language) and, on PostgreSQL, ``search_vector``, the title
weighted A and that text weighted B in the 'simple' configuration. 'simple' lowercases
and splits words without stemming or stop words: one register holds English, Bahasa
Indonesia, Thai, Vietnamese… side by side, and an English stemmer would mangle an
Indonesian word ("laporan" → "laporan", but "kota" might be cut) while a stop-word list
of one language drops real words of another. A person finds the word they typed.
"""

import logging
import re
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Q, Value
from django.utils import timezone

from ascn_portal.core.enums import DocumentStatus
from meetings.register.enums import TextState
from meetings.register.models import DocumentFile, RegisteredDocument

logger = logging.getLogger(__name__)

# Control characters (but tab and newline) never reach the search: the snippet's
# highlight markers are two of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"[ \t\r\f\v]+")
# What a document's combined text may hold: PostgreSQL refuses a tsvector over 1 MB.
MAX_SEARCH_TEXT_CHARS = 300_000


def initial_state(content_type: str) -> str:
    """A new file's text state: PDFs wait to be read, other files are not searched."""
    return TextState.PENDING if content_type == "application/pdf" else TextState.NOT_PDF


def queue_extraction(stored: DocumentFile) -> None:
    """Read a PDF's text after the transaction that stored it commits."""
    if stored.text_state != TextState.PENDING:
        return
    from meetings.register.tasks import extract_document_text

    file_id = stored.pk
    transaction.on_commit(lambda: extract_document_text.delay(file_id=file_id))


def sweep() -> int:
    """Queue again the PDFs still waiting to be read ASCN_DOCUMENT_QUEUED_GRACE after
    their upload (the task was lost, or they were stored before the search read text).
    Reading a file twice changes nothing. Returns how many were queued."""
    from meetings.register.tasks import extract_document_text

    overdue = timezone.now() - timedelta(seconds=settings.ASCN_DOCUMENT_QUEUED_GRACE)
    waiting = list(
        DocumentFile.objects.filter(text_state=TextState.PENDING, uploaded_at__lt=overdue)
        # A generated document is read once rendered; one that failed is not retried here.
        .filter(Q(generated__isnull=True) | Q(generated__status=DocumentStatus.READY))
        .order_by("uploaded_at")
        .values_list("pk", flat=True)[:500]
    )
    for file_id in waiting:
        extract_document_text.delay(file_id=file_id)
    return len(waiting)


def extract_text(file_id: int) -> DocumentFile | None:
    """Read the text of a pending PDF and make its document findable by it.

    Side effects: the file's text and text state; the document's search columns. A file
    already read (a duplicated task) or gone is left as it is.
    """
    stored = DocumentFile.objects.select_related("generated").filter(pk=file_id).first()
    if stored is None:
        logger.info("Document file %s is gone; no text to read", file_id)
        return None
    if stored.text_state != TextState.PENDING:
        return stored
    if stored.generated is not None and not stored.generated.is_ready:
        # A generated document still rendering: the sweep reads it once it is ready.
        return stored
    try:
        with stored.content.open("rb") as handle:
            text, state = read_pdf_text(handle)
    except Exception:
        # A file missing from storage, or pypdf failing in a way it did not foresee.
        logger.exception("Reading the text of document file %s failed", file_id)
        text, state = "", TextState.UNREADABLE
    with transaction.atomic():
        changed = DocumentFile.objects.filter(pk=file_id, text_state=TextState.PENDING).update(
            text=text, text_state=state
        )
        if changed:
            refresh_search(stored.document_id)
    stored.refresh_from_db()
    return stored


def read_pdf_text(handle: IO[bytes]) -> tuple[str, str]:
    """The text of a PDF and its TextState, within the page and character limits."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    max_pages = settings.ASCN_TEXT_MAX_PAGES
    max_chars = settings.ASCN_TEXT_MAX_CHARS
    try:
        reader = PdfReader(handle)
        if reader.is_encrypted:
            return "", TextState.ENCRYPTED
        pages = reader.pages
        count = len(pages)
        parts: list[str] = []
        length = 0
        for index in range(min(count, max_pages)):
            part = _clean(pages[index].extract_text() or "")
            parts.append(part)
            length += len(part) + 1
            if length >= max_chars:
                break
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
        ZeroDivisionError,
    ) as exc:
        logger.info("A PDF could not be read: %s", exc)
        return "", TextState.UNREADABLE
    text = "\n".join(parts).strip()
    if not text:
        return "", TextState.NO_TEXT
    if len(text) > max_chars or count > max_pages or length >= max_chars:
        return text[:max_chars], TextState.PARTIAL
    return text, TextState.EXTRACTED


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub(" ", text))


def refresh_search(document_id: int) -> None:
    """Set the document's search columns from its title and the text of its latest
    issue's files (a revision's files replace the earlier ones in the search)."""
    document = RegisteredDocument.objects.filter(pk=document_id).only("current_revision").first()
    if document is None:
        return
    texts = (
        DocumentFile.objects.filter(document_id=document_id, revision=document.current_revision)
        .exclude(text="")
        .order_by("language", "corrigendum")
        .values_list("text", flat=True)
    )
    text = "\n".join(texts)[:MAX_SEARCH_TEXT_CHARS]
    fields: dict = {"search_text": text}
    if connection.vendor == "postgresql":
        # The text as a parameter: in one UPDATE a column reads its old value.
        fields["search_vector"] = SearchVector("title", weight="A", config="simple") + SearchVector(
            Value(text), weight="B", config="simple"
        )
    RegisteredDocument.objects.filter(pk=document_id).update(**fields)
