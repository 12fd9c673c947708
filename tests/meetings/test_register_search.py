"""Finding documents: the text of PDFs read in the background, full-text search over
titles and text (PostgreSQL; a substring match on SQLite), snippets, distribution."""

import pytest
from django.urls import reverse

from meetings.models import DocumentFile, RegisteredDocument
from meetings.register import services, text
from meetings.register.enums import Distribution, TextState, VersionChange
from tests.celery_worker import wait_until
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at, nr_at
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory
from tests.meetings.registers import encrypted_pdf, register, text_pdf, upload

pytestmark = pytest.mark.django_db

SERAYU = (
    "Banyumas works with ESE Co. Ltd. on a smart city control centre. The flood "
    "simulation of the Serayu river warns the villages downstream a day ahead."
)


@pytest.fixture
def meeting():
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")


@pytest.fixture
def read_now(django_capture_on_commit_callbacks):
    """Register documents and let their text be read, as the worker does after commit."""

    def read(meeting, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            document = register(meeting, **kw)
        return document

    return read


def found(client, query, **filters):
    response = client.get(reverse("meetings:register", args=[7]), {"q": query, **filters})
    return [(d.title, d.snippet) for d in response.context["page"].object_list]


# --- Reading the text ---------------------------------------------------------------


def test_worker_reads_a_pdfs_text_and_the_register_finds_it(celery_worker, client, meeting):
    document = register(meeting, title="Control centre presentation", text=SERAYU)
    stored = document.files.get()

    wait_until(
        lambda: DocumentFile.objects.get(pk=stored.pk).text_state != TextState.PENDING,
        timeout=60,
        message="the worker read the PDF's text",
    )

    stored.refresh_from_db()
    assert stored.text_state == TextState.EXTRACTED
    assert "Serayu river" in stored.text
    [(title, snippet)] = found(client, "serayu")
    assert title == "Control centre presentation"
    assert "<mark>Serayu</mark> river" in snippet
    assert "Serayu river" in client.get(document.get_absolute_url()).context["files"][0].text


@pytest.mark.parametrize(
    ("content", "state"),
    [
        (lambda: encrypted_pdf("budget"), TextState.ENCRYPTED),
        (lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\nnot a pdf at all", TextState.UNREADABLE),
        (lambda: text_pdf(""), TextState.NO_TEXT),
    ],
    ids=["encrypted", "broken", "no-text"],
)
def test_a_pdf_without_readable_text_is_recorded_and_shown(
    read_now, client, meeting, content, state
):
    document = read_now(meeting, upload=upload(content()))

    stored = document.files.get()
    assert (stored.text_state, stored.text) == (state, "")
    page = client.get(document.get_absolute_url()).content.decode()
    assert str(TextState(state).label).replace("'", "&#x27;") in page


def test_long_pdf_is_read_up_to_the_page_limit(read_now, settings, meeting):
    settings.ASCN_TEXT_MAX_PAGES = 2
    pages = [f"page {n} word{n}" for n in range(1, 6)]

    document = read_now(meeting, upload=upload(text_pdf(*pages)))

    stored = document.files.get()
    assert stored.text_state == TextState.PARTIAL
    assert stored.text.split("\n") == ["page 1 word1", "page 2 word2"]


def test_text_is_cut_at_the_character_limit(read_now, settings, meeting):
    settings.ASCN_TEXT_MAX_CHARS = 50

    document = read_now(meeting, upload=upload(text_pdf("x" * 80, "y" * 80)))

    stored = document.files.get()
    assert (stored.text_state, len(stored.text)) == (TextState.PARTIAL, 50)


def test_office_files_are_not_read(meeting):
    from tests.meetings.test_register import DOCX_MAIN, ooxml

    document = register(meeting, upload=upload(ooxml(DOCX_MAIN), "brief.docx"))

    assert document.files.get().text_state == TextState.NOT_PDF


def test_a_duplicated_task_reads_nothing_twice(read_now, meeting):
    document = read_now(meeting, text=SERAYU)
    stored = document.files.get()
    DocumentFile.objects.filter(pk=stored.pk).update(text="kept")

    text.extract_text(stored.pk)

    stored.refresh_from_db()
    assert stored.text == "kept"


# --- Searching ----------------------------------------------------------------------


def test_title_matches_come_before_text_matches(read_now, client, meeting):
    read_now(meeting, title="Shepherd's report", text="flood " * 40)
    read_now(meeting, title="Flood warning pilot", text="Sensors along the river.")
    read_now(meeting, title="Concept note", text="Nothing about water.")

    results = found(client, "flood")

    assert [title for title, _ in results] == ["Flood warning pilot", "Shepherd's report"]
    # The title match shows no excerpt; the text match shows where the word is.
    assert results[0][1] is None
    assert "<mark>flood</mark>" in results[1][1]


def test_snippet_escapes_the_documents_text(read_now, client, meeting):
    read_now(meeting, title="Notes", text='<script>alert("x")</script> flood & drought')

    [(_, snippet)] = found(client, "drought")

    # Only the highlight is markup; the text's own <, > and & are escaped.
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
    assert "&amp; <mark>drought</mark>" in snippet


def test_words_in_other_languages_are_found_as_typed(read_now, client, meeting):
    read_now(
        meeting, title="Laporan kota Banyumas", text="Pusat kendali kota pintar", language="id"
    )

    assert [t for t, _ in found(client, "kendali")] == ["Laporan kota Banyumas"]
    assert [t for t, _ in found(client, "laporan")] == ["Laporan kota Banyumas"]


def test_a_revision_replaces_the_text_the_search_reads(
    read_now, client, meeting, django_capture_on_commit_callbacks
):
    document = read_now(meeting, title="Outcome statement", text="first draft alpha")

    with django_capture_on_commit_callbacks(execute=True):
        services.add_file(
            document,
            upload=upload(text_pdf("final text beta")),
            language="en",
            change=VersionChange.REVISION,
            actor=None,
        )

    assert found(client, "alpha") == []
    assert [t for t, _ in found(client, "beta")] == ["Outcome statement"]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "delegate"])
def test_search_never_reveals_a_national_representatives_only_document(
    read_now, client, meeting, who
):
    person = {
        "anonymous": None,
        "outsider": UserFactory(role=""),
        "delegate": delegate_at(meeting),
    }[who]
    read_now(
        meeting,
        title="Quota negotiation",
        text="confidential budget lines",
        distribution=Distribution.NATIONAL_REPRESENTATIVES,
    )
    read_now(meeting, title="Public budget summary", text="budget")
    if person is not None:
        client.force_login(person)

    assert [t for t, _ in found(client, "budget")] == ["Public budget summary"]
    assert [t for t, _ in found(client, "confidential")] == []


def test_national_representative_finds_their_document(read_now, client, meeting):
    read_now(
        meeting,
        title="Quota negotiation",
        text="confidential budget lines",
        distribution=Distribution.NATIONAL_REPRESENTATIVES,
    )
    client.force_login(nr_at(meeting))

    [(title, snippet)] = found(client, "confidential")

    assert title == "Quota negotiation"
    assert "<mark>confidential</mark>" in snippet


@pytest.mark.parametrize("count", [3, 30])
def test_text_search_queries_do_not_grow(
    read_now, client, meeting, count, django_assert_num_queries
):
    session = AgendaSessionFactory(meeting=meeting)
    for n in range(count):
        read_now(meeting, title=f"Report {n}", text=f"{SERAYU} number {n}", agenda_session=session)
    client.force_login(delegate_at(meeting))

    # The register page's ten, and one for the snippets of the page shown.
    with django_assert_num_queries(11):
        response = client.get(reverse("meetings:register", args=[7]), {"q": "serayu"})

    assert len(response.context["page"].object_list) == count
    assert all(d.snippet for d in response.context["page"].object_list)


def test_a_search_without_words_finds_nothing_and_fails_nothing(read_now, client, meeting):
    read_now(meeting, title="Concept note", text=SERAYU)

    assert found(client, "!!! ---") == []
    assert RegisteredDocument.objects.count() == 1


def test_sweep_reads_pdfs_left_waiting(meeting, settings):
    settings.ASCN_DOCUMENT_QUEUED_GRACE = 0
    document = register(meeting, title="Concept note", text=SERAYU)  # no commit: not read
    stored = document.files.get()
    assert stored.text_state == TextState.PENDING

    queued = text.sweep()

    stored.refresh_from_db()
    assert (queued, stored.text_state) == (1, TextState.EXTRACTED)
    assert text.sweep() == 0
