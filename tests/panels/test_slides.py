"""Speakers' slides: the moderator's deadline, uploads into the register, who may."""

import hashlib
import io
import zipfile
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ascn_portal.core import uploads
from ascn_portal.core.models import AuditEntry
from meetings.models import DocumentFile, RegisteredDocument
from panels import slides
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at
from tests.factories.panels import PanelFactory, SpeakerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

# 20 July 2024, 17:00 in Luang Prabang: eleven days before Panel 3 (31 July, 13:30).
BEFORE = datetime(2024, 7, 20, 10, 0, tzinfo=UTC)
# 30 July 2024, 17:00 in Luang Prabang (UTC+7).
DUE = datetime(2024, 7, 30, 10, 0, tzinfo=UTC)
DUE_TEXT = "30 July 2024, 17:00 (Asia/Vientiane)"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pptx_bytes(main="presentationml.presentation"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/ppt/presentation.xml" ContentType="'
            f"application/vnd.openxmlformats-officedocument.{main}"
            '.main+xml"/></Types>',
        )
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


def pdf(name="slides.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def panel(panel):
    meeting = panel.conference.meeting
    meeting.number, meeting.status = 7, "published"
    meeting.save()
    return panel


def slides_url(speaker):
    return reverse("panels:slides", args=[speaker.panel_id, speaker.pk])


def stored_files(settings):
    root = settings.MEDIA_ROOT / "register"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- The deadline ------------------------------------------------------------------------


def test_moderator_sets_the_deadline_in_the_meetings_zone(client, panel):
    client.force_login(panel.moderator)

    response = client.post(
        reverse("panels:slides_due", args=[panel.pk]),
        {"day": "2024-07-30", "time": "17:00"},
        follow=True,
    )

    panel.refresh_from_db()
    assert panel.slides_due == DUE
    assert f"Speakers may upload their slides until {DUE_TEXT}." in response.content.decode()
    assert AuditEntry.objects.filter(action="panels.slides_due.set").count() == 1


@pytest.mark.parametrize(
    ("day", "time", "message"),
    [
        (
            "2024-07-31",
            "13:31",
            "The deadline must not be after the panel starts (31 July 2024, 13:30 "
            "(Asia/Vientiane)).",
        ),
        (
            "2024-07-20",
            "16:59",
            "The deadline must be in the future; it is now 20 July 2024, 17:00 (Asia/Vientiane).",
        ),
        ("2024-07-30", "", "Give both the day and the time, or neither."),
        ("1900-01-01", "10:00", "Enter a date between 1 January 2000 and 31 December 2100."),
    ],
)
def test_deadline_out_of_bounds_is_refused_and_nothing_changes(client, panel, day, time, message):
    client.force_login(panel.moderator)

    response = client.post(
        reverse("panels:slides_due", args=[panel.pk]), {"day": day, "time": time}
    )

    panel.refresh_from_db()
    assert response.status_code == 400
    assert message in response.content.decode()
    assert panel.slides_due is None
    assert AuditEntry.objects.filter(action="panels.slides_due.set").count() == 0


def test_the_panel_starts_is_the_latest_deadline(panel):
    slides.set_slides_due(panel, due=panel.agenda_session.starts_at, actor=None)

    assert panel.slides_due == datetime(2024, 7, 31, 6, 30, tzinfo=UTC)


def test_panel_without_a_slot_takes_no_deadline(panel):
    panel.agenda_session = None
    panel.save()

    with pytest.raises(Exception, match="no slot in the programme"):
        slides.set_slides_due(panel, due=DUE, actor=None)


@pytest.mark.parametrize("who", ["anonymous", "speaker", "other_moderator", "delegate"])
def test_only_the_moderator_and_secretariat_reach_the_deadline(client, panel, ese, who):
    people = {
        "speaker": ese.user,
        "other_moderator": PanelFactory(conference=panel.conference).moderator,
        "delegate": delegate_at(panel.conference.meeting),
    }
    if who in people:
        client.force_login(people[who])

    response = client.post(
        reverse("panels:slides_due", args=[panel.pk]), {"day": "2024-07-30", "time": "17:00"}
    )

    assert response.status_code == (302 if who == "anonymous" else 404)
    panel.refresh_from_db()
    assert panel.slides_due is None


# --- Uploads ----------------------------------------------------------------------------


def test_speaker_uploads_slides_as_a_crp_of_the_meeting(client, panel, ese):
    slides.set_slides_due(panel, due=DUE, actor=None)
    client.force_login(ese.user)

    response = client.post(slides_url(ese), {"file": pdf(), "language": "en"}, follow=True)

    ese.refresh_from_db()
    document = ese.slides
    assert (document.symbol, document.distribution, document.submitted_by) == (
        "ASCN/AM7/2024/CRP.1",
        "participants",
        ese.user,
    )
    assert document.agenda_session == panel.agenda_session
    assert document.title == "Panel 3 slides: Minjun Park"
    assert "Your slides are in the register as ASCN/AM7/2024/CRP.1." in response.content.decode()
    assert list(
        AuditEntry.objects.filter(action__startswith="panels.slides")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["panels.slides_due.set", "panels.slides.upload"]


def test_replacing_slides_issues_a_revision_and_supersedes_the_first(client, panel, ese):
    client.force_login(ese.user)
    client.post(slides_url(ese), {"file": pdf(), "language": "en"})

    client.post(
        slides_url(ese), {"file": SimpleUploadedFile("v2.pptx", pptx_bytes()), "language": "en"}
    )

    ese.refresh_from_db()
    files = list(ese.slides.files.all())
    assert [(f.symbol, f.is_superseded) for f in files] == [
        ("ASCN/AM7/2024/CRP.1/Rev.1", False),
        ("ASCN/AM7/2024/CRP.1", True),
    ]
    assert RegisteredDocument.objects.count() == 1
    page = client.get(slides_url(ese)).content.decode()
    assert "Replace the slides (a new revision)" in page


def test_slides_are_read_and_hashed_once_per_upload(client, panel, ese, monkeypatch):
    # Each judgement of an upload sniffs its content once, then hashes it whole.
    judged = []
    sniff = uploads._sniff
    monkeypatch.setattr(
        uploads, "_sniff", lambda file, **kw: judged.append(file.name) or sniff(file, **kw)
    )
    client.force_login(ese.user)

    client.post(slides_url(ese), {"file": pdf(), "language": "en"})
    client.post(slides_url(ese), {"file": pdf("v2.pdf", PDF_BYTES + b"%v2"), "language": "en"})

    ese.refresh_from_db()
    assert judged == ["slides.pdf", "v2.pdf"]
    assert [f.sha256 for f in ese.slides.files.order_by("revision")] == [
        hashlib.sha256(PDF_BYTES).hexdigest(),
        hashlib.sha256(PDF_BYTES + b"%v2").hexdigest(),
    ]


def test_after_the_deadline_the_speaker_is_refused_naming_it(client, panel, ese, settings):
    slides.set_slides_due(panel, due=DUE, actor=None)

    with time_machine.travel(DUE, tick=False):
        client.force_login(ese.user)
        page = client.get(slides_url(ese))
        response = client.post(slides_url(ese), {"file": pdf(), "language": "en"})

    message = (
        f"The deadline for slides passed on {DUE_TEXT}; ask the secretariat to add late slides."
    )
    assert message in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (RegisteredDocument.objects.count(), stored_files(settings)) == (0, [])


def test_secretariat_uploads_for_a_speaker_after_the_deadline(client, panel, ese):
    slides.set_slides_due(panel, due=DUE, actor=None)

    with time_machine.travel(datetime(2024, 7, 31, 5, 0, tzinfo=UTC), tick=False):
        client.force_login(UserFactory(role="secretariat"))
        response = client.post(slides_url(ese), {"file": pdf(), "language": "id"})

    ese.refresh_from_db()
    assert response.status_code == 302
    assert ese.slides.submitted_by == ese.user
    assert list(ese.slides.files.values_list("language", flat=True)) == ["id"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("slides.docx", None, "Slides are accepted as a PDF or a PowerPoint (PPTX) file."),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "Slides are accepted as a PDF"),
        ("slides.pptx", PDF_BYTES, "it is a PDF file, named slides.pptx"),
        ("slides.pdf", b"", "The submitted file is empty."),
        ("slides.pdf", b"MZ\x90\x00 not a document", "This kind of file is not accepted"),
    ],
)
def test_bad_slides_are_refused_with_nothing_stored(
    client, panel, ese, settings, name, content, message
):
    if content is None:
        content = pptx_bytes("wordprocessingml.document")
    client.force_login(ese.user)

    response = client.post(
        slides_url(ese), {"file": SimpleUploadedFile(name, content), "language": "en"}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (RegisteredDocument.objects.count(), DocumentFile.objects.count()) == (0, 0)
    assert stored_files(settings) == []
    ese.refresh_from_db()
    assert ese.slides is None


def test_file_over_the_limit_is_refused(client, panel, ese, settings):
    settings.ASCN_UPLOAD_MAX_MB = 1
    client.force_login(ese.user)

    response = client.post(
        slides_url(ese), {"file": pdf(content=PDF_BYTES + b"0" * (1024 * 1024)), "language": "en"}
    )

    assert "files may be at most 1 MB" in response.content.decode()
    assert stored_files(settings) == []


def test_walking_ids_finds_only_ones_own_slides_page(client, panel, ese, unescap):
    elsewhere = SpeakerFactory(panel=PanelFactory(conference=panel.conference))
    speakers = [ese, unescap, elsewhere]
    pairs = [(s.panel_id, s.pk) for s in speakers] + [
        (a.panel_id, b.pk) for a in speakers for b in speakers if a.panel_id != b.panel_id
    ]

    def reachable(person):
        client.force_login(person)
        return {
            pair
            for pair in pairs
            if client.get(reverse("panels:slides", args=pair)).status_code == 200
        }

    assert reachable(ese.user) == {(panel.pk, ese.pk)}
    assert reachable(unescap.user) == {(panel.pk, unescap.pk)}
    assert reachable(panel.moderator) == set()
    assert reachable(delegate_at(panel.conference.meeting)) == set()
    assert reachable(UserFactory(role="secretariat")) == {(s.panel_id, s.pk) for s in speakers}


def test_another_speaker_cannot_post_slides_for_a_colleague(client, panel, ese, unescap):
    client.force_login(unescap.user)

    response = client.post(slides_url(ese), {"file": pdf(), "language": "en"})

    assert response.status_code == 404
    assert RegisteredDocument.objects.count() == 0


# --- Who has uploaded --------------------------------------------------------------------


def test_moderator_and_secretariat_see_who_has_uploaded(client, panel, ese, unescap):
    slides.upload_slides(ese, upload=pdf(), language="en", actor=UserFactory(role="secretariat"))

    client.force_login(panel.moderator)
    composer = client.get(reverse("panels:composer", args=[panel.pk])).content.decode()
    speakers = client.get(reverse("panels:speakers", args=[panel.pk])).content.decode()
    client.force_login(UserFactory(role="secretariat"))
    overview = client.get(reverse("panels:list", args=[7]))

    for page in (composer, speakers):
        assert page.count("slides uploaded (ASCN/AM7/2024/CRP.1)") == 1
        assert page.count("no slides yet") == 1
    assert [p.slides_count for p in overview.context["panels"]] == [1]


def test_speaker_is_led_from_home_to_upload_by_the_deadline(client, panel, ese):
    slides.set_slides_due(panel, due=DUE, actor=None)
    client.force_login(ese.user)

    home = client.get(reverse("dashboards:home"))

    step = [s for s in home.context["steps"] if "slides" in s.text]
    assert [(s.text, s.url) for s in step] == [
        (f"Upload your slides for {panel} by {DUE_TEXT}.", slides_url(ese))
    ]


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_slides_pages_queries_do_not_grow(client, panel, ese, unescap):
    secretariat = UserFactory(role="secretariat")
    slides.upload_slides(ese, upload=pdf(), language="en", actor=secretariat)
    client.force_login(panel.moderator)
    urls = [
        reverse("panels:composer", args=[panel.pk]),
        reverse("panels:speakers", args=[panel.pk]),
        reverse("panels:slides_due", args=[panel.pk]),
    ]
    small = [_count_queries(client, url) for url in urls]
    client.force_login(ese.user)
    own_small = _count_queries(client, slides_url(ese))

    for _n in range(6):
        extra = SpeakerFactory(panel=panel)
        slides.upload_slides(extra, upload=pdf(), language="en", actor=secretariat)
    for _revision in range(4):
        slides.upload_slides(ese, upload=pdf(), language="en", actor=secretariat)

    client.force_login(panel.moderator)
    assert [_count_queries(client, url) for url in urls] == small
    client.force_login(ese.user)
    assert _count_queries(client, slides_url(ese)) == own_small


# --- Reminder -------------------------------------------------------------------------------


def test_speakers_without_slides_are_reminded_daily_as_the_deadline_nears(
    panel, ese, unescap, smtp_server, django_capture_on_commit_callbacks
):
    slides.set_slides_due(panel, due=DUE, actor=None)
    slides.upload_slides(ese, upload=pdf(), language="en", actor=UserFactory(role="secretariat"))

    with django_capture_on_commit_callbacks(execute=True):
        slides.send_slides_reminders(now=datetime(2024, 7, 25, 2, 0, tzinfo=UTC))  # 5 days
        slides.send_slides_reminders(now=datetime(2024, 7, 28, 2, 0, tzinfo=UTC))
        slides.send_slides_reminders(now=datetime(2024, 7, 28, 9, 0, tzinfo=UTC))  # same day
        slides.send_slides_reminders(now=datetime(2024, 7, 30, 11, 0, tzinfo=UTC))  # passed

    assert [m["To"] for m in smtp_server.messages] == ["priya@unescap.example"]
    assert smtp_server.messages[0]["Subject"].endswith("Reminder: your slides for panel 3")
    body = smtp_server.body(smtp_server.messages[0])
    assert f"are due by {DUE_TEXT}, and the portal has none from you yet." in body
    assert slides_url(unescap) in body
