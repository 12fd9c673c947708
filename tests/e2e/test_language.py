import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.delegations import ParticipantFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_delegate_logs_in_and_switches_to_bahasa_indonesia(page):
    dewi = UserFactory(email="dewi@ascn.example", full_name="Dewi Lestari", role="")
    ParticipantFactory(user=dewi, email=dewi.email, status="registered")

    log_in(page, "dewi@ascn.example", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    page.get_by_label("Language").select_option("id")
    page.get_by_role("button", name="Change language").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Beranda")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Pertemuan saya")).to_be_visible()
    expect(page.get_by_role("link", name="Pendaftaran saya")).to_be_visible()


def test_keyboard_user_reaches_main_content_through_skip_link(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/#main$"))


def test_bad_password_shows_message_in_page(page):
    UserFactory(email="dewi@ascn.example", role="delegate")

    log_in(page, "dewi@ascn.example", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
