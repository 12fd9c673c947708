import re

import pytest
from playwright.sync_api import expect

from pilots.enums import CityStatus
from tests.factories.pilots import PartnershipProjectFactory, PilotCityFactory, member_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_filters_the_directory_by_member_state_and_opens_a_city(page):
    indonesia, thailand = member_state("ID"), member_state("TH")
    for code in ("BN", "KH", "LA", "MY", "MM", "PH", "SG", "VN"):
        member_state(code)
    makassar = PilotCityFactory(
        name="Makassar", country=indonesia, focus_areas=["health_wellbeing"]
    )
    PilotCityFactory(name="Sumedang", country=indonesia, status=CityStatus.CANDIDATE)
    PilotCityFactory(name="Phuket", country=thailand, focus_areas=["quality_environment"])
    PartnershipProjectFactory(
        city=makassar, title="Lorong Wisata lanes", value=2500, currency="USD"
    )

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pilot cities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot cities of the ASCN")
    expect(page.get_by_role("table")).to_contain_text("Phuket")

    page.get_by_label("Member state").select_option(label="Indonesia")
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"/pilots/\?country=ID&"))
    table = page.get_by_role("table", name="2 cities")
    expect(table.get_by_role("rowheader")).to_have_text(["Makassar", "Sumedang"])
    expect(page.get_by_label("Member state")).to_have_value("ID")

    table.get_by_role("link", name="Makassar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Makassar")
    projects = page.get_by_role("table", name="Partnership projects of Makassar")
    expect(projects).to_contain_text("USD 2,500")
