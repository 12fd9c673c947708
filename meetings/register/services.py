"""Writes to a meeting's document register: registering a symbol with its first file,
and adding files to it (another language, a revision, a corrigendum).

Every upload is judged by ascn_portal.core.uploads before anything is written; a
refused file leaves no row and no stored file.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.audit import log_action
from ascn_portal.core.documents import in_language
from ascn_portal.core.models import GeneratedDocument
from ascn_portal.core.storage import removed_on_failure
from ascn_portal.core.uploads import AcceptedFile, inspect
from meetings.agenda.models import AgendaSession, Meeting
from meetings.register.enums import Distribution, DocumentSeries, VersionChange
from meetings.register.models import DocumentFile, RegisteredDocument, RegisterVisit
from meetings.register.text import initial_state, queue_extraction, refresh_search
from pilots.models import Country, Organisation


def accept_upload(upload: UploadedFile) -> AcceptedFile:
    """Judge ``upload`` (raises UploadRefused with the reason). Reads only."""
    return inspect(upload, name=upload.name or "", size=upload.size or 0)


def register_document(
    meeting: Meeting,
    *,
    series: str,
    title: str,
    upload: UploadedFile,
    language: str,
    actor: Actor,
    distribution: str = Distribution.PARTICIPANTS,
    agenda_session: AgendaSession | None = None,
    country: Country | None = None,
    organisation: Organisation | None = None,
    readers: Iterable[Any] = (),
    submitted_by: Any = None,
    accepted: AcceptedFile | None = None,
) -> RegisteredDocument:
    """Give a document the next symbol of ``series`` at ``meeting`` and store its file.

    The number is taken under a lock on the meeting's row, so two people registering at
    once get DOC.1 and DOC.2, never the same symbol (the unique constraint backs this).
    The submitter is ``submitted_by`` when given (the secretariat uploading for a
    speaker), else the acting person.
    Side effects: a RegisteredDocument and a DocumentFile row, the file in storage, an
    audit entry; for a PDF, a task that reads its text for the search. Raises
    UploadRefused (nothing written) for an unacceptable file; if the database refuses
    the rows, the stored file is removed again. ``accepted``: what ``accept_upload``
    said of this very upload, when the caller judged it already (so the file is read
    and hashed once).
    """
    if series not in DocumentSeries.values:
        raise ValidationError(_("Choose a series."))
    if agenda_session is not None and agenda_session.meeting_id != meeting.pk:
        raise ValidationError(_("The agenda item belongs to another meeting."))
    accepted = accepted or accept_upload(upload)
    with removed_on_failure() as written, transaction.atomic():
        document = RegisteredDocument.objects.create(
            meeting=meeting,
            series=series,
            number=_next_number(meeting, series),
            title=title,
            agenda_session=agenda_session,
            country=country,
            organisation=organisation,
            distribution=distribution,
            submitted_by=submitted_by or acting_person(actor),
        )
        if distribution == Distribution.NAMED:
            document.readers.set(list(readers))
        _store(
            document,
            upload,
            accepted,
            language=language,
            revision=0,
            corrigendum=0,
            actor=actor,
            written=written,
        )
        refresh_search(document.pk)
        log_action(
            document,
            "meetings.document.register",
            actor=actor,
            data={"symbol": document.symbol, "distribution": distribution},
        )
    return document


def add_file(
    document: RegisteredDocument,
    *,
    upload: UploadedFile,
    language: str,
    change: str,
    actor: Actor,
    accepted: AcceptedFile | None = None,
) -> DocumentFile:
    """Add a file to a registered symbol: another ``language`` of its latest issue, a
    revision (``Rev.n``, which supersedes every earlier file) or a corrigendum
    (``Corr.n`` to the latest revision).

    Side effects: a DocumentFile row and its file; for a revision, the symbol's current
    revision moves on (and its search reads the new issue's text); an audit entry; for a
    PDF, a task that reads its text. Raises UploadRefused or ValidationError (nothing
    written) for an unacceptable file or a language the issue already has.
    ``accepted`` as for ``register_document``.
    """
    accepted = accepted or accept_upload(upload)
    with removed_on_failure() as written, transaction.atomic():
        locked = RegisteredDocument.objects.select_for_update().get(pk=document.pk)
        revision = locked.current_revision
        latest_corrigendum = (
            locked.files.filter(revision=revision).aggregate(latest=Max("corrigendum"))["latest"]
            or 0
        )
        if change == VersionChange.REVISION:
            revision += 1
            corrigendum = 0
            locked.current_revision = revision
            locked.save(update_fields=["current_revision", "updated_at"])
        elif change == VersionChange.CORRIGENDUM:
            corrigendum = latest_corrigendum + 1
        elif change == VersionChange.LANGUAGE:
            corrigendum = latest_corrigendum
            if locked.files.filter(
                revision=revision, corrigendum=corrigendum, language=language
            ).exists():
                raise ValidationError(
                    _(
                        "This issue already has a file in that language; issue a revision "
                        "or a corrigendum instead."
                    )
                )
        else:
            raise ValidationError(_("Choose what the file is."))
        stored = _store(
            locked,
            upload,
            accepted,
            language=language,
            revision=revision,
            corrigendum=corrigendum,
            actor=actor,
            written=written,
        )
        if change == VersionChange.REVISION:
            refresh_search(locked.pk)
        log_action(
            locked,
            "meetings.document.add_file",
            actor=actor,
            data={"symbol": stored.symbol, "language": language, "change": change},
        )
    document.refresh_from_db()
    return stored


def set_readers(entry: RegisteredDocument, readers: Iterable[Any]) -> None:
    """Make ``readers`` the named readers of ``entry`` (a generated document's entry,
    kept in step with who may read the document itself). No audit entry: the change
    that moved the readers is audited where it was made."""
    entry.readers.set(list(readers))


def mark_register_seen(meeting: Meeting, *, user: Any) -> None:
    """Remember that ``user`` opened ``meeting``'s register now: their home page lists
    as new only what is registered or revised after this. One upsert; no audit entry
    (reading changes nothing of the meeting's)."""
    if not getattr(user, "is_authenticated", False):
        return
    RegisterVisit.objects.bulk_create(
        [RegisterVisit(user=user, meeting=meeting, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "meeting"],
        update_fields=["seen_at"],
    )


def _next_number(meeting: Meeting, series: str) -> int:
    """The next free number of ``series`` at ``meeting``. Call inside a transaction:
    the meeting's row stays locked until it ends, so two registrations at once get two
    numbers (the unique constraint backs this)."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk").get()
    latest = RegisteredDocument.objects.filter(meeting=meeting, series=series).aggregate(
        latest=Max("number")
    )["latest"]
    return (latest or 0) + 1


def _store(
    document: RegisteredDocument,
    upload: UploadedFile,
    accepted: AcceptedFile,
    *,
    language: str,
    revision: int,
    corrigendum: int,
    actor: Actor,
    written: list[FieldFile],
) -> DocumentFile:
    stored = DocumentFile(
        document=document,
        revision=revision,
        corrigendum=corrigendum,
        language=language,
        filename=accepted.name,
        content_type=accepted.content_type,
        size=accepted.size,
        sha256=accepted.sha256,
        uploaded_by=acting_person(actor),
        text_state=initial_state(accepted.content_type),
    )
    stored.full_clean(exclude=["file", "document"])
    upload.seek(0)
    # Written through the storage API in chunks (the local disk or the object store);
    # the caller removes it again if its transaction fails (removed_on_failure).
    stored.file.save(accepted.name, upload, save=False)
    written.append(stored.file)
    stored.save()
    queue_extraction(stored)
    return stored


def register_generated(
    meeting: Meeting,
    own: GeneratedDocument | None,
    *,
    kept_on: tuple[Model, str],
    title: Callable[[], str],
    actor: Actor,
    series: str = DocumentSeries.DOC,
    distribution: str = Distribution.PARTICIPANTS,
    readers: Iterable[Any] = (),
    record_submitter: bool = True,
) -> RegisteredDocument | None:
    """Put a just-published version of a generated document in the register: ``own``,
    its PDF in the publisher's language, and the same version in every other language.

    ``kept_on`` names the row and field that keep the document's entry (the meeting's
    ``agenda_registered_as``, say). ``title()`` is called in English, the register's
    language of record (as the speakers' slides): whoever publishes, every reader of
    the register sees the same title. The first version takes the next symbol of
    ``series``, read by ``distribution`` (and ``readers`` for a named list), and is
    kept there; a later one is a revision of that symbol (``Rev.n``), which supersedes
    the earlier files, and keeps the entry's distribution and readers. The publisher is
    recorded as the submitter unless ``record_submitter`` is False: a submitter reads
    the entry whatever its distribution, which a moderator or a chair who publishes
    should not gain by it. Returns None (and writes nothing) when there is no PDF.
    Side effects: a RegisteredDocument and the owner's field the first time, a
    DocumentFile per language pointing at it, an audit entry; all in one transaction.
    """
    if own is None:
        return None
    owner, field = kept_on
    entry: RegisteredDocument | None = getattr(owner, field)
    documents = (in_language(own, code) for code, _name in settings.LANGUAGES)
    with translation.override(settings.LANGUAGE_CODE):
        title_text = title()
    with transaction.atomic():
        if entry is None:
            entry = RegisteredDocument.objects.create(
                meeting=meeting,
                series=series,
                number=_next_number(meeting, series),
                title=title_text,
                distribution=distribution,
                submitted_by=acting_person(actor) if record_submitter else None,
            )
            if distribution == Distribution.NAMED:
                entry.readers.set(list(readers))
            revision = 0
        else:
            entry = RegisteredDocument.objects.select_for_update().get(pk=entry.pk)
            revision = entry.current_revision + 1
            entry.current_revision = revision
            entry.title = title_text
            entry.save(update_fields=["current_revision", "title", "updated_at"])
        # Once each: a language missing its own copy is stood in for by ``own``.
        for document in {document.pk: document for document in documents}.values():
            DocumentFile.objects.create(
                document=entry,
                revision=revision,
                language=document.language,
                generated=document,
                filename=document.filename.removesuffix(".pdf") + f"-{document.language}.pdf",
                content_type="application/pdf",
                size=0,
                sha256="",
                uploaded_by=acting_person(actor),
            )
        log_action(
            entry,
            "meetings.document.register_generated",
            actor=actor,
            data={"symbol": entry.symbol, "revision": revision},
        )
        if getattr(owner, f"{field}_id") != entry.pk:
            setattr(owner, field, entry)
            stamped = any(f.name == "updated_at" for f in owner._meta.concrete_fields)
            owner.save(update_fields=[field, *(["updated_at"] if stamped else [])])
    return entry
