"""The board and the minutes pages cost the same queries with 20 or 200 action items."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from meetings.coordination.services import minutes
from meetings.models import ActionItem, AgendaPoint, Attendance
from tests.factories import UserFactory
from tests.factories.coordination import CoordinationSessionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# The same ceiling at both sizes: anything per item or per row would break it at 200.
# Each page of a non-staff person includes the one query of their hats (hats.py),
# which the menu and the rules share.
BOARD_QUERIES = 10
EDITOR_QUERIES = 16
PUBLISHED_QUERIES = 8


@pytest.fixture(params=[20, 200], ids=["20-items", "200-items"])
def busy(request, meeting, coordination_session, chair, attendee):
    """Sessions with as many action items as the parameter, owners and points varied."""
    count = request.param
    earlier = CoordinationSessionFactory(
        meeting=meeting,
        chair=chair,
        starts_at=coordination_session.starts_at - timedelta(days=14),
        ends_at=coordination_session.starts_at - timedelta(days=14, hours=-2),
    )
    owners = [attendee, chair, *(UserFactory() for _ in range(8))]
    organisations = [OrganisationFactory(name=f"City {n}") for n in range(5)]
    points = list(coordination_session.agenda_points.all())
    AgendaPoint.objects.bulk_create(
        AgendaPoint(session=coordination_session, position=n, title=f"Point {n}",
                    discussion="Discussed.\n\nAgreed.", decisions="One.\nTwo.")
        for n in range(3, 13)
    )  # fmt: skip
    Attendance.objects.bulk_create(
        Attendance(session=coordination_session, person=person, name=person.full_name,
                   email=person.email, organisation=organisations[n % 5])
        for n, person in enumerate(owners)
    )  # fmt: skip
    ActionItem.objects.bulk_create(
        ActionItem(
            session=coordination_session if n % 2 else earlier,
            agenda_point=points[n % 2] if n % 2 else None,
            title=f"Action {n}",
            owner_person=owners[n % len(owners)] if n % 3 else None,
            owner_organisation=organisations[n % 5] if n % 3 != 1 else None,
            due_date=date(2024, 7, 1) + timedelta(days=n % 40),
        )
        for n in range(count)
    )
    return coordination_session


def test_board_queries_do_not_grow_with_items(
    client, busy, secretariat, django_assert_max_num_queries
):
    client.force_login(secretariat)

    with django_assert_max_num_queries(BOARD_QUERIES):
        response = client.get(reverse("meetings:action_board", args=[7]))

    assert response.status_code == 200
    shown = sum(
        len(items) for _s, _l, owners in response.context["columns"] for _o, items in owners
    )
    assert shown == ActionItem.objects.count()


def test_board_queries_do_not_grow_for_an_attendee(
    client, busy, attendee, django_assert_max_num_queries
):
    client.force_login(attendee)

    with django_assert_max_num_queries(BOARD_QUERIES):
        response = client.get(reverse("meetings:action_board", args=[7]), {"status": "open"})

    assert response.status_code == 200


def test_minutes_editor_queries_do_not_grow_with_items(
    client, busy, chair, django_assert_max_num_queries
):
    client.force_login(chair)

    with django_assert_max_num_queries(EDITOR_QUERIES):
        response = client.get(reverse("meetings:minutes_editor", args=[7, busy.pk]))

    assert response.status_code == 200
    assert len(response.context["items"]) == busy.action_items.count()
    assert len(response.context["earlier"]) == ActionItem.objects.count() - len(
        response.context["items"]
    )


def test_published_minutes_queries_do_not_grow_with_items(
    client, busy, chair, attendee, django_assert_max_num_queries
):
    minutes.approve_minutes(busy, actor=chair)
    version = minutes.publish_minutes(busy, actor=chair)  # the PDF is not needed here
    client.force_login(attendee)

    with django_assert_max_num_queries(PUBLISHED_QUERIES):
        response = client.get(reverse("meetings:minutes_published", args=[7, busy.pk]))

    assert response.status_code == 200
    assert len(response.context["record"]["action_items"]) == len(version.content["action_items"])
    assert len(version.content["action_items"]) == busy.action_items.count()


@pytest.fixture(params=[2, 20], ids=["2-sessions", "20-sessions"])
def many_sessions(request, meeting, chair, attendee):
    for n in range(request.param):
        session = CoordinationSessionFactory(meeting=meeting, chair=chair, title=f"Session {n}")
        session.invited_people.add(attendee)
    return request.param


def test_session_list_queries_do_not_grow_with_sessions(
    client, many_sessions, attendee, django_assert_max_num_queries
):
    client.force_login(attendee)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:coordination_list", args=[7]))

    assert len(response.context["sessions"]) == many_sessions


def test_session_page_queries_do_not_grow_with_points_and_people(
    client, busy, secretariat, django_assert_max_num_queries
):
    for n in range(10):
        busy.invited_people.add(UserFactory())
        busy.guests.create(name=f"Guest {n}", email=f"guest{n}@ascn.example")
    client.force_login(secretariat)

    with django_assert_max_num_queries(10):
        response = client.get(busy.get_absolute_url())

    assert response.status_code == 200
