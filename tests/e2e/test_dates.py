"""Dates keep their value whatever the interface language."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.test_language import log_in
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.coordination import ActionItemFactory, CoordinationSessionFactory
from tests.factories.meetings import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_due_date_survives_a_save_under_bahasa_indonesia(page):
    UserFactory(email="nadia@ascn.example", full_name="Nadia Rahman", role="secretariat")
    dewi = UserFactory(email="dewi@ascn.example", full_name="Dewi Lestari", role="delegate")
    meeting = MeetingFactory(number=7, status="published")
    session = CoordinationSessionFactory(meeting=meeting, chair=None)
    item = ActionItemFactory(
        session=session, owner_person=dewi, title="Kirim angka", due_date=date(2024, 7, 12)
    )
    log_in(page, "nadia@ascn.example", PASSWORD)
    page.get_by_label("Language").select_option("id")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.goto(f"/meetings/7/actions/{item.pk}/")
    due = page.locator("input[name=due_date]")
    expect(due).to_have_value("2024-07-12")
    page.locator("textarea[name=notes]").fill("Untuk laporan Shepherd.")
    page.locator("main form button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("Kirim angka")
    item.refresh_from_db()
    assert (item.due_date, item.notes) == (date(2024, 7, 12), "Untuk laporan Shepherd.")
