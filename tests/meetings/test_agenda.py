import html
import io
import re
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from ascn_portal.core.enums import DocumentKind, DocumentStatus
from ascn_portal.core.models import GeneratedDocument
from meetings.agenda import services
from meetings.models import AgendaSession, AgendaVersion
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at, nr_at
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", language="en")


@pytest.fixture
def sessions(meeting):
    hall = RoomFactory(meeting=meeting, name="Plenary Hall")
    small = RoomFactory(meeting=meeting, name="Meeting Room 1")
    at = lambda day, hour, minute=0: datetime(2024, 7, day, hour, minute, tzinfo=meeting.zone)  # noqa: E731
    return {
        "opening": AgendaSessionFactory(
            meeting=meeting,
            title="Opening",
            kind="opening",
            room=hall,
            visibility="public",
            starts_at=at(30, 9),
            ends_at=at(30, 9, 45),
        ),
        "plenary": AgendaSessionFactory(
            meeting=meeting,
            title="Plenary: Shepherd report",
            room=hall,
            visibility="participants",
            starts_at=at(30, 10, 15),
            ends_at=at(30, 12),
        ),
        "closed": AgendaSessionFactory(
            meeting=meeting,
            title="Closed-door meeting of National Representatives",
            kind="closed_door",
            room=small,
            visibility="national_representatives",
            starts_at=at(30, 15, 30),
            ends_at=at(30, 17),
        ),
        "panel": AgendaSessionFactory(
            meeting=meeting,
            title="Panel 3: Forging Partnerships",
            kind="conference_panel",
            room=hall,
            visibility="public",
            starts_at=at(31, 13, 30),
            ends_at=at(31, 14, 45),
        ),
    }


VIEWERS = {"delegate": delegate_at, "national_representative": nr_at}


def publish(meeting, actor, capture):
    with capture(execute=True):
        return services.publish_agenda(meeting, actor=actor)


def test_first_publication_is_version_one_with_pdf_of_participant_sessions(
    meeting, sessions, secretariat, django_capture_on_commit_callbacks
):
    version = publish(meeting, secretariat, django_capture_on_commit_callbacks)

    assert version.number == 1
    assert [s["title"] for s in version.sessions] == [
        "Opening",
        "Plenary: Shepherd report",
        "Closed-door meeting of National Representatives",
        "Panel 3: Forging Partnerships",
    ]
    version.document.refresh_from_db()
    assert version.document.status == DocumentStatus.READY
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(version.document.file.read())).pages
    )
    for title in ("Opening", "Plenary: Shepherd report", "Panel 3: Forging Partnerships"):
        assert title in text
    assert "Closed-door" not in text
    assert "7th ASCN Annual Meeting" in text
    assert "Agenda, version 1, published" in text
    assert "Page 1 of" in text


def test_the_publishers_language_renders_first_and_the_other_after_it(
    meeting, sessions, secretariat, django_capture_on_commit_callbacks
):
    # Side by side the two renders would share the CPU, and the person watching the
    # progress box would wait as long as for both.
    secretariat.language = "id"
    secretariat.save(update_fields=["language"])

    version = publish(meeting, secretariat, django_capture_on_commit_callbacks)

    copies = {
        copy.language: copy
        for copy in GeneratedDocument.objects.filter(
            kind=DocumentKind.AGENDA, version=version.number
        )
    }
    assert version.document == copies["id"]
    assert {copy.status for copy in copies.values()} == {DocumentStatus.READY}
    assert copies["id"].rendered_at < copies["en"].rendered_at


def test_second_publication_lists_exactly_what_changed(
    meeting, sessions, secretariat, django_capture_on_commit_callbacks
):
    publish(meeting, secretariat, django_capture_on_commit_callbacks)
    panel = sessions["panel"]
    panel.starts_at += timedelta(minutes=30)
    panel.ends_at += timedelta(minutes=30)
    panel.save()
    AgendaSession.objects.filter(pk=sessions["plenary"].pk).update(
        title="Plenary: Shepherd progress report"
    )
    sessions["opening"].delete()
    added = AgendaSessionFactory(
        meeting=meeting,
        title="Site visit",
        kind="site_visit",
        starts_at=datetime(2024, 8, 1, 8, 30, tzinfo=meeting.zone),
        ends_at=datetime(2024, 8, 1, 12, 30, tzinfo=meeting.zone),
    )

    version = publish(meeting, secretariat, django_capture_on_commit_callbacks)

    assert version.number == 2
    assert [s["title"] for s in version.changes["added"]] == [added.title]
    assert [s["title"] for s in version.changes["removed"]] == ["Opening"]
    assert version.changes["changed"] == [
        {
            "id": sessions["plenary"].pk,
            "title": "Plenary: Shepherd progress report",
            "visibility": "participants",
            "fields": {"title": ["Plenary: Shepherd report", "Plenary: Shepherd progress report"]},
            "before_time": ["2024-07-30T03:15:00+00:00", "2024-07-30T05:00:00+00:00"],
            "after_time": ["2024-07-30T03:15:00+00:00", "2024-07-30T05:00:00+00:00"],
        },
        {
            "id": panel.pk,
            "title": "Panel 3: Forging Partnerships",
            "visibility": "public",
            "fields": {
                "starts_at": ["2024-07-31T06:30:00+00:00", "2024-07-31T07:00:00+00:00"],
                "ends_at": ["2024-07-31T07:45:00+00:00", "2024-07-31T08:15:00+00:00"],
            },
            "before_time": ["2024-07-31T06:30:00+00:00", "2024-07-31T07:45:00+00:00"],
            "after_time": ["2024-07-31T07:00:00+00:00", "2024-07-31T08:15:00+00:00"],
        },
    ]


def test_publishing_without_change_is_refused(
    meeting, sessions, secretariat, django_capture_on_commit_callbacks
):
    publish(meeting, secretariat, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match=r"Nothing changed since version 1\."):
        publish(meeting, secretariat, django_capture_on_commit_callbacks)
    assert AgendaVersion.objects.count() == 1


def test_publish_button_publishes_and_reports(client, meeting, sessions, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("meetings:agenda_publish", args=[7]), follow=True)

    assert "Version 1 of the agenda is published" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("meetings:agenda", args=[7])


def test_delegate_cannot_publish(client, meeting, sessions):
    client.force_login(UserFactory(role="delegate"))

    response = client.post(reverse("meetings:agenda_publish", args=[7]))

    assert response.status_code == 403
    assert AgendaVersion.objects.count() == 0


# --- Reading --------------------------------------------------------------------------------


@pytest.fixture
def published(meeting, sessions, secretariat, django_capture_on_commit_callbacks):
    return publish(meeting, secretariat, django_capture_on_commit_callbacks)


def titles(response):
    # As a reader sees them: the page may come from the cache, with no context.
    return [
        html.unescape(title)
        for title in re.findall(r'class="session__title" href="[^"]+">([^<]+)</a>', response.text)
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, ["Opening", "Panel 3: Forging Partnerships"]),
        ("delegate", ["Opening", "Plenary: Shepherd report", "Panel 3: Forging Partnerships"]),
        (
            "national_representative",
            [
                "Opening",
                "Plenary: Shepherd report",
                "Closed-door meeting of National Representatives",
                "Panel 3: Forging Partnerships",
            ],
        ),
    ],
)
def test_agenda_shows_only_sessions_the_viewer_may_see(client, meeting, published, role, expected):
    # The hat at this meeting decides, not the account's role.
    if role:
        client.force_login(VIEWERS[role](meeting))

    response = client.get(reverse("meetings:agenda", args=[7]))

    assert titles(response) == expected


def test_nr_only_session_not_reachable_by_url_for_delegate(client, meeting, published, sessions):
    url = reverse("meetings:agenda_session", args=[7, sessions["closed"].pk])
    client.force_login(delegate_at(meeting))
    delegate_response = client.get(url)
    client.force_login(nr_at(meeting))
    nr_response = client.get(url)

    assert delegate_response.status_code == 404
    assert nr_response.status_code == 200


def test_agenda_filters_by_day_kind_and_room(client, meeting, published):
    client.force_login(delegate_at(meeting))
    url = reverse("meetings:agenda", args=[7])

    by_day = client.get(url, {"day": "2024-07-31"})
    by_kind = client.get(url, {"kind": "opening"})
    by_room = client.get(url, {"room": "Plenary Hall", "day": "2024-07-30"})

    assert titles(by_day) == ["Panel 3: Forging Partnerships"]
    assert titles(by_kind) == ["Opening"]
    assert titles(by_room) == ["Opening", "Plenary: Shepherd report"]


def test_agenda_shows_viewer_zone_alongside_meeting_zone(client, published):
    client.force_login(UserFactory(role="delegate", time_zone="Asia/Jakarta"))
    same = client.get(reverse("meetings:agenda", args=[7]))
    client.force_login(UserFactory(role="delegate", time_zone="Asia/Seoul"))
    other = client.get(reverse("meetings:agenda", args=[7]))

    # Vientiane and Jakarta share UTC+7: no second time; Seoul is two hours ahead.
    assert "09:00–09:45" in same.content.decode()
    assert "WIB" not in same.content.decode()
    assert "11:00–11:45 KST" in other.content.decode()


def test_draft_meeting_agenda_is_404_for_public(client):
    MeetingFactory(number=9, status="draft")

    assert client.get(reverse("meetings:agenda", args=[9])).status_code == 404


@pytest.mark.parametrize("count", [10, 500])
def test_agenda_page_query_count_is_constant(
    client,
    meeting,
    secretariat,
    count,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    room = RoomFactory(meeting=meeting, name="Hall")
    start = datetime(2024, 7, 29, 8, 0, tzinfo=meeting.zone)
    AgendaSession.objects.bulk_create(
        AgendaSession(
            meeting=meeting,
            room=room,
            title=f"Session {n}",
            kind="plenary",
            visibility="participants",
            starts_at=start + timedelta(minutes=10 * n),
            ends_at=start + timedelta(minutes=10 * n + 10),
        )
        for n in range(count)
    )
    services.publish_agenda(meeting, actor=secretariat)
    client.force_login(delegate_at(meeting))

    # Session, user, its model permissions (2), meeting, the person's hats (one query
    # for every hat), version without its sessions; with nothing cached yet, the version
    # with them, rooms, versions.
    with django_assert_max_num_queries(10):
        cold = client.get(reverse("meetings:agenda", args=[7]))
    with django_assert_max_num_queries(7):
        warm = client.get(reverse("meetings:agenda", args=[7]))

    assert len(titles(cold)) == count
    assert titles(warm) == titles(cold)


def test_agenda_pdf_hidden_once_the_meeting_is_set_back_to_draft(
    client, meeting, sessions, secretariat, django_capture_on_commit_callbacks
):
    version = publish(meeting, secretariat, django_capture_on_commit_callbacks)
    client.force_login(delegate_at(meeting))
    url = reverse("core:document_download", args=[version.document.pk])
    assert client.get(url).status_code == 200

    meeting.status = "draft"
    meeting.save(update_fields=["status"])

    assert client.get(url).status_code == 404
