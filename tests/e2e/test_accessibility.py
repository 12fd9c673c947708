"""Every main page of the demo, as the public and as each role, checked by axe-core
against WCAG 2.1 A and AA in a real browser."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from ascn_portal.accounts.models import User
from ascn_portal.core.enums import DocumentStatus
from delegations.models import Delegation, Participant
from meetings.models import ActionItem, CoordinationSession, Meeting, RegisteredDocument
from meetings.register import bundles
from meetings.register.enums import Distribution
from panels.models import Panel
from tests.e2e.test_language import log_in
from tests.factories.pilots import reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "ascn-demo-2024"
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def document_pages():
    """The secretariat's outcome report, a speaker's slides upload and a ready "download
    all" ZIP of the demo's 7th meeting (the ZIP is asked for and built here), for the
    secretariat; the small-screen test visits them too."""
    meeting = Meeting.objects.get(number=7)
    panel = Panel.objects.get(conference__meeting=meeting, number=3)
    speaker = panel.speakers.get(user__email="speaker@ascn.example")
    secretariat = User.objects.get(email="secretariat@ascn.example")
    bundle = bundles.request_bundle(meeting, actor=secretariat, agenda_session=panel.agenda_session)
    assert bundle is not None
    bundles.build(bundle.pk)  # already built when tasks run in-process
    bundle.refresh_from_db()
    assert bundle.status == DocumentStatus.READY, bundle.error
    return [
        reverse("meetings:outcome_report", args=[7]),
        reverse("panels:slides", args=[panel.pk, speaker.pk]),
        bundle.get_absolute_url(),
    ]


def pages_by_person():
    delegation = Delegation.objects.get(meeting__number=7, name="Indonesia")
    delegate = Participant.objects.get(delegation=delegation, email="delegate@ascn.example")
    panel = Panel.objects.get(conference__meeting__number=7, number=3)
    speaker = panel.speakers.get(user__email="speaker@ascn.example")
    session = CoordinationSession.objects.filter(meeting__number=7).order_by("starts_at").last()
    coordination = {"number": 7, "pk": session.pk}
    item = ActionItem.objects.filter(session__meeting__number=7).order_by("pk").first()
    # The concept note: public, so every visitor opens it (the agenda, registered first,
    # is for participants).
    document = (
        RegisteredDocument.objects.filter(meeting__number=7, distribution=Distribution.PUBLIC)
        .order_by("pk")
        .first()
    )
    return {
        None: [
            reverse("home"),
            reverse("meetings:detail", args=[7]),
            reverse("meetings:agenda", args=[7]),
            reverse("meetings:agenda_grid", args=[7]),
            reverse("meetings:register", args=[7]),
            reverse("meetings:document", args=[7, document.pk]),
            reverse("panels:list", args=[7]),
            reverse("panels:detail", args=[panel.pk]),
            reverse("pilots:directory"),
            reverse("pilots:city", args=["makassar"]),
            reverse("pilots:partnerships"),
            reverse("account_login"),
        ],
        "secretariat@ascn.example": [
            reverse("dashboards:home"),
            reverse("delegations:detail", args=[delegation.pk]),
            reverse("delegations:participants"),
            reverse("delegations:participant", args=[delegate.pk]),
            reverse("delegations:participant_substitute", args=[delegate.pk]),
            reverse("meetings:agenda_plan", args=[7]),
            reverse("meetings:agenda_changes", args=[7, 1]),
            reverse("panels:composer", args=[panel.pk]),
            reverse("panels:speakers", args=[panel.pk]),
            reverse("panels:slides_due", args=[panel.pk]),
            *document_pages(),
            reverse("panels:edit", args=[panel.pk]),
            reverse("pilots:dashboard"),
            reverse("pilots:city_edit", args=["makassar"]),
            reverse("core:outbox_list"),
            reverse("meetings:coordination_detail", kwargs=coordination),
            reverse("meetings:minutes_editor", kwargs=coordination),
            reverse("meetings:minutes_published", kwargs=coordination),
            reverse("meetings:action_board", args=[7]),
            reverse("delegations:setup", args=[7]),
            reverse("delegations:setup_add", args=[7]),
            reverse("delegations:setup_edit", args=[delegation.pk]),
            reverse("delegations:logistics", args=[7]),
            reverse("delegations:bulk", args=[7]),
            reverse("meetings:action_detail", args=[7, item.pk]),
            reverse("meetings:register", args=[7]),
            reverse("meetings:document_new", args=[7]),
            reverse("meetings:document", args=[7, document.pk]),
        ],
        "nr.indonesia@ascn.example": [
            reverse("dashboards:home"),
            reverse("delegations:nominate", args=[delegation.pk]),
            reverse("delegations:roster_upload", args=[delegation.pk]),
            reverse("meetings:report_new", args=[7]),
        ],
        "delegate@ascn.example": [
            reverse("dashboards:home"),
            reverse("delegations:registration", args=[delegate.pk]),
            reverse("meetings:my_agenda", args=[7]),
            reverse("dashboards:account"),
        ],
        "speaker@ascn.example": [
            reverse("dashboards:home"),
            reverse("panels:points", args=[panel.pk]),
            reverse("panels:slides", args=[panel.pk, speaker.pk]),
        ],
        "focal.makassar@ascn.example": [reverse("pilots:city_edit", args=["makassar"])],
    }


def test_main_pages_have_no_wcag_violations(browser, live_server):
    reference_data()
    call_command("load_demo", stdout=io.StringIO())
    axe, problems = Axe(), []
    for person, urls in pages_by_person().items():
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        if person:
            log_in(page, person, DEMO_PASSWORD)
            page.wait_for_load_state()
        for url in urls:
            response = page.goto(url)
            # The page itself, not a login form it was sent to instead.
            assert (response.status, page.url) == (200, live_server.url + url), person
            for violation in axe.run(page, options=WCAG_AA).response["violations"]:
                node = violation["nodes"][0]
                problems.append(f"{url} ({person}): {violation['id']} at {node['target']}")
        context.close()
    assert problems == []
