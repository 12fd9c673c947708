""" "Download all": one ZIP of the documents of an agenda item or of a day, built in the
background from the stored files and stored through the same storage.

A ZIP holds exactly the files the person who asks may read: the latest issue of each
symbol (its revision's files, every language, with their corrigenda). Its
``content_key`` hashes the scope and those file ids, so people who read the same
documents share one ZIP, anyone who reads a different set gets their own, and a ZIP is
only ever handed to a person whose own set has the same key (anyone else: 404). A new
file or revision in the register changes the key: the next request builds a new ZIP.
So old ZIPs would pile up in storage for ever: ``delete_unused`` (periodic) removes
those nobody asked for or downloaded for ASCN_BUNDLE_KEEP_DAYS.
"""

import hashlib
import logging
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
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
# A ZIP still pending or failed this long after it was last asked for is given up: its
# task was lost, or nobody asked again. (A build takes minutes.)
GIVE_UP_BUILD_AFTER = timedelta(days=1)
# A ZIP still pending this long after its build was queued lost its task (a worker
# restarted with it): the next person to ask for it queues the build again. A second
# build of one ZIP is harmless (``build`` keeps the first).
BUILD_LOST_AFTER = timedelta(minutes=15)


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
    """The ZIP of this scope for the person acting, asked for if it is new, failed
    before, or its build was lost (BUILD_LOST_AFTER). None when they may read no file
    of the scope.

    Side effects: a pending DocumentBundle row and a build task after commit; an
    existing ZIP marked used now.
    """
    if (agenda_session is None) == (day is None):
        raise ValueError("A ZIP gathers an agenda item or a day")
    ids = files_for(meeting, viewer=actor, agenda_session=agenda_session, day=day)
    if not ids:
        return None
    key = content_key(ids, agenda_session_id=agenda_session.pk if agenda_session else None, day=day)
    with transaction.atomic():
        # Marked used before it is read: the update locks the row to the end of the
        # transaction, so the clean-up can no longer delete it between here and the
        # person's next page. Had the clean-up deleted it already, a new one is made.
        DocumentBundle.objects.filter(meeting=meeting, content_key=key).update(
            last_used_at=timezone.now()
        )
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
        now = timezone.now()
        retried = not created and DocumentBundle.objects.filter(
            Q(status=DocumentStatus.FAILED)
            | Q(status=DocumentStatus.PENDING, requested_at__lt=now - BUILD_LOST_AFTER),
            pk=bundle.pk,
        ).update(status=DocumentStatus.PENDING, error="", requested_at=now)
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


def mark_downloaded(bundle: DocumentBundle) -> bool:
    """Record that ``bundle`` is being downloaded now. False when it is no longer ready
    (the clean-up took it a moment ago): the person is not handed a vanishing file.

    Side effects: the bundle's ``last_used_at``.
    """
    return bool(
        DocumentBundle.objects.filter(pk=bundle.pk, status=DocumentStatus.READY).update(
            last_used_at=timezone.now()
        )
    )


def unused_bundles(now: datetime | None = None) -> Q:
    """The ZIPs to delete at ``now``: ready ones nobody asked for or downloaded for
    ASCN_BUNDLE_KEEP_DAYS, and those still pending or failed a day after they were
    last asked for."""
    now = now or timezone.now()
    keep = timedelta(days=settings.ASCN_BUNDLE_KEEP_DAYS)
    return Q(status=DocumentStatus.READY, last_used_at__lt=now - keep) | Q(
        status__in=[DocumentStatus.PENDING, DocumentStatus.FAILED],
        last_used_at__lt=now - GIVE_UP_BUILD_AFTER,
    )


def delete_unused(*, limit: int = 500) -> int:
    """Delete the unused ZIPs (``unused_bundles``): the stored file through the storage
    API, then the row. Returns how many were deleted; the rest wait for the next run.

    Each ZIP is deleted under a lock on its row and only if it is still unused then, so
    a person asking for it or starting its download at that moment either marks it used
    first (and it stays) or finds it gone (and is offered a new one): a ZIP never
    vanishes after someone was handed it. A file the storage fails to delete keeps its
    row for the next run, so no stored file is ever left without its row. A build still
    running when its row goes (a day late) stores nothing: ``build`` drops its file.
    """
    now = timezone.now()
    candidates = list(
        DocumentBundle.objects.filter(unused_bundles(now))
        .order_by("last_used_at")
        .values_list("pk", flat=True)[:limit]
    )
    deleted = 0
    for pk in candidates:
        try:
            with transaction.atomic():
                bundle = (
                    DocumentBundle.objects.select_for_update(skip_locked=True)
                    .filter(unused_bundles(now), pk=pk)
                    .first()
                )
                if bundle is None:
                    continue  # used meanwhile, or being marked used right now
                if bundle.file:
                    bundle.file.storage.delete(bundle.file.name)
                bundle.delete()
        except Exception:
            logger.exception("Deleting document ZIP %s failed; trying again next run", pk)
            continue
        deleted += 1
    if deleted:
        logger.info("Deleted %s unused document ZIPs", deleted)
    return deleted


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
