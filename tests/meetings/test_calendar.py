import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from ascn_portal.core.tokens import hash_token
from meetings.agenda import services
from meetings.models import CalendarSubscription
from tests.factories import UserFactory
from tests.factories.delegations import delegate_at, nr_at
from tests.factories.meetings import AgendaSessionFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat")


@pytest.fixture
def sessions(meeting):
    hall = RoomFactory(meeting=meeting, name="Plenary Hall")
    at = lambda hour, minute=0: datetime(2024, 7, 30, hour, minute, tzinfo=meeting.zone)  # noqa: E731
    return {
        "opening": AgendaSessionFactory(
            meeting=meeting,
            title="Opening",
            room=hall,
            visibility="public",
            starts_at=at(9),
            ends_at=at(9, 45),
        ),
        "plenary": AgendaSessionFactory(
            meeting=meeting,
            title="Plenary",
            room=hall,
            visibility="participants",
            starts_at=at(10, 15),
            ends_at=at(12),
        ),
        "closed": AgendaSessionFactory(
            meeting=meeting,
            title="Closed-door meeting",
            visibility="national_representatives",
            starts_at=at(15, 30),
            ends_at=at(17),
        ),
    }


def events(response):
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}, calendar


def test_ics_has_utc_instants_for_vientiane_and_its_timezone(
    client, meeting, sessions, secretariat
):
    services.publish_agenda(meeting, actor=secretariat)
    client.force_login(delegate_at(meeting))

    by_title, calendar = events(client.get(reverse("meetings:agenda_ics", args=[7])))

    opening = by_title["Opening"]
    assert opening["DTSTART"].dt.astimezone(UTC) == datetime(2024, 7, 30, 2, 0, tzinfo=UTC)
    assert opening["DTEND"].dt.astimezone(UTC) == datetime(2024, 7, 30, 2, 45, tzinfo=UTC)
    assert opening["DTSTART"].params["TZID"] == "Asia/Vientiane"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Vientiane"]
    assert str(opening["UID"]) == f"ascn-session-{sessions['opening'].pk}@ascn-portal.example"
    assert sorted(by_title) == ["Opening", "Plenary"]


def test_ics_for_anonymous_holds_public_sessions_only(client, meeting, sessions, secretariat):
    services.publish_agenda(meeting, actor=secretariat)

    by_title, _calendar = events(client.get(reverse("meetings:agenda_ics", args=[7])))

    assert sorted(by_title) == ["Opening"]


def test_sequence_grows_with_each_change_and_removed_session_is_cancelled(
    client, meeting, sessions, secretariat
):
    services.publish_agenda(meeting, actor=secretariat)
    client.force_login(delegate_at(meeting))
    first, _calendar = events(client.get(reverse("meetings:agenda_ics", args=[7])))
    plenary = sessions["plenary"]
    plenary.starts_at += timedelta(minutes=15)
    plenary.save()
    services.publish_agenda(meeting, actor=secretariat)
    plenary.title = "Plenary: Shepherd report"
    plenary.save()
    sessions["opening"].delete()
    services.publish_agenda(meeting, actor=secretariat)

    by_title, _calendar = events(client.get(reverse("meetings:agenda_ics", args=[7])))

    assert first["Plenary"]["SEQUENCE"] == 0
    assert by_title["Plenary: Shepherd report"]["SEQUENCE"] == 2
    assert str(by_title["Plenary: Shepherd report"]["UID"]).startswith(
        f"ascn-session-{plenary.pk}@"
    )
    assert str(by_title["Opening"]["STATUS"]) == "CANCELLED"
    assert by_title["Opening"]["SEQUENCE"] == 1


def test_private_feed_follows_its_owner_and_stops_when_revoked(
    client, meeting, sessions, secretariat
):
    services.publish_agenda(meeting, actor=secretariat)
    nr = nr_at(meeting)
    token = services.create_calendar_subscription(nr)
    url = reverse("meetings:subscription_ics", args=[token, 7])

    mine_url = reverse("meetings:my_subscription_ics", args=[token, 7])

    by_title, _calendar = events(client.get(url))  # no login: the token stands for the person
    mine, _calendar = events(client.get(mine_url))
    services.revoke_calendar_subscription(nr)
    after = client.get(url)

    assert sorted(by_title) == ["Closed-door meeting", "Opening", "Plenary"]
    # Their own agenda is what they may see: a National Representative's closed door too.
    assert sorted(mine) == ["Closed-door meeting", "Opening", "Plenary"]
    assert after.status_code == 404
    assert client.get(mine_url).status_code == 404


def test_private_token_is_random_and_stored_hashed(meeting):
    user = UserFactory(role="delegate")

    first = services.create_calendar_subscription(user)
    second = services.create_calendar_subscription(user)

    stored = CalendarSubscription.objects.get(user=user).token_hash
    assert first != second
    assert len(second) >= 40
    assert stored == hash_token(second)
    assert second not in stored


def test_replaced_private_address_stops_working(client, meeting, sessions, secretariat):
    services.publish_agenda(meeting, actor=secretariat)
    user = UserFactory(role="delegate")
    old = services.create_calendar_subscription(user)
    services.create_calendar_subscription(user)

    assert client.get(reverse("meetings:subscription_ics", args=[old, 7])).status_code == 404


def test_calendar_page_shows_the_address_once(client, meeting):
    user = UserFactory(role="delegate")
    client.force_login(user)
    url = reverse("meetings:calendar_link", args=[7])

    created = client.post(url, {"action": "create"}).content.decode()
    later = client.get(url).content.decode()

    assert "/meetings/calendar/" in created
    assert "/meetings/calendar/" not in later
    assert "Stop my private address" in later


# --- My agenda -------------------------------------------------------------------------------


def test_my_agenda_holds_open_sessions_and_the_ones_i_chair(client, meeting, sessions, secretariat):
    chair = UserFactory(role="")
    AgendaSession = sessions["closed"].__class__
    AgendaSession.objects.filter(pk=sessions["closed"].pk).update(chair_person=chair)
    services.publish_agenda(meeting, actor=secretariat)

    client.force_login(chair)
    mine = client.get(reverse("meetings:my_agenda", args=[7]))
    mine_ics, _calendar = events(client.get(reverse("meetings:my_agenda_ics", args=[7])))
    client.force_login(delegate_at(meeting))
    theirs = client.get(reverse("meetings:my_agenda", args=[7]))
    client.force_login(UserFactory(role="delegate"))
    nobodys = client.get(reverse("meetings:my_agenda", args=[7]))
    nobodys_ics = client.get(reverse("meetings:my_agenda_ics", args=[7]))

    def titles(response):
        # As a reader sees them: the page may come from the cache, with no context.
        return [
            html.unescape(title)
            for title in re.findall(
                r'class="session__title" href="[^"]+">([^<]+)</a>', response.text
            )
        ]

    assert titles(mine) == ["Opening", "Plenary", "Closed-door meeting"]
    assert sorted(mine_ics) == ["Closed-door meeting", "Opening", "Plenary"]
    assert titles(theirs) == ["Opening", "Plenary"]
    # No hat at the meeting, whatever the account's role: no agenda of one's own there.
    assert nobodys.status_code == 404
    assert nobodys_ics.status_code == 404


def test_my_agenda_needs_login(client, meeting):
    response = client.get(reverse("meetings:my_agenda", args=[7]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
