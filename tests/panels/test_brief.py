import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from panels import services
from panels.models import BriefVersion, Segment
from tests.factories import UserFactory
from tests.factories.panels import SpeakerFactory

pytestmark = pytest.mark.django_db


def brief_data(panel, segments, **overrides):
    """The composer's POST: texts, each speaker's notes and the run of show."""
    data = {
        "introduction": "Partnerships carry pilots to services.",
        "closing_remarks": "Thank you.",
        "segments-TOTAL_FORMS": str(len(segments)),
        "segments-INITIAL_FORMS": "0",
        "segments-MIN_NUM_FORMS": "0",
        "segments-MAX_NUM_FORMS": "30",
    }
    for speaker in panel.speakers.all():
        data[f"speaker-{speaker.pk}-bio_line"] = f"Bio of {speaker.name}"
        data[f"speaker-{speaker.pk}-questions"] = f"What did {speaker.name} learn?\nWhat next?"
    for n, (title, minutes, speaker) in enumerate(segments):
        data[f"segments-{n}-title"] = title
        data[f"segments-{n}-minutes"] = str(minutes)
        data[f"segments-{n}-speaker"] = str(speaker.pk) if speaker else ""
    data.update(overrides)
    return data


@pytest.fixture
def moderator_client(client, panel):
    client.force_login(panel.moderator)
    return client


def test_moderator_sees_submitted_points_beside_the_brief(moderator_client, panel, ese, unescap):
    page = moderator_client.get(reverse("panels:composer", args=[panel.pk])).content.decode()

    assert "Flood simulation on the Serayu river." in page
    assert "points submitted" in page
    assert "no points yet" in page  # Priya has written nothing


def test_brief_is_saved_with_the_run_of_show(moderator_client, panel, ese, unescap):
    segments = [("Opening", 5, None), ("ESE", 15, ese), ("UNESCAP", 15, unescap)]

    response = moderator_client.post(
        reverse("panels:composer", args=[panel.pk]), brief_data(panel, segments), follow=True
    )

    assert "The brief is saved." in response.content.decode()
    assert list(panel.segments.values_list("title", "minutes", "speaker")) == [
        ("Opening", 5, None),
        ("ESE", 15, ese.pk),
        ("UNESCAP", 15, unescap.pk),
    ]
    ese.refresh_from_db()
    assert ese.question_list == ["What did Minjun Park learn?", "What next?"]


def test_run_of_show_over_the_slot_is_refused_with_the_overrun(
    moderator_client, panel, ese, unescap
):
    Segment.objects.create(panel=panel, position=1, title="Kept", minutes=10)
    segments = [("Opening", 10, None), ("ESE", 40, ese), ("UNESCAP", 35, unescap)]  # 85 of 75

    page = moderator_client.post(
        reverse("panels:composer", args=[panel.pk]), brief_data(panel, segments)
    ).content.decode()

    assert (
        "The run of show takes 85 minutes but the slot has 75: it runs over by 10 minutes." in page
    )
    assert list(panel.segments.values_list("title", flat=True)) == ["Kept"]
    ese.refresh_from_db()
    assert ese.bio_line == ""  # nothing of the brief was written


def test_locked_brief_refuses_edits(moderator_client, panel, ese):
    services.lock_brief(panel, actor=panel.moderator)

    response = moderator_client.post(
        reverse("panels:composer", args=[panel.pk]),
        brief_data(panel, [("Opening", 5, None)], introduction="Changed"),
        follow=True,
    )

    panel.refresh_from_db()
    assert "The brief is locked; unlock it to make changes." in response.content.decode()
    assert panel.introduction == ""
    assert not panel.segments.exists()
    assert panel.status == "brief_ready"


def test_brief_pdf_has_each_speaker_and_their_questions(
    panel, ese, unescap, django_capture_on_commit_callbacks
):
    services.save_brief(
        panel,
        introduction="Intro",
        closing_remarks="",
        speaker_notes=[
            (ese, "Company bio", "How did Banyumas fund the control centre?"),
            (unescap, "UN bio", "How can cities use the guidelines?\nWho monitors?"),
        ],
        segments=[{"title": "ESE", "minutes": 15, "speaker": ese}],
        actor=panel.moderator,
    )

    version = rendered_version(panel, django_capture_on_commit_callbacks)

    assert version.document.status == "ready", version.document.error
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(version.document.file.read())).pages
    )
    text = re.sub(r"\s+", " ", text)
    for expected in (
        "Minjun Park",
        "Priya Raman",
        "How did Banyumas fund the control centre?",
        "How can cities use the guidelines?",
        "Who monitors?",
        "13:30–13:45",  # the run of show in clock time of the meeting's zone
        "Budgets end with the pilot.",
    ):
        assert expected in text


def rendered_version(panel, capture):
    with capture(execute=True):
        version = services.save_brief_version(panel, actor=panel.moderator)
    version.document.refresh_from_db()
    return version


def test_sharing_sends_one_mail_per_speaker_once(
    panel, ese, unescap, smtp_server, django_capture_on_commit_callbacks
):
    version = rendered_version(panel, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.share_brief(version, actor=panel.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        services.share_brief(version, actor=panel.moderator)  # again: nothing new

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "priya@unescap.example",
        "speaker@ese.example",
    ]
    [attachment] = list(smtp_server.messages[0].iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_sharing_waits_for_the_pdf(moderator_client, panel, ese, settings):
    version = BriefVersion.objects.create(panel=panel, number=1, content={})

    response = moderator_client.post(
        reverse("panels:brief_share", args=[panel.pk, version.number]), follow=True
    )

    assert "is not ready yet" in response.content.decode()


def test_speaker_sees_only_shared_versions_of_the_brief(
    client, panel, ese, django_capture_on_commit_callbacks
):
    version = rendered_version(panel, django_capture_on_commit_callbacks)
    client.force_login(ese.user)
    document_url = version.document.get_absolute_url()

    assert client.get(document_url).status_code == 404
    assert (
        "Open the brief (PDF)"
        not in client.get(reverse("panels:points", args=[panel.pk])).content.decode()
    )

    services.share_brief(version, actor=panel.moderator)
    assert client.get(document_url).status_code == 200
    assert (
        "Open the brief (PDF)"
        in client.get(reverse("panels:points", args=[panel.pk])).content.decode()
    )


# --- Who may do what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "composer", "points", "public", "edit"),
    [
        ("moderator", 200, 404, 200, 403),
        ("other_moderator", 404, 404, 200, 403),
        ("secretariat", 200, 404, 200, 200),
        ("speaker", 404, 200, 200, 403),
        ("delegate", 404, 404, 200, 403),
        ("anonymous", 302, 302, 200, 302),
    ],
)
def test_permission_matrix(client, panel, ese, viewer, composer, points, public, edit):
    users = {
        "moderator": panel.moderator,
        "other_moderator": UserFactory(role="moderator"),
        "secretariat": UserFactory(role="secretariat"),
        "speaker": ese.user,
        "delegate": UserFactory(role="delegate"),
    }
    if viewer in users:
        client.force_login(users[viewer])

    assert client.get(reverse("panels:composer", args=[panel.pk])).status_code == composer
    assert client.get(reverse("panels:speakers", args=[panel.pk])).status_code == composer
    assert client.get(reverse("panels:points", args=[panel.pk])).status_code == points
    assert client.get(reverse("panels:detail", args=[panel.pk])).status_code == public
    assert client.get(reverse("panels:edit", args=[panel.pk])).status_code == edit
    for name in ("brief_lock", "brief_version"):
        assert client.post(reverse(f"panels:{name}", args=[panel.pk])).status_code in (
            {302} if composer == 200 else {composer}
        )


def test_public_page_shows_only_the_public_part(client, panel, ese):
    panel.objectives.create(position=1, text="Strengthen partnerships.")
    client.force_login(UserFactory(role="delegate"))

    page = client.get(reverse("panels:detail", args=[panel.pk])).content.decode()

    assert "Strengthen partnerships." in page
    assert "Minjun Park" in page
    assert "Budgets end with the pilot." not in page


@pytest.mark.parametrize("speakers", [2, 20])
def test_composer_query_count_is_fixed(
    moderator_client, panel, speakers, django_assert_max_num_queries
):
    people = [SpeakerFactory(panel=panel) for _ in range(speakers)]
    for n, speaker in enumerate(people):
        Segment.objects.create(panel=panel, position=n, title=f"S{n}", minutes=1, speaker=speaker)
    services.save_brief_version(panel, actor=panel.moderator)

    with django_assert_max_num_queries(12):
        assert moderator_client.get(reverse("panels:composer", args=[panel.pk])).status_code == 200


# --- One number per version ------------------------------------------------------------------


def pdf_text(document):
    document.file.open("rb")
    try:
        pages = PdfReader(io.BytesIO(document.file.read())).pages
    finally:
        document.file.close()
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_second_version_carries_its_number_everywhere_and_returns_to_the_composer(
    moderator_client, panel, ese, django_capture_on_commit_callbacks
):
    composer_url = reverse("panels:composer", args=[panel.pk])
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(reverse("panels:brief_version", args=[panel.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(reverse("panels:brief_version", args=[panel.pk]))

    assert response.status_code == 302
    assert response.url == composer_url
    version = panel.brief_versions.get(number=2)
    document = version.document
    page = moderator_client.get(composer_url).content.decode()
    assert page.count("Download version 2 (PDF)") == 1
    assert "Download version 1 (PDF)" not in page
    download = moderator_client.get(reverse("core:document_download", args=[document.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="panel_brief-v2.pdf"'
    b"".join(download.streaming_content)
    text = pdf_text(document)
    assert "Moderator's brief, version 2." in text
    assert "Version 2 · generated" in text
    assert "version 1" not in text.lower()
