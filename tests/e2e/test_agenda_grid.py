"""The agenda as a grid: rooms across and time down at 1366 px, a list at 390 px, A4
landscape on paper. Compared by element positions, not pixels."""

import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from meetings.agenda import services
from tests.factories import UserFactory
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory, RoomFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published():
    meeting = MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")
    hall, room = (
        RoomFactory(meeting=meeting, name="Hall A"),
        RoomFactory(meeting=meeting, name="Room B"),
    )
    at = lambda hour, minute=0: datetime(2024, 7, 30, hour, minute, tzinfo=meeting.zone)  # noqa: E731
    for title, where, start, end in [
        ("Opening plenary", hall, at(9), at(10, 30)),
        ("Pilot-city clinic", room, at(9), at(10)),
        ("Partnership panel", hall, at(11), at(12)),
    ]:
        AgendaSessionFactory(
            meeting=meeting, title=title, room=where, visibility="public",
            starts_at=start, ends_at=end,
        )  # fmt: skip
    services.publish_agenda(meeting, actor=UserFactory(role="secretariat"))
    return meeting


def boxes(page):
    return {
        title: page.get_by_role("link", name=title).locator("xpath=..").bounding_box()
        for title in ["Opening plenary", "Pilot-city clinic", "Partnership panel"]
    }


def test_parallel_sessions_stand_side_by_side_at_1366_px(browser, live_server, published):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto("/meetings/7/agenda/")
    page.get_by_role("link", name="See as a grid").click()

    opening, clinic, panel = boxes(page).values()
    assert abs(opening["y"] - clinic["y"]) < 2  # same start, side by side
    assert clinic["x"] > opening["x"] + opening["width"] - 2
    assert opening["height"] > clinic["height"]  # 90 minutes against 60
    assert panel["y"] >= opening["y"] + opening["height"] - 2  # later, below
    assert abs(panel["x"] - opening["x"]) < 2  # same room, same column
    assert page.evaluate("document.documentElement.scrollWidth") == 1366

    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    context.close()


def test_the_grid_is_a_list_in_order_of_time_at_390_px(browser, live_server, published):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/meetings/7/agenda/grid/")

    opening, clinic, panel = boxes(page).values()
    assert opening["x"] == clinic["x"] == panel["x"]
    assert opening["y"] < clinic["y"] < panel["y"]
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    context.close()
