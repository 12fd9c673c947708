"""Reads of a meeting's document register."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Greatest, Lower, RowNumber, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
    day: date | None = None


def _with_files(documents: QuerySet[RegisteredDocument]) -> QuerySet[RegisteredDocument]:
    """Documents with what a list row shows: submitter, agenda item, every file."""
    # The search columns and the files' text stay in the database: a list never shows them.
    return (
        documents.select_related("meeting", "country", "organisation", "agenda_session")
        .defer("search_text", "search_vector")
        .prefetch_related(
            Prefetch(
                "files",
                queryset=DocumentFile.objects.select_related("generated")
                .defer("text")
                .order_by("-revision", "-corrigendum", "language"),
            )
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
    if where.day is not None:
        # The day in the meeting's own time zone, as its agenda shows it.
        start = datetime.combine(where.day, time.min, tzinfo=meeting.zone)
        documents = documents.filter(
            agenda_session__starts_at__gte=start,
            agenda_session__starts_at__lt=start + timedelta(days=1),
        )
    if where.language:
        documents = documents.filter(
            pk__in=DocumentFile.objects.filter(language=where.language).values("document_id")
        )
    if where.text:
        return _with_files(_matching(documents, where.text))
    return _with_files(documents).order_by("series", "number")


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, config="simple", search_type="websearch")


def _matching(documents: QuerySet[RegisteredDocument], text: str) -> QuerySet[RegisteredDocument]:
    """Documents whose title or text matches, title matches first, then by rank.

    PostgreSQL: full-text search on the stored tsvector (GIN-indexed; the 'simple'
    configuration, see text.py). SQLite: a plain substring match on both."""
    if connection.vendor == "postgresql":
        query = _query(text)
        return (
            documents.filter(search_vector=query)
            .annotate(
                title_rank=SearchRank(SearchVector("title", config="simple"), query),
                rank=SearchRank(F("search_vector"), query),
            )
            .order_by("-title_rank", "-rank", "series", "number")
        )
    return (
        documents.filter(Q(title__icontains=text) | Q(search_text__icontains=text))
        .annotate(
            title_hit=Case(
                When(title__icontains=text, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-title_hit", "series", "number")
    )


# ts_headline's markers: control characters, which the stored text never holds
# (text.py replaces them), so the escaped snippet can take <mark> in their place.
_START, _STOP = "\x02", "\x03"
SNIPPET_CHARS = 200


def snippets(document_ids: list[int], text: str) -> dict[int, SafeString]:
    """A short excerpt of each document's text around what ``text`` matched, the match
    marked and everything else escaped; documents whose text does not match (only the
    title does) have none. One query for a page of results."""
    if not document_ids or not text:
        return {}
    rows = RegisteredDocument.objects.filter(pk__in=document_ids).exclude(search_text="")
    if connection.vendor == "postgresql":
        headlines = rows.annotate(
            headline=SearchHeadline(
                "search_text",
                _query(text),
                config="simple",
                start_sel=_START,
                stop_sel=_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        ).values_list("pk", "headline")
        return {
            pk: _marked(headline) for pk, headline in headlines if headline and _START in headline
        }
    # SQLite: the characters around the first occurrence, marked here.
    at = StrIndex(Lower("search_text"), Value(text.lower()))
    excerpts = (
        rows.annotate(at=at)
        .filter(at__gt=0)
        .annotate(excerpt=Substr("search_text", Greatest(F("at") - 80, 1), SNIPPET_CHARS))
        .values_list("pk", "excerpt")
    )
    pattern = re.compile(re.escape(text), re.IGNORECASE)
    return {
        pk: _marked(pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", excerpt))
        for pk, excerpt in excerpts
    }


def _marked(headline: str) -> SafeString:
    escaped = escape(" ".join(headline.split()))
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


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
        DocumentFile.objects.select_related("document__meeting", "generated")
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
