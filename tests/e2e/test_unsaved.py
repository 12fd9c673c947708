"""Nothing typed is lost: a page's buttons save what is on the screen, an open editor
survives another one's save, and leaving with unsaved changes asks first."""

import pytest
from playwright.sync_api import expect

from panels.models import BriefVersion
from tests.e2e.test_language import log_in
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.coordination import AgendaPointFactory, CoordinationSessionFactory
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory
from tests.factories.panels import PanelFactory, SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_saving_the_attendance_keeps_the_discussion_typed_below(page):
    UserFactory(email="nadia@ascn.example", full_name="Nadia Rahman", role="secretariat")
    meeting = MeetingFactory(number=7, status="published")
    session = CoordinationSessionFactory(meeting=meeting, chair=None)
    AgendaPointFactory(session=session, position=1, title="Pilot-city updates")
    log_in(page, "nadia@ascn.example", PASSWORD)
    page.goto(f"/meetings/7/coordination/{session.pk}/minutes/")

    page.get_by_label("Name, row 1").fill("Ratna Wijaya")
    page.get_by_role("textbox", name="Discussion").fill("Banyuwangi reported its kampung.")
    page.get_by_role("button", name="Save the attendance").click()

    expect(page.get_by_role("status")).to_contain_text("The minutes are saved.")
    expect(page.get_by_label("Name, row 1")).to_have_value("Ratna Wijaya")
    expect(page.get_by_role("textbox", name="Discussion")).to_have_value(
        "Banyuwangi reported its kampung."
    )


def test_a_new_brief_version_holds_the_closing_remarks_just_typed(page):
    moderator = UserFactory(email="ratna@pacis.example", role="moderator")
    panel = PanelFactory(number=3, title="Forging Partnerships", moderator=moderator)
    SpeakerFactory(panel=panel, name="Minjun Park")
    log_in(page, "ratna@pacis.example", PASSWORD)
    page.goto(f"/panels/{panel.pk}/brief/")

    brief = page.get_by_role("region", name="The brief")
    brief.get_by_label("Closing remarks").fill("Thank the Shepherd and the speakers.")
    brief.get_by_role("button", name="Save and make a new version (PDF)").click()

    expect(page.locator(".messages")).to_contain_text("Version 1 is saved")
    expect(page).to_have_url(f"{page.url.split('/panels/')[0]}/panels/{panel.pk}/brief/")
    expect(brief.get_by_label("Closing remarks")).to_have_value(
        "Thank the Shepherd and the speakers."
    )
    assert BriefVersion.objects.get().content["closing_remarks"] == (
        "Thank the Shepherd and the speakers."
    )


def test_leaving_a_page_with_unsaved_changes_asks_first(page):
    moderator = UserFactory(email="ratna@pacis.example", role="moderator")
    panel = PanelFactory(number=3, title="Forging Partnerships", moderator=moderator)
    log_in(page, "ratna@pacis.example", PASSWORD)
    page.goto(f"/panels/{panel.pk}/brief/")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)

    # Unchanged: leaving asks nothing.
    page.get_by_role("link", name="Manage speakers").click()
    expect(page).to_have_url(f"{page.url.split('/panels/')[0]}/panels/{panel.pk}/speakers/")
    assert dialogs == []

    page.go_back()
    closing = page.get_by_role("region", name="The brief").get_by_label("Closing remarks")
    closing.click()
    closing.press_sequentially("Thank the speakers.")
    page.get_by_role("link", name="Manage speakers").click()

    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(f"{page.url.split('/panels/')[0]}/panels/{panel.pk}/brief/")
    expect(closing).to_have_value("Thank the speakers.")

    # Saving is not leaving: no question.
    page.get_by_role("button", name="Save the brief", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The brief is saved.")
    assert dialogs == ["beforeunload"]


def test_an_open_session_editor_survives_saving_another_session(page):
    UserFactory(email="nadia@ascn.example", role="secretariat")
    meeting = MeetingFactory(number=7)
    AgendaSessionFactory(meeting=meeting, title="Opening plenary")
    log_in(page, "nadia@ascn.example", PASSWORD)
    page.goto("/meetings/7/plan/")

    page.get_by_role("link", name="Edit Opening plenary").click()
    editor = page.locator("form").filter(has_text="Edit “Opening plenary”")
    editor.get_by_label("Title").fill("Opening plenary and welcome")
    day = page.get_by_role("region", name="Wednesday 31 July 2024")
    day.get_by_role("link", name="Add a session").click()
    new = page.locator("form").filter(has_text="New session")
    new.get_by_label("Title").fill("Site visit")
    new.get_by_label("Kind").select_option("plenary")
    new.get_by_label("Starts").fill("14:00")
    new.get_by_label("Ends").fill("16:00")
    new.get_by_role("button", name="Save the session").click()

    expect(page.get_by_role("status")).to_contain_text("The agenda is saved.")
    expect(day.get_by_role("listitem").filter(has_text="Site visit")).to_be_visible()
    expect(editor.get_by_label("Title")).to_have_value("Opening plenary and welcome")
    editor.get_by_role("button", name="Save the session").click()
    saved = page.get_by_role("listitem").filter(has_text="Opening plenary and welcome")
    expect(saved).to_be_visible()
