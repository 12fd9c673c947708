import pytest
from playwright.sync_api import expect

from tests.e2e.test_language import log_in
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.panels import PanelFactory, SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_speaker_submits_points_and_the_moderator_sees_them(page, browser, live_server):
    moderator = UserFactory(email="ratna@pacis.example", role="moderator")
    panel = PanelFactory(number=3, title="Forging Partnerships", moderator=moderator)
    panel.objectives.create(position=1, text="Strengthen partnerships among countries.")
    speaker = UserFactory(email="minjun@ese.example", role="speaker", full_name="Minjun Park")
    SpeakerFactory(panel=panel, user=speaker, name="Minjun Park")

    log_in(page, "minjun@ese.example", PASSWORD)
    page.goto(f"/panels/{panel.pk}/points/")
    expect(page.get_by_text("Strengthen partnerships among countries.")).to_be_visible()
    page.get_by_label("Challenges").fill("Budgets end with the pilot.")
    page.get_by_label("Opportunities").fill("Flood simulation for the Serayu river.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    page.get_by_label("Recommendations for effective partnership schemes").fill(
        "Agree on data sharing before the pilot."
    )
    page.get_by_role("button", name="Submit to the moderator").click()
    expect(page.get_by_text("Your points are submitted to the moderator.")).to_be_visible()

    composer = browser.new_context(base_url=live_server.url).new_page()
    log_in(composer, "ratna@pacis.example", PASSWORD)
    composer.goto(f"/panels/{panel.pk}/brief/")
    sources = composer.get_by_role("region", name="Objectives and speakers' points")
    card = sources.get_by_role("article").filter(has_text="Minjun Park")
    expect(card).to_contain_text("points submitted")
    expect(card).to_contain_text("Flood simulation for the Serayu river.")
    expect(card).to_contain_text("Agree on data sharing before the pilot.")

    brief = composer.get_by_role("region", name="The brief")
    brief.get_by_label("Questions to ask").fill("How was the Banyumas project funded?")
    brief.get_by_label("Segment 1").fill("Opening")
    brief.get_by_label("Minutes 1").fill("80")
    brief.get_by_role("button", name="Save the brief").click()
    expect(composer.get_by_role("alert")).to_contain_text("it runs over by 5 minutes")
    composer.get_by_label("Minutes 1").fill("10")
    composer.get_by_role("button", name="Save the brief").click()
    expect(composer.get_by_text("The brief is saved.")).to_be_visible()
    composer.context.close()
