"""Links in e-mails and calendar files lead where the portal runs."""

import pytest
from django.urls import reverse

from ascn_portal.core.sites import absolute_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def feed_address(client, settings, host):
    client.force_login(UserFactory(role="secretariat"))
    from tests.factories.meetings import MeetingFactory

    MeetingFactory(number=7, status="published")
    page = client.post(
        reverse("meetings:calendar_link", args=[7]), {"action": "create"}, HTTP_HOST=host
    )
    return page.context["feed_url"]


def test_without_site_url_links_follow_the_address_served_on(client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]

    url = feed_address(client, settings, "127.0.0.1:8200")

    assert url.startswith("http://127.0.0.1:8200/meetings/calendar/")
    # Outside a request: the default address (make run points it at its own port).
    assert absolute_url("/x/") == settings.DEFAULT_SITE_URL + "/x/"


def test_site_url_when_set_wins_over_the_request(client, settings):
    settings.SITE_URL = "https://ascn.example.org"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]

    url = feed_address(client, settings, "127.0.0.1:8200")

    assert url.startswith("https://ascn.example.org/meetings/calendar/")
