"""Every time shown says its zone, and the footer names the zone the page's times use."""

from datetime import datetime

import pytest
from django.urls import reverse

from meetings.agenda import services
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def footer(response):
    page = response.content.decode()
    return " ".join(page[page.index('<footer class="site-footer">') :].split())


@pytest.fixture
def kuala_lumpur():
    meeting = MeetingFactory(number=8, time_zone="Asia/Kuala_Lumpur", status="published")
    AgendaSessionFactory(
        meeting=meeting,
        title="Opening",
        visibility="public",
        starts_at=datetime(2024, 7, 30, 9, 0, tzinfo=meeting.zone),
        ends_at=datetime(2024, 7, 30, 10, 0, tzinfo=meeting.zone),
    )
    return meeting


def test_plan_footer_names_the_meeting_zone_not_the_viewer_s(client, kuala_lumpur):
    client.force_login(UserFactory(role="secretariat", time_zone="Asia/Jakarta"))

    response = client.get(reverse("meetings:agenda_plan", args=[8]))

    assert "Times are shown in Asia/Kuala_Lumpur." in footer(response)
    assert "Asia/Jakarta" not in footer(response)
    assert "09:00–10:00 +08" in response.content.decode()


def test_agenda_footer_names_both_zones_when_the_viewer_s_is_alongside(
    client, kuala_lumpur, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(kuala_lumpur, actor=UserFactory(role="secretariat"))
    client.force_login(delegate_at(kuala_lumpur, time_zone="Asia/Jakarta"))

    response = client.get(reverse("meetings:agenda", args=[8]))

    assert (
        "Times are shown in Asia/Kuala_Lumpur, with your own time zone (Asia/Jakarta) alongside."
        in footer(response)
    )
    page = response.content.decode()
    assert "09:00–10:00 +08" in page
    assert "08:00–09:00 WIB" in page


def test_a_page_of_the_viewer_s_own_times_names_the_viewer_s_zone(client):
    client.force_login(UserFactory(role="delegate", time_zone="Asia/Makassar"))

    response = client.get(reverse("dashboards:home"))

    assert "Times are shown in Asia/Makassar." in footer(response)
