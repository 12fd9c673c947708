"""The agenda grid's rows and columns."""

from datetime import datetime

import pytest
from django.urls import reverse

from meetings.agenda import queries, services
from tests.factories import UserFactory
from tests.factories.meetings import AgendaSessionFactory, RoomFactory

pytestmark = pytest.mark.django_db


def add(meeting, title, start, end, room=None):
    at = lambda hour, minute: datetime(2024, 7, 30, hour, minute, tzinfo=meeting.zone)  # noqa: E731
    return AgendaSessionFactory(
        meeting=meeting, title=title, room=room, visibility="public",
        starts_at=at(*start), ends_at=at(*end),
    )  # fmt: skip


def shown(cell):
    return (cell["session"]["title"], cell["rowspan"]) if cell["session"] else None


def publish(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish_agenda(meeting, actor=UserFactory(role="secretariat"))


def test_sessions_fill_rows_of_the_day_s_step_and_overlaps_get_their_own_column(
    meeting, django_capture_on_commit_callbacks
):
    hall = RoomFactory(meeting=meeting, name="Hall A")
    add(meeting, "Opening", (9, 0), (9, 45), hall)
    add(meeting, "Site visit", (9, 15), (10, 0))
    add(meeting, "Press", (9, 30), (9, 45))
    version = publish(meeting, django_capture_on_commit_callbacks)

    [day] = queries.agenda_grid(queries.published_sessions(version, levels=["public"]))

    assert day["columns"] == ["Hall A", "", ""]
    assert [row["time"] for row in day["rows"]] == ["09:00", "09:15", "09:30", "09:45"]
    shape = [[shown(cell) for cell in row["cells"]] for row in day["rows"]]
    assert shape == [
        [("Opening", 3), None, None],
        [("Site visit", 3), None],
        [("Press", 1)],
        [None, None],
    ]


@pytest.mark.parametrize("count", [2, 12])
def test_grid_page_takes_the_same_queries_for_any_number_of_sessions(
    client, meeting, count, django_capture_on_commit_callbacks, django_assert_num_queries
):
    hall = RoomFactory(meeting=meeting, name="Hall A")
    for n in range(count):
        add(meeting, f"Session {n}", (8 + n, 0), (8 + n, 45), hall)
    publish(meeting, django_capture_on_commit_callbacks)

    with django_assert_num_queries(3):
        response = client.get(reverse("meetings:agenda_grid", args=[7]))

    assert response.status_code == 200
    assert response.content.decode().count('class="agenda-grid__title"') == count


def test_the_grid_shows_the_viewer_s_clock_on_request(
    client, meeting, django_capture_on_commit_callbacks
):
    from tests.factories.delegations import delegate_at

    add(meeting, "Opening", (9, 0), (9, 45), RoomFactory(meeting=meeting, name="Hall A"))
    publish(meeting, django_capture_on_commit_callbacks)
    client.force_login(delegate_at(meeting, time_zone="Asia/Tokyo"))
    url = reverse("meetings:agenda_grid", args=[7])

    meeting_clock = client.get(url).content.decode()
    own_clock = client.get(url, {"zone": "own"}).content.decode()

    assert "Show in my time zone (Asia/Tokyo)" in meeting_clock
    assert '<th scope="row" class="agenda-grid__time">09:00</th>' in meeting_clock
    assert '<th scope="row" class="agenda-grid__time">11:00</th>' in own_clock
    assert "11:00–11:45 JST · 09:00–09:45 +07" in own_clock
    footer = own_clock[own_clock.index("<footer") :]
    assert "Times are shown in Asia/Tokyo, with the meeting's time zone (Asia/Vientiane)" in (
        " ".join(footer.split())
    )
