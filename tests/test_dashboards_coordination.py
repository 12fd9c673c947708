from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.coordination import ActionItemFactory, CoordinationSessionFactory
from tests.factories.meetings import MeetingFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def meeting():
    return MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")


@pytest.fixture
def dewi():
    return UserFactory(role="delegate", email="dewi@ascn.example", full_name="Dewi Lestari")


@pytest.fixture(params=[20, 200], ids=["20-items", "200-items"])
def followed(request, meeting, dewi):
    """A held session, a coming one, and the parameter's number of open items."""
    held = CoordinationSessionFactory(meeting=meeting, title="Held in Jakarta")
    held.invited_people.add(dewi)
    soon = timezone.now() + timedelta(days=3)
    coming = CoordinationSessionFactory(
        meeting=meeting,
        title="Coming online",
        mode="online",
        place="",
        video_link="https://video.ascn.example/next",
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
    )
    coming.invited_people.add(dewi)
    ActionItemFactory(
        session=held, title="Late figures", owner_person=dewi, due_date=date(2024, 7, 1)
    )
    for n in range(request.param - 1):
        ActionItemFactory(session=held, title=f"Later {n}", due_date=date(2099, 1, 1))
    return held, coming


def test_secretariat_follows_sessions_and_overdue_items(
    client, followed, django_assert_max_num_queries
):
    client.force_login(UserFactory(role="secretariat"))

    # 9 for the page (one of them the documents new since the last visit), 12 for the
    # secretariat's work queue (one per kind of work; see tests/test_work_queue.py).
    with django_assert_max_num_queries(21):
        response = client.get(reverse("dashboards:home"))

    content = response.content.decode()
    assert [s.title for s in response.context["coordination_sessions"]] == [
        "Coming online",
        "Held in Jakarta",
    ]
    assert [i.title for i in response.context["overdue_items"]] == ["Late figures"]
    assert response.context["overdue_total"] == 1
    assert "Dewi Lestari · due 1 Jul 2024" in content


def test_a_person_sees_their_own_open_items(client, followed, dewi, django_assert_max_num_queries):
    client.force_login(dewi)

    # Eight, and one for the documents new since the last visit to the register.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("dashboards:home"))

    assert [i.title for i in response.context["my_action_items"]] == ["Late figures"]
    assert response.context["my_action_items_total"] == 1
    assert 'class="badge badge--overdue">Overdue</strong>' in response.content.decode()
    assert [s.title for s in response.context["coordination_sessions"]] == [
        "Coming online",
        "Held in Jakarta",
    ]


def test_cancelled_and_uninvited_sessions_stay_off_a_dashboard(client, meeting, dewi):
    cancelled = CoordinationSessionFactory(meeting=meeting, status="cancelled")
    cancelled.invited_people.add(dewi)
    CoordinationSessionFactory(meeting=meeting, title="Not for Dewi")
    client.force_login(dewi)

    response = client.get(reverse("dashboards:home"))

    assert response.context["coordination_sessions"] == []
    assert response.context.get("my_action_items") is None  # owns no item: no section
