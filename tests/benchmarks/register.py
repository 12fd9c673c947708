"""`make bench`: the document register of a meeting with 500 documents, each with the
text of a two-page PDF: the page, a text search matching every document (50 snippets on
the first page) and one matching a single document; median server time and queries.
And the memory a 50 MB upload takes in a real gunicorn worker (PostgreSQL and Redis)."""

import statistics
import time
from datetime import date

DOCUMENT_COUNT = 500
REQUESTS = 30
WORDS = [
    *[
        "smart",
        "city",
        "control",
        "centre",
        "flood",
        "simulation",
        "river",
        "monitoring",
        "partnership",
    ],
    *[
        "programme",
        "pilot",
        "city",
        "mobility",
        "waste",
        "energy",
        "governance",
        "digital",
        "public",
    ],
    *["services", "resilience"],
]


def _text(n):
    # About two pages of prose, different for each document; "serayu" in every one.
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(700)]
    words[350] = "serayu"
    words[500] = f"ref{n:04d}"
    return " ".join(words)


def register_meeting(number=950):
    from meetings.models import DocumentFile, Meeting, RegisteredDocument
    from meetings.register.enums import TextState
    from meetings.register.text import refresh_search
    from pilots.models import Country

    laos = Country.objects.get(code="LA")
    meeting = Meeting.objects.create(
        number=number,
        title="Register bench meeting",
        host_city="Luang Prabang",
        host_country=laos,
        chair_country=laos,
        start_date=date(2024, 7, 29),
        end_date=date(2024, 8, 2),
        time_zone="Asia/Vientiane",
        status="published",
    )
    documents = RegisteredDocument.objects.bulk_create(
        RegisteredDocument(
            meeting=meeting,
            series="DOC",
            number=n + 1,
            title=f"Progress report {n + 1} of a pilot city",
            distribution="participants",
        )
        for n in range(DOCUMENT_COUNT)
    )
    DocumentFile.objects.bulk_create(
        DocumentFile(
            document=document,
            language=language,
            file=f"register/bench/{document.pk}-{language}.pdf",
            filename="report.pdf",
            content_type="application/pdf",
            size=120_000,
            sha256="0" * 64,
            text=_text(n),
            text_state=TextState.EXTRACTED,
        )
        for n, document in enumerate(documents)
        for language in ("en", "id")
    )
    for document in documents:
        refresh_search(document.pk)
    return meeting


def bench_register(emit, counting, participant_of):
    from django.db import connection
    from django.test import Client

    from meetings.register.queries import RegisterFilter, register_for

    meeting = register_meeting()
    viewer = participant_of(meeting)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    url = f"/meetings/{meeting.number}/documents/"
    for name, query, budget in (
        ("register_page", {}, 0.100),
        ("register_search_all", {"q": "serayu"}, 0.100),
        ("register_search_one", {"q": "ref0250"}, 0.100),
    ):
        queries = []
        with connection.execute_wrapper(counting(queries)):
            response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(url, query)
            times.append(time.perf_counter() - start)
        emit(
            metric=name,
            documents=DOCUMENT_COUNT,
            matches=register_for(
                meeting, viewer=viewer, where=RegisterFilter(text=query.get("q", ""))
            ).count(),
            requests=REQUESTS,
            median_ms=round(statistics.median(times) * 1000, 1),
            budget_ms=round(budget * 1000),
            queries=len(queries),
        )
    return meeting


def bench_upload(emit, meeting, scratch):
    """The web worker's peak memory growth over a 50 MB upload (PostgreSQL and Redis)."""
    import os

    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from ascn_portal.accounts.models import User
    from tests.benchmarks.uploads import measure_upload

    if connection.vendor != "postgresql" or not os.environ.get("CELERY_BROKER_URL"):
        emit(metric="upload_50mb_memory", skipped="needs PostgreSQL and Redis")
        return
    person = User.objects.create_user(
        "bench-uploader@ascn.example", None, full_name="Bench Uploader", role="secretariat"
    )
    person.password = make_password("bench-upload-2024")
    person.save(update_fields=["password"])
    result = measure_upload(
        meeting,
        email=person.email,
        password="bench-upload-2024",
        size=50 * 1024 * 1024 - 1024,
        home=scratch,
    )
    emit(metric="upload_50mb_memory", limit_mb=20, **result)
