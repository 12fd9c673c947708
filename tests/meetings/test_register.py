"""The document register of a meeting: symbols, distribution, files, pages."""

import io
import threading
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from ascn_portal.core.uploads import UploadRefused, safe_name
from meetings.models import DocumentFile, RegisteredDocument
from meetings.register import services
from meetings.register.enums import Distribution, VersionChange
from tests.conftest import require
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, delegate_at, nr_at
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory
from tests.factories.pilots import member_state

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="report.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ooxml(main_part, *, extra=()):
    """A minimal Office Open XML package whose main part is ``main_part``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{main_part}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.fixture
def meeting():
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", email="nadia@ascn.example")


def register(meeting, *, series="DOC", title="Concept note", distribution="public", **kw):
    kw.setdefault("upload", pdf())
    return services.register_document(
        meeting,
        series=series,
        title=title,
        language=kw.pop("language", "en"),
        distribution=distribution,
        actor=kw.pop("actor", None),
        **kw,
    )


def stored_files(settings):
    root = settings.MEDIA_ROOT / "register"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- Symbols -------------------------------------------------------------------------


def test_symbols_number_each_series_of_each_meeting_apart(meeting):
    other = MeetingFactory(
        number=8,
        start_date=meeting.start_date.replace(year=2025),
        end_date=meeting.end_date.replace(year=2025),
    )

    symbols = [
        register(meeting, series="DOC").symbol,
        register(meeting, series="DOC").symbol,
        register(meeting, series="INF").symbol,
        register(meeting, series="CRP").symbol,
        register(other, series="DOC").symbol,
    ]

    assert symbols == [
        "ASCN/AM7/2024/DOC.1",
        "ASCN/AM7/2024/DOC.2",
        "ASCN/AM7/2024/INF.1",
        "ASCN/AM7/2024/CRP.1",
        "ASCN/AM8/2025/DOC.1",
    ]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_get_different_numbers():
    if connection.vendor != "postgresql":
        require("row locks need PostgreSQL (DATABASE_URL)")
    meeting = MeetingFactory(number=7, status="published")
    barrier = threading.Barrier(3)
    numbers = []

    def upload():
        barrier.wait()
        try:
            numbers.append(register(meeting, upload=pdf()).number)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(numbers) == [1, 2, 3]


def test_revision_supersedes_earlier_files_which_stay_readable(meeting, client):
    document = register(meeting)
    original = document.files.get()

    revised = services.add_file(
        document, upload=pdf("rev1.pdf"), language="en", change=VersionChange.REVISION, actor=None
    )
    indonesian = services.add_file(
        document,
        upload=pdf("rev1-id.pdf"),
        language="id",
        change=VersionChange.LANGUAGE,
        actor=None,
    )
    corrigendum = services.add_file(
        document,
        upload=pdf("corr.pdf"),
        language="en",
        change=VersionChange.CORRIGENDUM,
        actor=None,
    )

    assert [revised.symbol, indonesian.symbol, corrigendum.symbol] == [
        "ASCN/AM7/2024/DOC.1/Rev.1",
        "ASCN/AM7/2024/DOC.1/Rev.1",
        "ASCN/AM7/2024/DOC.1/Rev.1/Corr.1",
    ]
    original.refresh_from_db()
    assert original.is_superseded is True
    assert revised.is_superseded is False
    page = client.get(document.get_absolute_url())
    assert page.content.decode().count("Superseded") == 1
    download = client.get(reverse("meetings:document_file", args=[7, document.pk, original.pk]))
    assert download.status_code == 200


def test_second_file_in_the_same_language_of_an_issue_is_refused(meeting):
    document = register(meeting)

    with pytest.raises(ValidationError):
        services.add_file(
            document, upload=pdf(), language="en", change=VersionChange.LANGUAGE, actor=None
        )

    assert document.files.count() == 1


# --- Distribution --------------------------------------------------------------------


def people(meeting):
    """Who is what to the meeting: an outsider, a delegate, a National Representative."""
    return {
        "anonymous": None,
        "outsider": UserFactory(role=""),
        "delegate": delegate_at(meeting),
        "national_representative": nr_at(meeting),
        "secretariat": UserFactory(role="secretariat"),
    }


READERS = {
    Distribution.PUBLIC: {
        "anonymous",
        "outsider",
        "delegate",
        "national_representative",
        "secretariat",
    },
    Distribution.PARTICIPANTS: {"delegate", "national_representative", "secretariat"},
    Distribution.NATIONAL_REPRESENTATIVES: {"national_representative", "secretariat"},
    Distribution.NAMED: {"delegate", "secretariat"},
}


@pytest.mark.parametrize("distribution", list(READERS))
def test_distribution_decides_who_reads_page_list_and_file(client, meeting, distribution):
    cast = people(meeting)
    document = register(meeting, distribution=distribution, readers=[cast["delegate"]])
    stored = document.files.get()

    seen = set()
    for name, person in cast.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        page = client.get(document.get_absolute_url())
        download = client.get(reverse("meetings:document_file", args=[7, document.pk, stored.pk]))
        listed = client.get(reverse("meetings:register", args=[7]))
        assert page.status_code == download.status_code
        assert page.status_code in (200, 404)
        # The one-document rule answers as the list's filter does.
        reader = person if person is not None else AnonymousUser()
        assert reader.has_perm("meetings.read_document", document) == (page.status_code == 200)
        if page.status_code == 200:
            seen.add(name)
            assert list(listed.context["page"].object_list) == [document]
        else:
            assert list(listed.context["page"].object_list) == []

    assert seen == READERS[distribution]


def test_walking_ids_finds_nothing_outside_the_distribution(client, meeting):
    secret = [
        register(meeting, distribution=Distribution.NATIONAL_REPRESENTATIVES) for _ in range(3)
    ]
    client.force_login(delegate_at(meeting))
    highest = max(d.pk for d in secret)
    file_ids = DocumentFile.objects.values_list("pk", flat=True)

    answers = {
        client.get(reverse("meetings:document", args=[7, pk])).status_code
        for pk in range(1, highest + 3)
    } | {
        client.get(reverse("meetings:document_file", args=[7, d.pk, f])).status_code
        for d in secret
        for f in file_ids
    }

    assert answers == {404}


def test_draft_meetings_documents_are_the_secretariats(client, meeting, secretariat):
    meeting.status = "draft"
    meeting.save()
    document = register(meeting, distribution=Distribution.PUBLIC)

    assert client.get(document.get_absolute_url()).status_code == 404
    client.force_login(secretariat)
    assert client.get(document.get_absolute_url()).status_code == 200


# --- Uploads -------------------------------------------------------------------------


def upload_page(client, meeting, **fields):
    data = {
        "series": "DOC",
        "title": "Concept note",
        "distribution": "public",
        "language": "en",
        **fields,
    }
    return client.post(reverse("meetings:document_new", args=[meeting.number]), data)


def test_secretariat_registers_a_pdf_and_downloads_it(client, meeting, secretariat, settings):
    client.force_login(secretariat)

    response = upload_page(client, meeting, file=pdf("Concept Note (final).pdf"))

    document = RegisteredDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    stored = document.files.get()
    assert (stored.filename, stored.content_type, stored.size) == (
        "Concept Note (final).pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    assert AuditEntry.objects.filter(action="meetings.document.register").count() == 1
    download = client.get(reverse("meetings:document_file", args=[7, document.pk, stored.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"


def test_office_document_is_sniffed_and_served_as_attachment(client, meeting, secretariat):
    client.force_login(secretariat)

    upload_page(client, meeting, file=SimpleUploadedFile("brief.docx", ooxml(DOCX_MAIN)))

    stored = DocumentFile.objects.get()
    assert stored.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    download = client.get(
        reverse("meetings:document_file", args=[7, stored.document_id, stored.pk])
    )
    assert download["Content-Disposition"] == 'attachment; filename="brief.docx"'


def zip_bomb_docx():
    # 200 MB of zeros compress to about 200 KB: far past the permitted ratio.
    return ooxml(DOCX_MAIN, extra=[("word/media/zeros.bin", b"\x00" * (200 * 1024 * 1024))])


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("report.pdf", PNG_BYTES),
            "The file&#x27;s content is not what its name says",
        ),
        (lambda: SimpleUploadedFile("report.pdf", b""), "The submitted file is empty."),
        (
            lambda: SimpleUploadedFile("report.exe", b"MZ\x90\x00"),
            "This kind of file is not accepted",
        ),
        (
            lambda: SimpleUploadedFile("report.docx", b"PK\x03\x04 not a zip"),
            "This kind of file is not accepted",
        ),
        (lambda: SimpleUploadedFile("report.docx", zip_bomb_docx()), "ZIP bomb"),
    ],
    ids=["png-named-pdf", "empty", "executable", "broken-zip", "zip-bomb"],
)
def test_bad_upload_is_refused_with_a_message_and_nothing_stored(
    client, meeting, secretariat, settings, upload, message
):
    client.force_login(secretariat)

    response = upload_page(client, meeting, file=upload())

    assert response.status_code == 200
    assert message in response.content.decode()
    assert RegisteredDocument.objects.count() == 0
    assert DocumentFile.objects.count() == 0
    assert stored_files(settings) == []


def test_file_over_the_limit_is_refused_naming_the_limit(client, meeting, secretariat, settings):
    settings.ASCN_UPLOAD_MAX_MB = 1
    client.force_login(secretariat)

    response = upload_page(client, meeting, file=pdf(content=PDF_BYTES + b"0" * (1024 * 1024)))

    assert "files may be at most 1 MB" in response.content.decode()
    assert RegisteredDocument.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\secret.pdf", "report\x00.pdf", "re\x1bport.pdf", ".."]
)
def test_hostile_file_names_are_refused_and_nothing_stored(meeting, settings, name):
    upload = pdf()
    upload._name = name  # as a crafted request would name it, before any clean-up

    with pytest.raises(UploadRefused):
        register(meeting, upload=upload)

    assert RegisteredDocument.objects.count() == 0
    assert stored_files(settings) == []


def test_a_path_in_a_posted_name_never_picks_the_folder(client, meeting, secretariat, settings):
    client.force_login(secretariat)

    upload_page(client, meeting, file=pdf("../../outside.pdf"))

    stored = DocumentFile.objects.get()
    assert stored.file.name.startswith(f"register/{meeting.pk}/")
    assert not (settings.MEDIA_ROOT.parent / "outside.pdf").exists()


def test_safe_name_keeps_words_and_drops_the_rest():
    assert safe_name("Laporan  Banyumas <v2>.PDF") == "Laporan  Banyumas _v2.pdf"


def test_national_representative_submits_their_delegations_report(client, meeting):
    nr = UserFactory(role="")
    DelegationFactory(meeting=meeting, country=member_state("ID"), national_representative=nr)
    client.force_login(nr)

    response = client.post(
        reverse("meetings:report_new", args=[7]),
        {
            "title": "Indonesia's country report",
            "distribution": "participants",
            "language": "en",
            "file": pdf(),
        },
    )

    document = RegisteredDocument.objects.get()
    assert response.status_code == 302
    assert (document.symbol, document.country.code, document.submitted_by) == (
        "ASCN/AM7/2024/DOC.1",
        "ID",
        nr,
    )


@pytest.mark.parametrize("who", ["anonymous", "delegate", "outsider"])
def test_others_may_not_submit_or_register(client, meeting, who):
    person = {
        "anonymous": None,
        "delegate": delegate_at(meeting),
        "outsider": UserFactory(role=""),
    }[who]
    if person is not None:
        client.force_login(person)

    for name in ("meetings:report_new", "meetings:document_new"):
        response = client.post(reverse(name, args=[7]), {"title": "x", "file": pdf()})
        assert response.status_code in (302, 403)

    assert RegisteredDocument.objects.count() == 0


# --- Pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_register_page_queries_do_not_grow(client, meeting, count, django_assert_num_queries):
    session = AgendaSessionFactory(meeting=meeting)
    for n in range(count):
        document = register(meeting, title=f"Report {n}", agenda_session=session)
        services.add_file(
            document, upload=pdf(), language="id", change=VersionChange.LANGUAGE, actor=None
        )
    client.force_login(delegate_at(meeting))

    # Session, user, meeting, hats, count, the visit remembered, documents, files, and
    # the filter's two lists (agenda items, delegations): the same for 3 or 30
    # documents. No model permissions are read for a delegate (accounts/backends.py).
    with django_assert_num_queries(10):
        response = client.get(reverse("meetings:register", args=[7]))

    assert len(response.context["page"].object_list) == count


def test_register_filters_by_series_language_session_and_title(client, meeting):
    session = AgendaSessionFactory(meeting=meeting, title="Panel 3")
    slides = register(meeting, series="CRP", title="Panel 3 slides", agenda_session=session)
    note = register(meeting, title="Concept note on smart cities")
    report = register(meeting, title="Laporan Banyumas", language="id")
    url = reverse("meetings:register", args=[7])

    def listed(**query):
        return list(client.get(url, query).context["page"].object_list)

    assert listed(series="CRP") == [slides]
    assert listed(language="id") == [report]
    assert listed(agenda_session=session.pk) == [slides]
    assert listed(q="concept") == [note]
    assert listed(series="nonsense") == [slides, note, report]


def test_session_and_panel_pages_list_the_documents_the_reader_may_read(client, meeting):
    from meetings.agenda.services import publish_agenda
    from tests.factories.panels import ConferenceFactory, PanelFactory

    panel = PanelFactory(conference=ConferenceFactory(meeting=meeting))
    panel.agenda_session.visibility = "public"
    panel.agenda_session.save()
    publish_agenda(meeting, actor=None)
    slides = register(
        meeting, series="CRP", title="Panel 3 slides", agenda_session=panel.agenda_session
    )
    register(
        meeting,
        title="Speakers' contacts",
        agenda_session=panel.agenda_session,
        distribution=Distribution.NATIONAL_REPRESENTATIVES,
    )
    client.force_login(delegate_at(meeting))

    panel_page = client.get(reverse("panels:detail", args=[panel.pk]))
    session_page = client.get(reverse("meetings:agenda_session", args=[7, panel.agenda_session_id]))

    assert panel_page.context["documents"] == [slides]
    assert session_page.context["documents"] == [slides]
    assert "ASCN/AM7/2024/CRP.1" in session_page.content.decode()
    assert "Speakers&#x27; contacts" not in panel_page.content.decode()


def test_every_home_page_links_to_the_register(client, meeting):
    client.force_login(delegate_at(meeting))

    home = client.get(reverse("dashboards:home")).content.decode()

    assert reverse("meetings:register", args=[7]) in home


def test_demo_registers_the_7th_meetings_documents_as_readable_pdfs(client):
    from django.core.management import call_command
    from pypdf import PdfReader

    call_command("load_demo", stdout=io.StringIO())

    # The agenda, the three sessions' minutes and Panel 3's brief come first, registered
    # as they were published; the outcome report (DOC.8) is tested with the report.
    generated = RegisteredDocument.objects.filter(
        meeting__number=7, outcome_report__isnull=True, files__generated__isnull=False
    ).distinct()
    assert [(d.symbol, d.distribution) for d in generated.order_by("pk")] == [
        ("ASCN/AM7/2024/DOC.1", Distribution.PARTICIPANTS),
        ("ASCN/AM7/2024/DOC.2", Distribution.NAMED),
        ("ASCN/AM7/2024/DOC.3", Distribution.NAMED),
        ("ASCN/AM7/2024/DOC.4", Distribution.NAMED),
        ("ASCN/AM7/2024/DOC.5", Distribution.NAMED),
    ]
    # The uploaded ones.
    documents = RegisteredDocument.objects.filter(
        meeting__number=7, files__generated__isnull=True
    ).order_by("pk")
    assert [(d.symbol, d.agenda_session is not None) for d in documents] == [
        ("ASCN/AM7/2024/DOC.6", False),
        ("ASCN/AM7/2024/DOC.7", False),
        ("ASCN/AM7/2024/CRP.1", True),
        ("ASCN/AM7/2024/CRP.2", True),
    ]
    assert documents[2].organisation.name == "ESE Co. Ltd."
    for document in documents:
        stored = document.files.get()
        with stored.file.open("rb") as handle:
            text = PdfReader(handle).pages[0].extract_text()
        assert "not an official ASCN document" in text
        assert document.title[:40] in text
    # The public concept note is there for anyone; the rest for participants.
    listed = client.get(reverse("meetings:register", args=[7])).context["page"].object_list
    assert [d.symbol for d in listed] == ["ASCN/AM7/2024/DOC.6"]


def test_refusal_is_shown_at_the_file_field(client, meeting, secretariat):
    client.force_login(secretariat)

    response = upload_page(client, meeting, file=SimpleUploadedFile("slides.pptx", PDF_BYTES))

    assert response.context["form"].errors["file"] == [
        "The file's content is not what its name says: it is a PDF file, named slides.pptx."
    ]


def test_submitting_national_representative_revises_own_report_but_not_anothers(client, meeting):
    author = UserFactory(role="")
    DelegationFactory(meeting=meeting, country=member_state("ID"), national_representative=author)
    other = UserFactory(role="")
    DelegationFactory(meeting=meeting, country=member_state("TH"), national_representative=other)
    document = register(meeting, distribution=Distribution.PARTICIPANTS, actor=author)
    url = reverse("meetings:document_add_file", args=[7, document.pk])
    data = {"change": "revision", "language": "en"}

    client.force_login(other)
    refused = client.post(url, {**data, "file": pdf()})
    client.force_login(author)
    accepted = client.post(url, {**data, "file": pdf()})

    assert (refused.status_code, accepted.status_code) == (403, 302)
    assert list(document.files.values_list("revision", flat=True)) == [1, 0]
