"""Phones (390 px) and laptops (1366 px): nothing widens the page or is clipped, the
header fits on one line, inputs are big enough to touch. Measured from element
positions, not pixels."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_accessibility import DEMO_PASSWORD, document_pages
from tests.e2e.test_language import log_in
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.coordination import ActionItemFactory, CoordinationSessionFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.pilots import PartnershipProjectFactory, PilotCityFactory, reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH = "document.documentElement.scrollWidth"
# What sticks out past the right edge of a 390 px screen, outside a box that scrolls.
OVERFLOWING = """() => [...document.querySelectorAll('main *')]
    .filter((e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > 390.5)
    .map((e) => e.tagName + '.' + e.className)"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_pilot_city_and_action_board_fit_a_phone(phone):
    UserFactory(email="nadia@ascn.example", role="secretariat")
    city = PilotCityFactory(name="Makassar")
    PartnershipProjectFactory(
        city=city, title="Lorong Wisata lanes", value=Decimal("660000"), currency="USD"
    )
    meeting = MeetingFactory(number=7, status="published")
    session = CoordinationSessionFactory(meeting=meeting, chair=None)
    owner = UserFactory(full_name="Dewi Lestari", role="delegate")
    for n in range(3):
        ActionItemFactory(
            session=session, owner_person=owner, title=f"Send the figures {n}",
            due_date=date(2024, 7, 22),
        )  # fmt: skip
    log_in(phone, "nadia@ascn.example", PASSWORD)

    phone.goto(f"/pilots/cities/{city.slug}/")
    label = phone.get_by_text("Chief Smart City Officer or focal point")
    value = phone.locator(".facts dd").nth(1)
    assert phone.evaluate(PAGE_WIDTH) == 390
    # The longest label no longer squeezes the values into one letter per line.
    assert value.bounding_box()["width"] > 300
    assert label.bounding_box()["width"] <= 358

    phone.goto("/meetings/7/actions/")
    expect(phone.get_by_role("link", name="Send the figures 0", exact=True)).to_be_visible()
    assert phone.evaluate(PAGE_WIDTH) == 390
    table = phone.locator(".table-scroll").first
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= 390


def test_session_form_inputs_are_big_enough_to_touch(phone):
    UserFactory(email="nadia@ascn.example", role="secretariat")
    MeetingFactory(number=7)
    log_in(phone, "nadia@ascn.example", PASSWORD)

    phone.goto("/meetings/7/plan/sessions/new/?day=2024-07-30")
    heights = phone.evaluate(
        """() => [...document.querySelectorAll(
              'main input:not([type=hidden]):not([type=checkbox]), main select, main textarea,'
              + ' main button:not(.link-button)')]
            .filter((e) => e.offsetParent !== null)
            .map((e) => [e.name || e.textContent.trim(), e.getBoundingClientRect().height])"""
    )
    assert heights
    assert [name for name, height in heights if height < 44] == []
    assert phone.evaluate(PAGE_WIDTH) == 390


@pytest.mark.parametrize("language", ["en", "id"])
def test_header_fits_on_one_line_at_1366_px(browser, live_server, language):
    UserFactory(email="nadia@ascn.example", role="secretariat", language=language)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in(page, "nadia@ascn.example", PASSWORD)
    page.goto("/dashboard/")
    page.goto("/dashboard/")  # in the account's language

    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.site-header__inner > *, .site-nav li')]
            .map((e) => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })"""
    )
    # Every part of the header overlaps every other vertically: one line.
    assert max(top for top, _bottom in boxes) < min(bottom for _top, bottom in boxes)
    # No part wraps inside itself either: the brand and the button are one line high.
    heights = page.evaluate(
        """() => ['.brand', '.language-switcher button', '.site-nav']
            .map((s) => document.querySelector(s).getBoundingClientRect().height)"""
    )
    assert all(height <= 48 for height in heights), heights
    assert page.evaluate(PAGE_WIDTH) == 1366
    context.close()


def test_login_page_offers_the_password_reset_once(page):
    page.goto("/accounts/login/")

    expect(page.get_by_role("link", name="Forgot your password?")).to_have_count(1)


def test_run_of_show_titles_are_shown_whole_at_1366_px(browser, live_server):
    from tests.factories.panels import PanelFactory

    moderator = UserFactory(email="ratna@pacis.example", role="moderator")
    panel = PanelFactory(number=3, moderator=moderator)
    panel.segments.create(position=1, title="ESE Co. Ltd.: the Banyumas partnership", minutes=20)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in(page, "ratna@pacis.example", PASSWORD)
    page.goto(f"/panels/{panel.pk}/brief/")

    title = page.get_by_label("Segment 1")
    expect(title).to_have_value("ESE Co. Ltd.: the Banyumas partnership")
    assert title.evaluate("(e) => e.scrollWidth <= e.clientWidth")
    assert page.evaluate(PAGE_WIDTH) == 1366
    context.close()


def test_published_minutes_fit_a_phone(phone):
    from meetings.coordination.services import minutes

    chair = UserFactory(email="nadia@ascn.example", role="secretariat", full_name="Nadia")
    meeting = MeetingFactory(number=7, status="published")
    session = CoordinationSessionFactory(meeting=meeting, chair=chair)
    ActionItemFactory(
        session=session, owner_person=chair, due_date=date(2024, 7, 22),
        title="Send the Smart Kampung figures for the Shepherd report to the secretariat",
    )  # fmt: skip
    minutes.approve_minutes(session, actor=chair)
    minutes.publish_minutes(session, actor=chair)
    log_in(phone, "nadia@ascn.example", PASSWORD)

    phone.goto(f"/meetings/7/coordination/{session.pk}/record/")

    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert phone.evaluate(PAGE_WIDTH) == 390
    # Every table of the record scrolls inside its own box.
    assert phone.evaluate(
        """() => [...document.querySelectorAll('main table')].every(
              (t) => t.parentElement.matches('.table-scroll')
                && t.parentElement.getBoundingClientRect().right <= 390)"""
    )


def test_report_slides_and_zip_pages_fit_a_phone(phone):
    reference_data()
    call_command("load_demo", stdout=io.StringIO())
    log_in(phone, "secretariat@ascn.example", DEMO_PASSWORD)

    found = {}
    for url in document_pages():
        response = phone.goto(url)
        assert (response.status, phone.url.endswith(url)) == (200, True)
        found[url] = (phone.evaluate(PAGE_WIDTH), phone.evaluate(OVERFLOWING))

    assert found == dict.fromkeys(found, (390, []))
