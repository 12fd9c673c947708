import pytest
from playwright.sync_api import expect

from tests.e2e.test_language import log_in
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.delegations import ParticipantFactory
from tests.factories.meetings import MeetingFactory, RoomFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_adds_a_session_in_place_and_delegate_reads_it(page, browser, live_server):
    UserFactory(email="nadia@ascn.example", role="secretariat")
    meeting = MeetingFactory(number=7, title="7th ASCN Annual Meeting")
    # What the secretariat adds is open to all participants; a delegate reads it below.
    RoomFactory(meeting=meeting, name="Meeting Room 1", capacity=60)
    log_in(page, "nadia@ascn.example", PASSWORD)
    page.goto(f"/meetings/{meeting.number}/plan/")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    day = page.get_by_role("region", name="Tuesday 30 July 2024")
    day.get_by_role("link", name="Add a session").click()
    page.get_by_label("Title").fill("Plenary: partnerships")
    page.get_by_label("Kind").select_option("plenary")
    page.get_by_label("Starts").fill("15:30")
    page.get_by_label("Ends").fill("15:00")
    page.get_by_label("Room").select_option(label="Meeting Room 1")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("A session must end after it starts.")).to_be_visible()
    page.get_by_label("Ends").fill("17:00")
    page.get_by_role("button", name="Save the session").click()

    expect(page.get_by_role("status")).to_contain_text("The agenda is saved.")
    row = day.get_by_role("listitem").filter(has_text="Plenary: partnerships")
    expect(row).to_contain_text("15:30–17:00")
    expect(row).to_contain_text("Meeting Room 1")
    assert navigations == []

    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda of 7th ASCN Annual Meeting")

    # A participant of the meeting (a hat from a relation, not the account's role).
    dewi = UserFactory(email="dewi@ascn.example", role="", time_zone="Asia/Jakarta")
    ParticipantFactory(
        delegation__meeting=meeting, user=dewi, email=dewi.email, status="registered"
    )
    delegate = browser.new_context(base_url=live_server.url).new_page()
    log_in(delegate, "dewi@ascn.example", PASSWORD)
    delegate.goto(f"/meetings/{meeting.number}/agenda/")
    expect(delegate.get_by_role("link", name="Plenary: partnerships")).to_be_visible()
    delegate.context.close()
