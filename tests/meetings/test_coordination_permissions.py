"""Who sees and changes coordination sessions, minutes and action items."""

import pytest
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from meetings.coordination.services import minutes
from meetings.models import Minutes
from tests.factories import UserFactory
from tests.factories.coordination import (
    ActionItemFactory,
    AttendanceFactory,
    CoordinationSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(coordination_session, chair, django_capture_on_commit_callbacks):
    """The session with published minutes and two action items."""
    AttendanceFactory(session=coordination_session, person=chair, name=chair.full_name)
    ActionItemFactory(
        session=coordination_session, title="Send the Shepherd report outline", owner_person=chair
    )
    minutes.approve_minutes(coordination_session, actor=chair)
    with django_capture_on_commit_callbacks(execute=True):
        minutes.publish_minutes(coordination_session, actor=chair)
    return coordination_session


@pytest.fixture
def owner(published):
    """Owns an item of the session without being invited to it."""
    person = UserFactory(role="speaker", email="minjun@ese.example", full_name="Minjun Park")
    ActionItemFactory(session=published, title="Send the slides", owner_person=person)
    return person


@pytest.fixture
def people(secretariat, chair, attendee, owner):
    return {
        "secretariat": secretariat,
        "chair": chair,
        "attendee": attendee,
        "owner": owner,
        "outsider": UserFactory(role="delegate", email="outsider@ascn.example"),
        "other_nr": UserFactory(role="national_representative", email="nr.other@ascn.example"),
        "anonymous": None,
    }


def pages(session):
    args = [7, session.pk]
    return {
        "list": reverse("meetings:coordination_list", args=[7]),
        "detail": reverse("meetings:coordination_detail", args=args),
        "edit": reverse("meetings:coordination_edit", args=args),
        "editor": reverse("meetings:minutes_editor", args=args),
        "minutes": reverse("meetings:minutes_published", args=args),
        "version": reverse("meetings:minutes_version", args=[*args, 1]),
        "board": reverse("meetings:action_board", args=[7]),
        "pdf": session.minutes_versions.get().document.get_absolute_url(),
    }


EXPECTED = {
    # who: {page: status}
    "secretariat": dict.fromkeys(
        ["list", "detail", "edit", "editor", "minutes", "version", "board", "pdf"], 200
    ),
    "chair": dict.fromkeys(
        ["list", "detail", "edit", "editor", "minutes", "version", "board", "pdf"], 200
    ),
    "attendee": {
        "list": 200,
        "detail": 200,
        "edit": 403,
        "editor": 403,
        "minutes": 200,
        "version": 200,
        "board": 200,
        "pdf": 200,
    },
    # Sees the board (their own items), nothing of the session itself.
    "owner": {
        "list": 200,
        "detail": 404,
        "edit": 404,
        "editor": 404,
        "minutes": 404,
        "version": 404,
        "board": 200,
        "pdf": 404,
    },
    "outsider": dict.fromkeys(
        ["list", "detail", "edit", "editor", "minutes", "version", "board", "pdf"], 404
    ),
    "other_nr": dict.fromkeys(
        ["list", "detail", "edit", "editor", "minutes", "version", "board", "pdf"], 404
    ),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_pages_by_role(client, published, people, who):
    client.force_login(people[who])

    statuses = {name: client.get(url).status_code for name, url in pages(published).items()}

    assert statuses == EXPECTED[who]


def test_anonymous_visitors_are_sent_to_log_in(client, published, people):
    for name, url in pages(published).items():
        response = client.get(url)

        assert response.status_code == 302, name
        assert response.url == f"{reverse('account_login')}?next={url}", name


def test_owner_sees_only_their_own_items_on_the_board(client, published, people):
    client.force_login(people["owner"])

    response = client.get(reverse("meetings:action_board", args=[7]))

    titles = [
        item.title
        for _status, _label, owners in response.context["columns"]
        for _o, items in owners
        for item in items
    ]
    assert titles == ["Send the slides"]
    assert response.context["can_edit_all"] is False


def test_attendee_reads_the_board_without_changing_it(client, published, people):
    client.force_login(people["attendee"])

    response = client.get(reverse("meetings:action_board", args=[7]))

    assert response.context["can_edit_all"] is False
    assert 'id="status-' not in response.content.decode()
    titles = sorted(
        item.title
        for _status, _label, owners in response.context["columns"]
        for _o, items in owners
        for item in items
    )
    assert titles == ["Send the Shepherd report outline", "Send the slides"]


@pytest.mark.parametrize(("who", "status"), [("attendee", 403), ("outsider", 404), ("owner", 404)])
def test_others_cannot_change_the_minutes(client, published, people, who, status):
    client.force_login(people[who])
    audit_before = AuditEntry.objects.count()

    response = client.post(
        reverse("meetings:minutes_correct", args=[7, published.pk]), {"note": "Rewrite history."}
    )

    assert response.status_code == status
    assert Minutes.objects.get(session=published).status == "published"
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(("who", "status"), [("attendee", 403), ("outsider", 404)])
def test_only_editors_and_the_owner_change_an_action_item(client, published, people, who, status):
    item = published.action_items.get(title="Send the slides")
    client.force_login(people[who])

    response = client.post(reverse("meetings:action_status", args=[7, item.pk]), {"status": "done"})

    assert response.status_code == status
    item.refresh_from_db()
    assert item.status == "open"


def test_chair_of_a_later_session_reviews_earlier_items(client, published, meeting):
    later_chair = UserFactory(role="moderator", email="ratna@pacis.example")
    CoordinationSessionFactory(meeting=meeting, chair=later_chair, title="9 July online")
    item = published.action_items.get()
    client.force_login(later_chair)

    response = client.post(reverse("meetings:action_status", args=[7, item.pk]), {"status": "done"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    assert item.closed_at is not None


def test_only_the_secretariat_creates_sessions(client, people):
    url = reverse("meetings:coordination_create", args=[7])
    client.force_login(people["chair"])

    assert client.get(url).status_code == 403


def test_invitee_follows_the_coordination_of_a_draft_meeting(client, meeting, chair, attendee):
    meeting.status = "draft"
    meeting.save()
    session = CoordinationSessionFactory(meeting=meeting, chair=chair)
    session.invited_people.add(attendee)
    client.force_login(attendee)

    listed = client.get(reverse("meetings:coordination_list", args=[7]))
    detail = client.get(session.get_absolute_url())

    assert (listed.status_code, detail.status_code) == (200, 200)
    assert 'href="/meetings/7/"' not in listed.content.decode()
    assert client.get(reverse("meetings:detail", args=[7])).status_code == 404
