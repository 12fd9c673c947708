"""'New since your last visit': a home page's register documents since the register was
last opened, within the person's distribution."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.register import services
from meetings.register.enums import Distribution, VersionChange
from tests.factories import UserFactory
from tests.factories.delegations import ParticipantFactory, delegate_at
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

START = datetime(2024, 7, 1, 2, 0, tzinfo=UTC)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def meeting():
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")


def register(meeting, title, distribution=Distribution.PARTICIPANTS, **kw):
    return services.register_document(
        meeting,
        series=kw.pop("series", "DOC"),
        title=title,
        upload=SimpleUploadedFile("doc.pdf", PDF_BYTES),
        language="en",
        distribution=distribution,
        actor=kw.pop("actor", None),
        **kw,
    )


def new_documents(client, person):
    client.force_login(person)
    response = client.get(reverse("dashboards:home"))
    return [
        (entry.meeting.number, entry.count, [d.title for d in entry.newest])
        for entry in response.context["new_documents"]
    ], response.content.decode()


def test_new_documents_are_listed_until_the_register_is_opened(client, meeting, clock):
    delegate = delegate_at(meeting)
    register(meeting, "Concept note")
    clock.shift(timedelta(hours=1))
    register(meeting, "Shepherd's report")

    before, page = new_documents(client, delegate)
    clock.shift(timedelta(hours=1))
    again, _page = new_documents(client, delegate)
    client.get(reverse("meetings:register", args=[7]))
    clock.shift(timedelta(hours=1))
    after, empty_page = new_documents(client, delegate)

    assert before == [(7, 2, ["Shepherd's report", "Concept note"])]
    assert "2 documents registered or revised since you last opened the register." in page
    assert again == before  # loading home alone does not mark them seen
    assert after == []
    assert "No new documents since your last visit to the register." in empty_page


def test_revision_after_the_visit_is_new_again_but_a_new_language_is_not(client, meeting, clock):
    delegate = delegate_at(meeting)
    note = register(meeting, "Concept note")
    report = register(meeting, "Shepherd's report")
    client.force_login(delegate)
    client.get(reverse("meetings:register", args=[7]))
    clock.shift(timedelta(days=1))

    services.add_file(
        note,
        upload=SimpleUploadedFile("rev.pdf", PDF_BYTES),
        language="en",
        change=VersionChange.REVISION,
        actor=None,
    )
    services.add_file(
        report,
        upload=SimpleUploadedFile("id.pdf", PDF_BYTES),
        language="id",
        change=VersionChange.LANGUAGE,
        actor=None,
    )
    listed, _page = new_documents(client, delegate)

    assert listed == [(7, 1, ["Concept note"])]


def test_delegate_never_learns_of_documents_outside_their_distribution(client, meeting, clock):
    delegate = delegate_at(meeting)
    register(meeting, "Roster of heads", distribution=Distribution.NATIONAL_REPRESENTATIVES)
    register(meeting, "Named note", distribution=Distribution.NAMED, readers=[UserFactory()])
    register(meeting, "Concept note")

    listed, page = new_documents(client, delegate)

    assert listed == [(7, 1, ["Concept note"])]
    assert "Roster of heads" not in page
    assert "Named note" not in page


def test_own_submissions_and_meetings_one_is_not_part_of_are_left_out(client, meeting, clock):
    other = MeetingFactory(number=8, status="published")
    delegate = delegate_at(meeting)
    register(meeting, "My own paper", actor=delegate)
    register(other, "Another meeting's paper", distribution=Distribution.PUBLIC)

    listed, _page = new_documents(client, delegate)

    assert listed == []


def test_newest_three_are_linked_with_the_full_count(client, meeting, clock):
    delegate = delegate_at(meeting)
    for n in range(5):
        register(meeting, f"Paper {n}")
        clock.shift(timedelta(minutes=1))

    listed, page = new_documents(client, delegate)

    assert listed == [(7, 5, ["Paper 4", "Paper 3", "Paper 2"])]
    assert len(re.findall(r'href="/meetings/7/documents/\d+/"', page)) == 3


@pytest.mark.parametrize("secretariat", [False, True])
def test_home_page_queries_do_not_grow_with_documents_or_meetings(
    client, meeting, clock, secretariat
):
    person = UserFactory(role="secretariat") if secretariat else delegate_at(meeting)

    def count():
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboards:home"))
        assert response.status_code == 200
        return len(queries), sum(entry.count for entry in response.context["new_documents"])

    register(meeting, "Concept note")
    small = count()
    for number in (8, 9):
        other = MeetingFactory(number=number, status="published")
        delegate_at(other, email=f"x{number}@example.org")
        if not secretariat:
            ParticipantFactory(delegation__meeting=other, user=person, status="registered")
        session = AgendaSessionFactory(meeting=other)
        for n in range(10):
            register(other, f"Paper {n}", agenda_session=session)
    for n in range(20):
        register(meeting, f"Report {n}")
    large = count()

    assert small[1] == 1
    assert large[1] == 41
    assert large[0] == small[0]
