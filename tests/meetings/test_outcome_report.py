"""The outcome report: what it holds, who writes and reads it, its PDF and its pages."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from ascn_portal.core.documents import render
from ascn_portal.core.models import GeneratedDocument
from meetings.agenda.services import publish_agenda
from meetings.coordination.services import minutes
from meetings.models import AgendaPoint, Meeting
from meetings.register.enums import Distribution
from meetings.register.models import RegisteredDocument
from meetings.report import queries, services
from tests.celery_worker import wait_until
from tests.factories import UserFactory
from tests.factories.coordination import AgendaPointFactory, CoordinationSessionFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory, delegate_at
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory
from tests.factories.panels import PanelFactory
from tests.factories.pilots import ProgressUpdateFactory, member_state

pytestmark = pytest.mark.django_db

AFTER_THE_MEETING = "2024-08-05 09:00Z"


@pytest.fixture
def published(meeting, secretariat, coordination_session):
    """A published agenda, one session's minutes published, another's still a draft."""
    AgendaSessionFactory(meeting=meeting, title="Opening plenary")
    publish_agenda(meeting, actor=secretariat)
    AgendaPoint.objects.filter(session=coordination_session, position=1).update(
        decisions="Indonesia keeps the Shepherd role until 2025."
    )
    minutes.approve_minutes(coordination_session, actor=secretariat)
    minutes.publish_minutes(coordination_session, actor=secretariat)
    draft = CoordinationSessionFactory(meeting=meeting, title="Online session on UNESCAP")
    AgendaPointFactory(session=draft, position=1, title="UNESCAP", decisions="Not yet agreed.")
    return meeting


def _content(meeting):
    return queries.report_content(queries.report_of(meeting))


def test_report_holds_published_minutes_only(published):
    content = _content(published)
    assert [record["session"] for record in content["minutes"]] == [
        "Coordination on Indonesia's ASCN membership"
    ]
    assert content["minutes"][0]["decisions"] == ["Indonesia keeps the Shepherd role until 2025."]
    assert content["agenda_version"] == 1
    assert "Opening plenary" in str(content["agenda"])


def test_attendance_is_registered_people_in_asean_order(meeting):
    for code, name in [("VN", "Viet Nam"), ("BN", "Brunei Darussalam"), ("ID", "Indonesia")]:
        delegation = DelegationFactory(meeting=meeting, country=member_state(code), name=name)
        ParticipantFactory(delegation=delegation, full_name=f"Head of {name}", status="registered")
        ParticipantFactory(delegation=delegation, full_name="Only nominated", status="nominated")
    observers = DelegationFactory(meeting=meeting, country=None, name="ASEAN Secretariat")
    ParticipantFactory(delegation=observers, full_name="Nadia Rahman", status="registered")

    attendance = _content(meeting)["attendance"]

    assert [row["name"] for row in attendance] == [
        "Brunei Darussalam",
        "Indonesia",
        "Viet Nam",
        "ASEAN Secretariat",
    ]
    assert [row["count"] for row in attendance] == [1, 1, 1, 1]
    assert attendance[0]["people"][0]["name"] == "Head of Brunei Darussalam"


def test_projects_changed_in_the_cycle_between_meetings(meeting):
    MeetingFactory(number=6, start_date=date(2023, 7, 12), end_date=date(2023, 7, 13))
    ProgressUpdateFactory(project__title="Serayu flood simulation", date=date(2024, 7, 9))
    ProgressUpdateFactory(project__title="Before the cycle", date=date(2023, 7, 13))
    ProgressUpdateFactory(project__title="After the meeting", date=date(2024, 9, 1))

    content = _content(meeting)

    assert [project["title"] for project in content["projects"]] == ["Serayu flood simulation"]
    assert content["cycle"]["first"] == "14 July 2023"


def test_annex_lists_documents_for_all_participants_only(meeting):
    for number, distribution in enumerate(Distribution.values, start=1):
        RegisteredDocument.objects.create(
            meeting=meeting, series="DOC", number=number, title=distribution,
            distribution=distribution,
        )  # fmt: skip
    titles = [entry["title"] for entry in _content(meeting)["documents"]]
    assert titles == ["public", "participants"]


@time_machine.travel(AFTER_THE_MEETING)
def test_compiled_pdf_has_contents_page_numbers_sections_and_escaped_text(
    published, secretariat, django_capture_on_commit_callbacks, settings
):
    panel = PanelFactory(conference__meeting=published, title="Forging Partnerships")
    panel.outcome_note = "Cities asked for <b>regional</b> guidelines."
    panel.save()
    report = queries.report_of(published)
    services.save_texts(
        report, introduction="<script>alert(1)</script> Intro.", conclusions="Done.",
        actor=secretariat,
    )  # fmt: skip
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=False):
        version = services.compile_report(report, actor=secretariat)
    texts = {}
    for language in ("en", "id"):
        document = GeneratedDocument.objects.get(
            kind="outcome_report", version=version.number, language=language
        )
        render(document.pk)
        document.refresh_from_db()
        assert document.status == "ready", document.error
        reader = PdfReader(io.BytesIO(document.file.open("rb").read()))
        texts[language] = [" ".join(page.extract_text().split()) for page in reader.pages]
    english = " ".join(texts["en"])
    assert "<script>alert(1)</script> Intro." in english
    assert "Cities asked for <b>regional</b> guidelines." in english
    for heading in ["Attendance by delegation", "Decisions and action items", "Annex"]:
        assert heading in english
    contents = texts["en"][1]
    assert "Contents" in contents
    # Each entry of the contents ends with the page its section starts on.
    for heading, marker in [("Introduction", "Intro."), ("Conclusions", "Done.")]:
        page = next(n for n, text in enumerate(texts["en"], 1) if marker in text)
        assert page > 2
        assert re.search(rf"{heading}[ .]*{page}\b", contents), contents
    indonesian = " ".join(texts["id"])
    assert "Daftar isi" in indonesian
    assert "Kehadiran per delegasi" in indonesian
    entry = RegisteredDocument.objects.get(outcome_report=report)
    # After the published agenda (DOC.1) and minutes (DOC.2).
    assert entry.symbol == "ASCN/AM7/2024/DOC.3"
    assert entry.files.count() == 2


@time_machine.travel(AFTER_THE_MEETING)
def test_second_compilation_is_a_revision_of_the_same_symbol(published, secretariat):
    report = queries.report_of(published)
    services.compile_report(report, actor=secretariat)
    services.compile_report(report, actor=secretariat)
    report.refresh_from_db()
    assert report.versions.count() == 2
    assert report.registered_as.current_revision == 1
    assert sorted(f.symbol for f in report.registered_as.files.all())[-1].endswith("/Rev.1")


def test_only_the_secretariat_opens_the_report_page(client, meeting, secretariat):
    url = reverse("meetings:outcome_report", args=[meeting.number])
    for person in [delegate_at(meeting), UserFactory(role="moderator")]:
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"introduction": "x", "conclusions": ""}).status_code == 404
    client.force_login(secretariat)
    assert client.get(url).status_code == 200


@time_machine.travel(AFTER_THE_MEETING)
def test_download_follows_the_register_distribution(client, published, secretariat):
    report = queries.report_of(published)
    version = services.compile_report(report, actor=secretariat)
    document = version.document
    participant = delegate_at(published)
    outsider = UserFactory(role="delegate")
    url = reverse("core:document_detail", args=[document.pk])
    client.force_login(participant)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    report.refresh_from_db()
    RegisteredDocument.objects.filter(pk=report.registered_as_id).update(
        distribution=Distribution.NATIONAL_REPRESENTATIVES
    )
    client.force_login(participant)
    assert client.get(url).status_code == 404
    entry = report.registered_as
    file = entry.files.first()
    download = reverse("meetings:document_file", args=[published.number, entry.pk, file.pk])
    assert client.get(download).status_code == 404


def test_bad_input_is_refused_in_the_page_and_kept(client, meeting, secretariat):
    client.force_login(secretariat)
    url = reverse("meetings:outcome_report", args=[meeting.number])
    response = client.post(
        url, {"introduction": "x" * 6001, "conclusions": "Kept.", "action": "compile"}
    )
    assert response.status_code == 400
    assert "at most 6000 characters" in response.content.decode()
    assert "Kept." in response.content.decode()
    assert queries.report_of(meeting).pk is None  # nothing saved, no version


def test_saving_keeps_the_text(client, meeting, secretariat):
    client.force_login(secretariat)
    url = reverse("meetings:outcome_report", args=[meeting.number])
    response = client.post(url, {"introduction": "Hello.", "conclusions": "", "action": "save"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).outcome_report.introduction == "Hello."


@time_machine.travel(AFTER_THE_MEETING)
@pytest.mark.parametrize("size", [1, 8])
def test_report_page_queries_do_not_grow(
    client, meeting, secretariat, size, django_assert_max_num_queries
):
    report = queries.report_of(meeting)
    for n in range(size):
        AgendaSessionFactory(meeting=meeting, title=f"Session {n}")
        PanelFactory(conference__meeting=meeting, agenda_session=None)
        ProgressUpdateFactory()
        services.compile_report(report, actor=secretariat)
    client.force_login(secretariat)
    url = reverse("meetings:outcome_report", args=[meeting.number])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


@pytest.mark.redis
def test_worker_renders_the_compiled_report(celery_worker):
    meeting = MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")
    secretariat = UserFactory(role="secretariat")
    report = queries.report_of(meeting)
    services.save_texts(report, introduction="Held in Luang Prabang.", conclusions="",
                        actor=secretariat)  # fmt: skip
    with transaction.atomic():
        version = services.compile_report(report, actor=secretariat)

    wait_until(
        lambda: (
            not GeneratedDocument.objects.filter(
                kind="outcome_report", version=version.number, status="pending"
            ).exists()
        ),
        timeout=90,
        message="both languages rendered",
    )
    for document in GeneratedDocument.objects.filter(kind="outcome_report"):
        assert document.status == "ready", document.error
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(document.file.read())).pages
        )
        assert "Held in Luang Prabang." in text


def test_demo_compiles_the_7th_meetings_report_with_panel_3s_outcome():
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())

    report = Meeting.objects.get(number=7).outcome_report
    [version] = report.versions.all()
    content = version.content
    assert content["introduction"][0].startswith("The 7th ASCN Annual Meeting was held in Luang")
    [panel_3] = [panel for panel in content["panels"] if panel["number"] == 3]
    assert panel_3["outcome"][0].startswith("Demo entry.")
    assert len(panel_3["objectives"]) == 3
    assert content["minutes"], "the demo's published minutes"
    assert "Banyumas" in str(content["projects"])
    assert report.registered_as.symbol == "ASCN/AM7/2024/DOC.8"
    assert report.registered_as.distribution == Distribution.PARTICIPANTS
