import hashlib
import http.server
import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ascn_portal.core import documents
from ascn_portal.core.enums import DocumentKind, DocumentStatus
from ascn_portal.core.models import AuditEntry, GeneratedDocument
from ascn_portal.core.pdf import StaticFilesFetcher, html_to_pdf
from pilots.models import Country
from tests.conftest import free_port
from tests.factories import UserFactory

# Every document test runs twice: files on the local disk, then in object storage (a
# real S3 server on loopback, tests/s3_server.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("document_storage")]


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def downloaded(response):
    """The headers and bytes a browser ends up with: the file itself on the local disk,
    or after following the redirect to object storage's pre-signed link."""
    if response.status_code == 302:
        import requests

        fetched = requests.get(response.headers["Location"], timeout=10)
        assert fetched.status_code == 200
        return fetched.headers, fetched.content
    assert response.status_code == 200
    return response.headers, b"".join(response.streaming_content)


def report_context(rows=3, note="Pilot cities of Lao PDR"):
    return {
        "title": "Member state report: Lao PDR",
        "subtitle": "Luang Prabang, 29 July – 2 August 2024",
        "sections": [
            {
                "heading": "Pilot cities",
                "paragraphs": [note],
                "table": {
                    "columns": ["No.", "City", "Joined"],
                    "rows": [[n, f"City {n}", 2018] for n in range(1, rows + 1)],
                },
            }
        ],
    }


def ask(about, actor, *, context=None, template_name="pdf/core/report.html", capture=None):
    request = lambda: documents.request_document(  # noqa: E731
        about,
        kind=DocumentKind.REPORT,
        title="Member state report: Lao PDR",
        template_name=template_name,
        context=context or report_context(),
        view_permission="core.view_outbox",
        actor=actor,
    )
    if capture is None:
        return request()
    with capture(execute=True):
        return request()


@pytest.fixture
def laos():
    return Country.objects.get(code="LA")


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat")


def test_document_renders_to_stored_pdf_with_hash_and_text(
    laos, secretariat, django_capture_on_commit_callbacks
):
    document = ask(laos, secretariat, capture=django_capture_on_commit_callbacks)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    data = document.file.read()
    assert data.startswith(b"%PDF")
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    text = pdf_text(data)
    assert "Member state report: Lao PDR" in text
    assert "City 3" in text
    assert "Page 1 of 1" in text
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["core.document.request"]


def test_versions_are_numbered_per_object_and_kind(laos, secretariat):
    first = ask(laos, secretariat)
    second = ask(laos, secretariat)
    other = ask(Country.objects.get(code="ID"), secretariat)

    assert (first.version, second.version, other.version) == (1, 2, 1)


def test_long_table_repeats_header_and_numbers_pages(
    laos, secretariat, django_capture_on_commit_callbacks
):
    document = ask(
        laos,
        secretariat,
        context=report_context(rows=150),
        capture=django_capture_on_commit_callbacks,
    )

    document.refresh_from_db()
    reader = PdfReader(document.file.open("rb"))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 2
    assert all("No. City Joined" in page for page in pages)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    # Running header from the second page on: the title, the version and when.
    assert all("Member state report: Lao PDR" in page for page in pages[1:])
    assert all("Version 1 · generated" in page for page in pages[1:])


def test_vietnamese_diacritics_survive(laos, secretariat, django_capture_on_commit_callbacks):
    context = report_context(note="Thành phố Hồ Chí Minh, Đà Nẵng, Hà Nội")

    document = ask(laos, secretariat, context=context, capture=django_capture_on_commit_callbacks)

    document.refresh_from_db()
    assert "Thành phố Hồ Chí Minh, Đà Nẵng, Hà Nội" in pdf_text(document.file.read())


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_listener():
    """An HTTP server on loopback that records any request a PDF render would make."""
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", free_port()), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()


def test_user_markup_prints_as_text_and_fetches_nothing(
    laos, secretariat, http_listener, django_capture_on_commit_callbacks
):
    base, hits = http_listener
    note = f'<img src="{base}/tracker.png"><link rel="stylesheet" href="{base}/evil.css">'

    document = ask(
        laos,
        secretariat,
        context=report_context(note=note),
        capture=django_capture_on_commit_callbacks,
    )

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert f'<img src="{base}/tracker.png">' in pdf_text(document.file.read()).replace("\n", "")
    assert hits == []


def test_fetcher_refuses_everything_but_static_files(http_listener, tmp_path):
    base, hits = http_listener
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    html = (
        f'<link rel="stylesheet" href="{base}/evil.css">'
        f'<img src="{base}/tracker.png"><img src="file://{secret}">'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        '<img src="/static/../../../../etc/passwd">'
        "<p>Still rendered</p>"
    )

    data = html_to_pdf(html)

    assert hits == []
    assert "Still rendered" in pdf_text(data)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.png",
        "https://example.org/x.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "https://pdf.ascn.invalid/static/../../etc/passwd",
        "https://pdf.ascn.invalid/media/documents/x.pdf",
    ],
)
def test_fetcher_raises_for_outside_urls(url):
    with pytest.raises(ValueError, match=r"Refused|No static file"):
        StaticFilesFetcher().fetch(url)


def test_fetcher_serves_static_file_within_limit(settings):
    response = StaticFilesFetcher().fetch("https://pdf.ascn.invalid/static/css/print.css")

    assert b"@page" in response.read()
    settings.ASCN_PDF_MAX_RESOURCE_BYTES = 10
    with pytest.raises(ValueError, match="larger than the limit"):
        StaticFilesFetcher().fetch("https://pdf.ascn.invalid/static/css/print.css")


def test_failed_render_shows_reason_and_retry_renders(
    laos, secretariat, django_capture_on_commit_callbacks
):
    document = ask(
        laos,
        secretariat,
        template_name="pdf/core/missing.html",
        capture=django_capture_on_commit_callbacks,
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error == "TemplateDoesNotExist: pdf/core/missing.html"

    GeneratedDocument.objects.filter(pk=document.pk).update(template_name="pdf/core/report.html")
    with django_capture_on_commit_callbacks(execute=True):
        retried = documents.retry(document, actor=secretariat)

    document.refresh_from_db()
    assert retried is True
    assert document.status == DocumentStatus.READY


def claim_age(document, seconds):
    GeneratedDocument.objects.filter(pk=document.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_sweep_renders_again_a_document_whose_worker_stopped_renewing_its_claim(
    laos, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.ASCN_DOCUMENT_CLAIM_TIMEOUT = 60
    lost = ask(laos, secretariat)  # no commit callbacks run: its task is lost
    working = ask(laos, secretariat)
    claim_age(lost, 61)  # the worker rendering it was killed a minute ago
    claim_age(working, 10)  # a worker renders it right now

    # A duplicate task for the one being rendered leaves it to its worker.
    assert documents.render(working.pk).status == DocumentStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        queued = documents.sweep()

    lost.refresh_from_db()
    working.refresh_from_db()
    assert queued == 1
    assert lost.status == DocumentStatus.READY
    assert lost.claimed_at is None
    assert working.status == DocumentStatus.PENDING
    assert working.file.name == ""


def test_sweep_queues_again_a_document_whose_task_never_started(
    laos, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.ASCN_DOCUMENT_QUEUED_GRACE = 600
    fresh = ask(laos, secretariat)
    forgotten = ask(laos, secretariat)
    GeneratedDocument.objects.filter(pk=forgotten.pk).update(
        requested_at=timezone.now() - timedelta(minutes=11)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert documents.sweep() == 1

    assert GeneratedDocument.objects.get(pk=forgotten.pk).status == DocumentStatus.READY
    assert GeneratedDocument.objects.get(pk=fresh.pk).status == DocumentStatus.PENDING


def test_embedded_mode_sweeps_documents_on_its_schedule(
    laos, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.ASCN_DOCUMENT_CLAIM_TIMEOUT = 60
    lost = ask(laos, secretariat)
    claim_age(lost, 120)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", "--once")

    assert GeneratedDocument.objects.get(pk=lost.pk).status == DocumentStatus.READY


# --- The document pages -------------------------------------------------------------------


def test_pending_document_status_polls_and_ready_one_offers_download(client, laos, secretariat):
    document = ask(laos, secretariat)  # no commit callbacks run: stays pending
    client.force_login(secretariat)
    status_url = reverse("core:document_status", args=[document.pk])

    pending = client.get(status_url).content.decode()
    documents.render(document.pk)
    ready = client.get(status_url).content.decode()

    assert f'data-hx-get="{status_url}"' in pending
    assert 'data-hx-trigger="every 2s"' in pending
    assert "hx-trigger" not in ready
    assert reverse("core:document_download", args=[document.pk]) in ready


def test_download_returns_the_pdf(client, laos, secretariat):
    document = documents.render(ask(laos, secretariat).pk)
    client.force_login(secretariat)

    response = client.get(reverse("core:document_download", args=[document.pk]))
    headers, data = downloaded(response)

    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="report-v1.pdf"'
    assert hashlib.sha256(data).hexdigest() == document.sha256


@pytest.mark.parametrize("viewer_role", ["anonymous", "delegate", "national_representative"])
@pytest.mark.parametrize("page", ["document_detail", "document_status", "document_download"])
def test_document_hidden_from_people_without_right(client, laos, secretariat, viewer_role, page):
    document = documents.render(ask(laos, secretariat).pk)
    if viewer_role != "anonymous":
        client.force_login(UserFactory(role=viewer_role))

    response = client.get(reverse(f"core:{page}", args=[document.pk]))

    assert response.status_code == (302 if viewer_role == "anonymous" else 404)


def test_retry_button_refused_to_outsider(client, laos, secretariat):
    document = ask(laos, secretariat)
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED)
    client.force_login(UserFactory(role="delegate"))

    response = client.post(reverse("core:document_retry", args=[document.pk]))

    assert response.status_code == 404
    assert GeneratedDocument.objects.get(pk=document.pk).status == DocumentStatus.FAILED


def test_print_stylesheet_parsed_once_makes_the_same_pdf_as_the_link():
    """Documents apply print.css parsed once per worker instead of the template's link;
    the reader gets the same pages, text, fonts and tags."""
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Brief</h1>'
        "<table><thead><tr><th>Time</th><th>Session</th></tr></thead><tbody>"
        "{% for n in rows %}<tr><td>09:{{ n }}</td><td>Session {{ n }} <b>bold</b></td></tr>"
        "{% endfor %}</tbody></table>{% endblock content %}"
    )
    context = {"document": {"title": "Panel brief", "language": "en"}, "rows": range(60)}
    linked = PdfReader(io.BytesIO(html_to_pdf(template.render(context))))
    shared = [
        PdfReader(
            io.BytesIO(
                html_to_pdf(
                    template.render({**context, "print_stylesheet_given": True}),
                    print_stylesheet=True,
                )
            )
        )
        for _twice in range(2)
    ]

    def reading(reader):
        fonts = {
            str(font["/BaseFont"]).split("+")[-1]
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        return (
            [page.extract_text() for page in reader.pages],
            [page.mediabox for page in reader.pages],
            fonts,
            "/StructTreeRoot" in reader.trailer["/Root"],
        )

    assert len(linked.pages) > 1
    assert reading(shared[0]) == reading(shared[1]) == reading(linked)
    assert reading(linked)[2] == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_a_pool_process_parses_print_css_as_it_starts_and_still_starts_if_that_fails(
    monkeypatch, caplog
):
    """The first person whose PDF a new pool process renders does not wait for print.css
    and its fonts; a process that cannot load them still starts (and sends mail)."""
    import threading

    from ascn_portal import celery as celery_app
    from ascn_portal.core import pdf

    parsed: list[str] = []
    real_css = pdf.CSS
    monkeypatch.setattr(pdf, "CSS", lambda *a, **kw: parsed.append("css") or real_css(*a, **kw))

    def new_process():  # a new thread has nothing parsed yet, as a new process
        celery_app._warm_up_pdf_rendering()
        parsed.append("started")
        pdf.html_to_pdf("<html lang='en'><title>x</title><p>x</p></html>", print_stylesheet=True)

    thread = threading.Thread(target=new_process)
    thread.start()
    thread.join()
    monkeypatch.setattr(pdf, "warm_up", lambda: 1 / 0)
    celery_app._warm_up_pdf_rendering()

    assert parsed == ["css", "started"]
    assert "Warming up PDF rendering failed" in caplog.text
