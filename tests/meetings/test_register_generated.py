"""The agenda, minutes and panel briefs the portal generates take their place in the
meeting's register: one symbol each, every later version a revision of it, the PDF
downloaded through the register as the same file, and read by no one who may not read
the document itself."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ascn_portal.core.documents import render
from ascn_portal.core.models import GeneratedDocument
from meetings.agenda.services import publish_agenda
from meetings.coordination.services import minutes
from meetings.coordination.services.sessions import save_coordination_session
from meetings.register.enums import Distribution
from meetings.register.models import DocumentFile
from panels import services as panels
from panels.models import Panel
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at
from tests.factories.meetings import AgendaSessionFactory
from tests.factories.panels import PanelFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def _rendered(version):
    """Render every language of a just-published version, as the worker would."""
    own = version.document
    for document in GeneratedDocument.objects.filter(
        about_type=own.about_type, about_id=own.about_id, kind=own.kind, version=own.version
    ):
        render(document.pk)
    own.refresh_from_db()
    return version


def _download(client, entry, stored):
    return client.get(
        reverse("meetings:document_file", args=[entry.meeting.number, entry.pk, stored.pk])
    )


def _same_pdf(response, stored):
    """The register hands out the generated PDF itself, byte for byte."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    with stored.generated.file.open("rb") as handle:
        assert body == handle.read()
    assert PdfReader(io.BytesIO(body)).pages
    return body


def _latest(entry, language="en"):
    return entry.files.select_related("generated").get(
        revision=entry.current_revision, language=language
    )


def _page(client, entry):
    return client.get(
        reverse("meetings:document", kwargs={"number": entry.meeting.number, "pk": entry.pk})
    )


# --- The agenda -------------------------------------------------------------------------


def test_published_agenda_takes_a_symbol_then_a_revision_read_by_participants(
    client, meeting, secretariat
):
    AgendaSessionFactory(meeting=meeting, title="Opening plenary")
    first = _rendered(publish_agenda(meeting, actor=secretariat))
    meeting.refresh_from_db()
    entry = meeting.agenda_registered_as

    assert entry.symbol == "ASCN/AM7/2024/DOC.1"
    assert entry.title == "Agenda of the 7th ASCN Annual Meeting"
    assert entry.distribution == Distribution.PARTICIPANTS
    assert entry.submitted_by is None
    assert sorted(f.language for f in entry.files.all()) == ["en", "id"]
    assert _latest(entry).generated == first.document

    AgendaSessionFactory(meeting=meeting, title="Closing plenary")
    second = _rendered(publish_agenda(meeting, actor=secretariat))
    meeting.refresh_from_db()
    entry.refresh_from_db()

    assert meeting.agenda_registered_as == entry
    assert entry.current_revision == 1
    latest = _latest(entry)
    assert latest.symbol == "ASCN/AM7/2024/DOC.1/Rev.1"
    assert latest.generated.version == second.number == 2
    assert entry.files.get(revision=0, language="en").is_superseded
    participant = delegate_at(meeting)
    client.force_login(participant)
    body = _same_pdf(_download(client, entry, latest), latest)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Agenda, version 2" in text
    assert "Closing plenary" in text
    # Someone with no part in the meeting may not read the booklet, nor its entry.
    outsider = UserFactory(role="delegate")
    assert not outsider.has_perm("meetings.view_participant_sessions", meeting)
    client.force_login(outsider)
    assert _page(client, entry).status_code == 404
    assert _download(client, entry, latest).status_code == 404


def test_an_entry_is_titled_in_english_whoever_publishes(meeting, secretariat):
    # English is the register's language of record: a reader in Bangkok or Hanoi sees
    # the same title whether the publisher works in English or in Bahasa Indonesia.
    secretariat.language = "id"
    secretariat.save(update_fields=["language"])
    AgendaSessionFactory(meeting=meeting, title="Opening plenary")

    with translation.override("id"):
        publish_agenda(meeting, actor=secretariat)

    meeting.refresh_from_db()
    assert meeting.agenda_registered_as.title == "Agenda of the 7th ASCN Annual Meeting"


# --- The minutes of a coordination session ----------------------------------------------


def _publish(session, actor):
    minutes.approve_minutes(session, actor=actor)
    return _rendered(minutes.publish_minutes(session, actor=actor))


def test_published_minutes_take_a_symbol_then_a_revision_for_their_readers_only(
    client, meeting, coordination_session, chair, attendee, secretariat
):
    _publish(coordination_session, chair)
    coordination_session.refresh_from_db()
    entry = coordination_session.minutes_registered_as

    assert entry.symbol == "ASCN/AM7/2024/DOC.1"
    assert entry.title == "Record of meeting: Coordination on Indonesia's ASCN membership"
    assert entry.distribution == Distribution.NAMED
    assert set(entry.readers.all()) == {chair, attendee}
    # The chair who published gains nothing by it: no submitter is recorded.
    assert entry.submitted_by is None

    minutes.start_correction(coordination_session, note="Spelling.", actor=chair)
    _publish(coordination_session, chair)
    entry.refresh_from_db()
    latest = _latest(entry)
    assert latest.symbol == "ASCN/AM7/2024/DOC.1/Rev.1"
    assert latest.generated.version == 2

    client.force_login(attendee)
    _same_pdf(_download(client, entry, latest), latest)
    # A delegate to the meeting who was not invited reads neither the minutes nor the
    # entry, by its page, its file, or the register's list.
    delegate = delegate_at(meeting)
    assert not delegate.has_perm("meetings.view_coordination_minutes", coordination_session)
    client.force_login(delegate)
    assert _page(client, entry).status_code == 404
    for stored in entry.files.all():
        assert _download(client, entry, stored).status_code == 404
    listed = client.get(reverse("meetings:register", args=[7])).context["page"].object_list
    assert entry not in list(listed)


def test_the_minutes_readers_follow_the_invitation_list(
    client, meeting, coordination_session, chair, attendee, secretariat
):
    _publish(coordination_session, chair)
    coordination_session.refresh_from_db()
    entry = coordination_session.minutes_registered_as
    newcomer = delegate_at(meeting)

    save_coordination_session(coordination_session, invited_people=[newcomer], actor=secretariat)

    assert set(entry.readers.all()) == {chair, newcomer}
    client.force_login(attendee)
    assert _page(client, entry).status_code == 404
    client.force_login(newcomer)
    assert _page(client, entry).status_code == 200


# --- A panel's brief --------------------------------------------------------------------


@pytest.fixture
def brief_panel():
    return PanelFactory(
        number=3, title="Forging Partnerships", conference__meeting__number=7, status="collecting"
    )


def test_brief_is_registered_when_shared_and_each_shared_version_is_a_revision(client, brief_panel):
    panel = brief_panel
    speaker = SpeakerFactory(panel=panel)
    moderator = panel.moderator
    first = _rendered(panels.save_brief_version(panel, actor=moderator))
    panel.refresh_from_db()
    # Saved but not shared: speakers may not read it yet, so neither is it registered.
    assert panel.brief_registered_as is None

    panels.share_brief(first, actor=moderator)
    panel.refresh_from_db()
    entry = panel.brief_registered_as
    assert entry.symbol == "ASCN/AM7/2024/DOC.1"
    assert entry.title == "Brief for panel 3: Forging Partnerships"
    assert entry.distribution == Distribution.NAMED
    assert set(entry.readers.all()) == {moderator, speaker.user}
    assert entry.submitted_by is None

    second = _rendered(panels.save_brief_version(panel, actor=moderator))
    entry.refresh_from_db()
    assert entry.current_revision == 0, "an unshared version stays out of the register"
    panels.share_brief(second, actor=moderator)
    panels.share_brief(first, actor=moderator)  # sent again: nothing new registered
    entry.refresh_from_db()
    latest = _latest(entry)
    assert latest.symbol == "ASCN/AM7/2024/DOC.1/Rev.1"
    assert latest.generated.version == 2
    assert DocumentFile.objects.filter(document=entry).count() == 4

    client.force_login(speaker.user)
    _same_pdf(_download(client, entry, latest), latest)


def test_brief_readers_follow_the_panels_people(client, brief_panel):
    panel = brief_panel
    speaker = SpeakerFactory(panel=panel)
    version = _rendered(panels.save_brief_version(panel, actor=panel.moderator))
    panels.share_brief(version, actor=panel.moderator)
    panel.refresh_from_db()
    entry = panel.brief_registered_as

    panels.remove_speaker(speaker, actor=panel.moderator)
    newcomer = panels.add_speaker(
        panel, email="lee@ese.example", name="Changho Lee", actor=panel.moderator
    )
    assert set(entry.readers.all()) == {panel.moderator, newcomer.user}
    client.force_login(speaker.user)
    assert _page(client, entry).status_code == 404
    # As today: a speaker added later reads the versions already shared.
    assert newcomer.user.has_perm("panels.view_brief_version", version)
    client.force_login(newcomer.user)
    assert _page(client, entry).status_code == 200

    former = panel.moderator
    panel.moderator = UserFactory(role="moderator")
    panels.save_panel(panel, objectives=[], actor=former)
    assert set(entry.readers.all()) == {panel.moderator, newcomer.user}


def test_saving_the_panel_from_a_page_loaded_before_the_share_keeps_its_symbol(brief_panel):
    panel = brief_panel
    stale = Panel.objects.get(pk=panel.pk)  # the panel form, opened before the share
    version = _rendered(panels.save_brief_version(panel, actor=panel.moderator))
    panels.share_brief(version, actor=panel.moderator)

    stale.title = "Forging Partnerships for Smart Cities"
    panels.save_panel(stale, objectives=["Agree on shared data"], actor=panel.moderator)

    panel.refresh_from_db()
    assert panel.title == "Forging Partnerships for Smart Cities"
    assert panel.brief_registered_as.symbol == "ASCN/AM7/2024/DOC.1"
