import re

import pytest
from playwright.sync_api import expect

from delegations import services
from delegations.models import Participant
from tests.factories.accounts import PASSWORD
from tests.factories.delegations import DelegationFactory, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invitee_follows_the_e_mailed_link_signs_up_and_registers(
    page, smtp_server, settings, live_server
):
    settings.SITE_URL = live_server.url
    delegation = DelegationFactory(name="Indonesia")
    dewi = ParticipantFactory(
        delegation=delegation, full_name="Dewi Lestari", email="dewi@banyuwangi.example"
    )
    services.invitations.invite([dewi], actor=None)  # autocommit: the mail leaves at once (eager)

    [message] = smtp_server.messages
    link = re.search(r"(http://\S+/delegations/invitation/\S+/)", smtp_server.body(message))[1]
    page.goto(link)
    expect(page.get_by_text("Create your account with dewi@banyuwangi.example")).to_be_visible()
    page.get_by_label("Email").fill("dewi@banyuwangi.example")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Registration for the")
    page.get_by_label("Arrival date").fill("2024-07-28")
    page.get_by_label("Departure date").fill("2024-08-02")
    page.get_by_label("Emergency contact").fill("Ayu, +62 811 000")
    page.get_by_label("Consent to data processing").check()
    page.get_by_role("button", name="Save my registration").click()

    expect(page.get_by_role("status")).to_contain_text("Your registration is saved.")
    assert Participant.objects.get(pk=dewi.pk).status == "registered"
