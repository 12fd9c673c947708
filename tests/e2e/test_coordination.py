import pytest
from playwright.sync_api import expect

from tests.e2e.test_language import log_in
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.coordination import AgendaPointFactory, CoordinationSessionFactory
from tests.factories.meetings import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_records_an_action_item_and_its_owner_finds_it_on_the_board(
    page, browser, live_server
):
    UserFactory(email="nadia@ascn.example", full_name="Nadia Rahman", role="secretariat")
    dewi = UserFactory(email="dewi@ascn.example", full_name="Dewi Lestari", role="delegate")
    meeting = MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")
    session = CoordinationSessionFactory(
        meeting=meeting, title="Coordination on Indonesia's ASCN membership", chair=None
    )
    session.invited_people.add(dewi)
    AgendaPointFactory(session=session, position=1, title="Pilot-city updates")
    log_in(page, "nadia@ascn.example", PASSWORD)

    page.goto(f"/meetings/7/coordination/{session.pk}/minutes/")
    record = page.get_by_role("group", name="Record an action item")
    record.get_by_label("Action:", exact=True).fill("Send the Smart Kampung figures")
    record.get_by_role("button", name="Record the action item").click()
    expect(page.get_by_text("Name an owner: a person, an organisation or both.")).to_be_visible()

    record = page.get_by_role("group", name="Record an action item")
    record.get_by_label("Agenda point").select_option(label="Pilot-city updates")
    record.get_by_label("Owner (person)").select_option(label="Dewi Lestari")
    record.get_by_label("Due").fill("2024-07-22")
    record.get_by_role("button", name="Record the action item").click()

    expect(page.get_by_role("status")).to_contain_text(
        "“Send the Smart Kampung figures” is recorded."
    )
    recorded = page.get_by_role("region", name="Action items recorded at this session")
    row = recorded.get_by_role("row").filter(has_text="Send the Smart Kampung figures")
    expect(row).to_contain_text("Dewi Lestari")
    expect(row).to_contain_text("22 Jul 2024")

    owner = browser.new_context(base_url=live_server.url).new_page()
    log_in(owner, "dewi@ascn.example", PASSWORD)
    owner.get_by_role("region", name="My action items").get_by_role(
        "link", name="Send the Smart Kampung figures"
    ).click()
    expect(owner.get_by_role("heading", level=1)).to_have_text(
        "Action items of 7th ASCN Annual Meeting"
    )
    open_items = owner.get_by_role("region", name="Open")
    item = open_items.get_by_role("row").filter(has_text="Send the Smart Kampung figures")
    expect(item).to_contain_text("Overdue")
    # The owner moves her own item along, with a note, from the item's page.
    item.get_by_role("link", name="Send the Smart Kampung figures").click()
    owner.get_by_role("combobox", name="Status").select_option(label="Done")
    owner.get_by_label("Note").fill("Figures sent to the secretariat.")
    owner.get_by_role("button", name="Save the status").click()
    expect(owner.get_by_role("status")).to_contain_text(
        "“Send the Smart Kampung figures” is now done."
    )
    expect(owner.get_by_role("region", name="History")).to_contain_text(
        "Figures sent to the secretariat."
    )
    owner.context.close()
