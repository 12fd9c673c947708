"""Reads of a meeting's document register."""

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from meetings.agenda.models import AgendaSession, Meeting
from meetings.register.models import DocumentFile, RegisteredDocument, RegisterVisit
from pilots.models import Country


@dataclass(frozen=True)
class RegisterFilter:
    agenda_session: AgendaSession | None = None
    country: Country | None = None
    language: str = ""
    series: str = ""
    text: str = ""


def _with_files(documents: QuerySet[RegisteredDocument]) -> QuerySet[RegisteredDocument]:
    """Documents with what a list row shows: submitter, agenda item, every file."""
    return documents.select_related(
        "meeting", "country", "organisation", "agenda_session"
    ).prefetch_related(
        Prefetch(
            "files", queryset=DocumentFile.objects.order_by("-revision", "-corrigendum", "language")
        )
    )


def register_for(
    meeting: Meeting, *, viewer: Any, where: RegisterFilter | None = None
) -> QuerySet[RegisteredDocument]:
    """The documents of ``meeting`` that ``viewer`` may read, narrowed by ``where``, in
    symbol order, with their files prefetched (two queries whatever their number)."""
    documents: QuerySet[RegisteredDocument] = RegisteredDocument.objects.visible_to(viewer).filter(
        meeting=meeting
    )
    where = where or RegisterFilter()
    if where.agenda_session is not None:
        documents = documents.filter(agenda_session=where.agenda_session)
    if where.country is not None:
        documents = documents.filter(country=where.country)
    if where.series:
        documents = documents.filter(series=where.series)
    if where.language:
        documents = documents.filter(
            pk__in=DocumentFile.objects.filter(language=where.language).values("document_id")
        )
    if where.text:
        documents = _matching(documents, where.text)
    return _with_files(documents).order_by("series", "number")


def _matching(documents: QuerySet[RegisteredDocument], text: str) -> QuerySet[RegisteredDocument]:
    # PostgreSQL's full-text search (English and Indonesian titles share the 'simple'
    # configuration, which stems neither), or a plain substring match on SQLite.
    if connection.vendor == "postgresql":
        return documents.annotate(search=SearchVector("title", config="simple")).filter(
            search=SearchQuery(text, config="simple", search_type="websearch")
        )
    return documents.filter(title__icontains=text)


def documents_of_session(session_id: int, *, viewer: Any) -> list[RegisteredDocument]:
    """The documents an agenda session (or the panel held in it) lists, those ``viewer``
    may read, in symbol order, in two queries."""
    readable = RegisteredDocument.objects.visible_to(viewer)
    documents = readable.filter(agenda_session_id=session_id)
    return list(_with_files(documents).order_by("series", "number"))


def document_for(meeting: Meeting, pk: int, *, viewer: Any) -> RegisteredDocument | None:
    """One document of ``meeting`` if ``viewer`` may read it, else None (a 404)."""
    return _with_files(
        RegisteredDocument.objects.visible_to(viewer).filter(meeting=meeting, pk=pk)
    ).first()


def file_for(meeting: Meeting, pk: int, file_id: int, *, viewer: Any) -> DocumentFile | None:
    """One file of a readable document, else None (a 404)."""
    readable = RegisteredDocument.objects.visible_to(viewer).filter(meeting=meeting, pk=pk)
    return (
        DocumentFile.objects.select_related("document__meeting")
        .filter(pk=file_id, document__in=readable)
        .first()
    )


def represented_delegation(meeting: Meeting, user: Any) -> tuple[Country | None, str]:
    """The country and name of the delegation ``user`` represents at ``meeting`` (the
    relation followed by name: delegations sits above meetings)."""
    row = (
        user.managed_delegations.filter(meeting=meeting)
        .order_by("pk")
        .values_list("country_id", "name")
        .first()
    )
    if row is None:
        return None, ""
    country_id, name = row
    return (Country.objects.filter(pk=country_id).first() if country_id else None), name


@dataclass(frozen=True)
class NewDocuments:
    """What is new in one meeting's register for a person: how many, the newest few."""

    meeting: Meeting
    count: int
    newest: list[RegisteredDocument]


def new_documents_for(user: Any, *, meeting_ids: list[int], newest: int = 3) -> list[NewDocuments]:
    """For each of ``meeting_ids``, the documents ``user`` may read that were registered
    or revised since they last opened that meeting's register (all of them before a
    first visit), leaving out their own submissions: a count and the ``newest`` latest.

    A document's moment is when its current issue (the original or the latest revision)
    was first uploaded. One query whatever the number of meetings and documents: the
    visit and the issue are subqueries, and a window ranks the documents per meeting.
    """
    if not meeting_ids:
        return []
    issued = (
        DocumentFile.objects.filter(document=OuterRef("pk"), revision=OuterRef("current_revision"))
        .order_by("uploaded_at")
        .values("uploaded_at")[:1]
    )
    seen = RegisterVisit.objects.filter(user=user, meeting=OuterRef("meeting_id")).values(
        "seen_at"
    )[:1]
    documents = (
        RegisteredDocument.objects.visible_to(user)
        .filter(meeting_id__in=meeting_ids)
        .exclude(submitted_by=user)
        .annotate(issued_at=Subquery(issued), seen_at=Subquery(seen))
        .filter(Q(seen_at__isnull=True) | Q(issued_at__gt=F("seen_at")))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("meeting_id")],
                order_by=[F("issued_at").desc(), F("pk").desc()],
            ),
            total=Window(Count("pk"), partition_by=[F("meeting_id")]),
        )
        .filter(rank__lte=newest)
        .select_related("meeting")
        .order_by("-meeting__start_date", "rank")
    )
    found: dict[int, NewDocuments] = {}
    for document in documents:
        entry = found.setdefault(
            document.meeting_id,
            NewDocuments(meeting=document.meeting, count=document.total, newest=[]),
        )
        entry.newest.append(document)
    return list(found.values())
