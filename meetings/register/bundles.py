""" "Download all": one ZIP of the documents of an agenda item or of a day, built in the
background from the stored files and stored through the same storage.

A ZIP holds exactly the files the person who asks may read: the latest issue of each
symbol (its revision's files, every language, with their corrigenda). Its
``content_key`` hashes the scope and those file ids, so people who read the same
documents share one ZIP, anyone who reads a different set gets their own, and a ZIP is
only ever handed to a person whose own set has the same key (anyone else: 404). A new
file or revision in the register changes the key: the next request builds a new ZIP.
"""

import hashlib
import logging
import re
import shutil
import tempfile
import zipfile
from datetime import date
from functools import partial
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.enums import DocumentStatus
from meetings.agenda.models import AgendaSession, Meeting
from meetings.register.models import DocumentBundle, DocumentFile
from meetings.register.queries import RegisterFilter, register_for

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CHUNK = 1 << 20


def files_for(
    meeting: Meeting,
    *,
    viewer: Any,
    agenda_session: AgendaSession | None = None,
    day: date | None = None,
) -> list[int]:
    """The ids of the files a ZIP of this scope holds for ``viewer``, in symbol order."""
    documents = register_for(
        meeting, viewer=viewer, where=RegisterFilter(agenda_session=agenda_session, day=day)
    )
    return list(
        DocumentFile.objects.filter(
            document__in=documents.values("pk"), revision=F("document__current_revision")
        )
        # A generated document (the outcome report) joins once it is rendered.
        .filter(Q(generated__isnull=True) | Q(generated__status=DocumentStatus.READY))
        .order_by("document__series", "document__number", "corrigendum", "language")
        .values_list("pk", flat=True)
    )


def content_key(file_ids: list[int], *, agenda_session_id: int | None, day: date | None) -> str:
    scope = f"session:{agenda_session_id}" if agenda_session_id else f"day:{day}"
    return hashlib.sha256(f"{scope}|{','.join(map(str, file_ids))}".encode()).hexdigest()


def current_bundle(
    meeting: Meeting,
    *,
    viewer: Any,
    agenda_session: AgendaSession | None = None,
    day: date | None = None,
) -> tuple[int, DocumentBundle | None]:
    """How many files a ZIP of this scope would hold for ``viewer``, and the ZIP already
    asked for with exactly those files, if any (two queries)."""
    ids = files_for(meeting, viewer=viewer, agenda_session=agenda_session, day=day)
    if not ids:
        return 0, None
    key = content_key(ids, agenda_session_id=agenda_session.pk if agenda_session else None, day=day)
    return len(ids), DocumentBundle.objects.filter(meeting=meeting, content_key=key).first()


def request_bundle(
    meeting: Meeting,
    *,
    actor: Actor,
    agenda_session: AgendaSession | None = None,
    day: date | None = None,
) -> DocumentBundle | None:
    """The ZIP of this scope for the person acting, asked for if it is new (or failed
    before). None when they may read no file of the scope.

    Side effects: a pending DocumentBundle row and a build task after commit.
    """
    if (agenda_session is None) == (day is None):
        raise ValueError("A ZIP gathers an agenda item or a day")
    ids = files_for(meeting, viewer=actor, agenda_session=agenda_session, day=day)
    if not ids:
        return None
    key = content_key(ids, agenda_session_id=agenda_session.pk if agenda_session else None, day=day)
    with transaction.atomic():
        bundle, created = DocumentBundle.objects.get_or_create(
            meeting=meeting,
            content_key=key,
            defaults={
                "agenda_session": agenda_session,
                "day": day,
                "file_ids": ids,
                "requested_by": acting_person(actor),
            },
        )
        retried = not created and DocumentBundle.objects.filter(
            pk=bundle.pk, status=DocumentStatus.FAILED
        ).update(status=DocumentStatus.PENDING, error="")
        if created or retried:
            from meetings.register.tasks import build_document_bundle

            transaction.on_commit(partial(build_document_bundle.delay, bundle_id=bundle.pk))
    bundle.refresh_from_db()
    return bundle


def bundle_for(meeting: Meeting, pk: int, *, viewer: Any) -> DocumentBundle | None:
    """A ZIP of ``meeting`` if it holds exactly what ``viewer`` may read of its scope
    now, else None (a 404): a ZIP made for someone who reads more is never handed out."""
    bundle = (
        DocumentBundle.objects.select_related("meeting", "agenda_session")
        .filter(meeting=meeting, pk=pk)
        .first()
    )
    if bundle is None:
        return None
    ids = files_for(meeting, viewer=viewer, agenda_session=bundle.agenda_session, day=bundle.day)
    key = content_key(ids, agenda_session_id=bundle.agenda_session_id, day=bundle.day)
    return bundle if ids and key == bundle.content_key else None


def arcname(stored: DocumentFile) -> str:
    """A file's name inside the ZIP, from its symbol and language:
    ``ASCN-AM7-2024-DOC.1-Rev.1-id.pdf``."""
    extension = stored.filename.rpartition(".")[2].lower() or "bin"
    stem = _UNSAFE.sub("_", stored.symbol.replace("/", "-"))
    return f"{stem}-{_UNSAFE.sub('_', stored.language)}.{_UNSAFE.sub('_', extension)}"


def build(bundle_id: int) -> DocumentBundle | None:
    """Write the ZIP of a pending bundle and store it.

    Each file is copied from storage into the ZIP in 1 MB chunks through a temporary
    file on disk, and the ZIP is stored in chunks too: no file is ever read whole into
    memory. Side effects: the ZIP in storage; the row ready with its size, or failed
    with the reason. A bundle that is not pending (a duplicated task) is left alone.
    """
    bundle = DocumentBundle.objects.select_related("meeting").filter(pk=bundle_id).first()
    if bundle is None or bundle.status != DocumentStatus.PENDING:
        return bundle
    files = list(
        DocumentFile.objects.select_related("document__meeting", "generated").filter(
            pk__in=bundle.file_ids
        )
    )
    files.sort(key=lambda f: bundle.file_ids.index(f.pk))
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                for stored in files:
                    with (
                        stored.content.open("rb") as source,
                        archive.open(arcname(stored), "w", force_zip64=True) as target,
                    ):
                        shutil.copyfileobj(source, target, _CHUNK)
            size = spool.tell()
            spool.seek(0)
            bundle.file.save(bundle.filename, File(spool, name=bundle.filename), save=False)
    except Exception as exc:
        logger.exception("Building document ZIP %s failed", bundle_id)
        DocumentBundle.objects.filter(pk=bundle_id).update(
            status=DocumentStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return None
    built = DocumentBundle.objects.filter(pk=bundle_id, status=DocumentStatus.PENDING).update(
        status=DocumentStatus.READY, file=bundle.file.name, size=size, built_at=timezone.now()
    )
    if not built:
        # Built meanwhile by a duplicated task: this copy is not needed.
        bundle.file.storage.delete(bundle.file.name)
    bundle.refresh_from_db()
    return bundle
