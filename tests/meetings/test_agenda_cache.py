"""The published agenda is rendered once per version, language, zone and audience, then
read from the cache: every hat still sees exactly its sessions, whoever warmed it."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from meetings.agenda import services
from meetings.agenda.enums import Visibility
from meetings.agenda.hats import Hat
from pilots.models import Country, PilotCity
from tests.factories import UserFactory
from tests.factories.coordination import ActionItemFactory, CoordinationSessionFactory
from tests.factories.delegations import delegate_at, nr_at
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory
from tests.factories.panels import PanelFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

TITLES = {
    Visibility.PUBLIC: "Opening ceremony",
    Visibility.PARTICIPANTS: "Plenary: Shepherd report",
    Visibility.NATIONAL_REPRESENTATIVES: "Closed-door meeting of National Representatives",
}


@pytest.fixture
def meeting():
    return MeetingFactory(number=7, status="published")


@pytest.fixture
def secretariat():
    return UserFactory(role="secretariat", language="en")


@pytest.fixture
def sessions(meeting):
    at = lambda hour: datetime(2024, 7, 30, hour, tzinfo=meeting.zone)  # noqa: E731
    return {
        level: AgendaSessionFactory(
            meeting=meeting, title=title, visibility=level, starts_at=at(9 + n)
        )
        for n, (level, title) in enumerate(TITLES.items())
    }


def publish(meeting, secretariat, capture):
    with capture(execute=True):
        return services.publish_agenda(meeting, actor=secretariat)


def wearing(hat, meeting, sessions, panel):
    """A person whose only relation to ``meeting`` gives them ``hat``; the ones that
    bring a session of their own get the National Representatives' closed one (``panel``
    is held in it)."""
    closed = sessions[Visibility.NATIONAL_REPRESENTATIVES]
    person = UserFactory(role="")
    if hat == Hat.PARTICIPANT:
        return delegate_at(meeting)
    if hat == Hat.NATIONAL_REPRESENTATIVE:
        return nr_at(meeting)
    if hat == Hat.MODERATOR:
        panel.moderator = person
        panel.save(update_fields=["moderator"])
    elif hat == Hat.SPEAKER:
        SpeakerFactory(panel=panel, user=person)
    elif hat == Hat.SESSION_CHAIR:
        closed.chair_person = person
        closed.save(update_fields=["chair_person"])
    elif hat == Hat.COORDINATION_CHAIR:
        CoordinationSessionFactory(meeting=meeting, chair=person)
    elif hat == Hat.COORDINATION_INVITEE:
        CoordinationSessionFactory(meeting=meeting, chair=None).invited_people.add(person)
    elif hat == Hat.ACTION_OWNER:
        ActionItemFactory(session__meeting=meeting, session__chair=None, owner_person=person)
    elif hat == Hat.FOCAL_POINT:  # network-wide: no hat at this meeting
        PilotCity.objects.create(
            name="Makassar", slug="makassar", country=Country.objects.get(code="ID")
        ).focal_points.add(person)
    return person


# What each hat sees on the agenda, and on "My agenda" (None: no such page, 404).
EXPECTED = {
    "anonymous": ({Visibility.PUBLIC}, None),
    "no hat": ({Visibility.PUBLIC}, None),
    Hat.FOCAL_POINT: ({Visibility.PUBLIC}, None),
    Hat.PARTICIPANT: ({Visibility.PUBLIC, Visibility.PARTICIPANTS}, set()),
    Hat.COORDINATION_CHAIR: ({Visibility.PUBLIC, Visibility.PARTICIPANTS}, set()),
    Hat.COORDINATION_INVITEE: ({Visibility.PUBLIC, Visibility.PARTICIPANTS}, set()),
    Hat.ACTION_OWNER: ({Visibility.PUBLIC, Visibility.PARTICIPANTS}, set()),
    # Their own session is on their agenda though it is closed to their level.
    Hat.MODERATOR: (
        {Visibility.PUBLIC, Visibility.PARTICIPANTS},
        {Visibility.NATIONAL_REPRESENTATIVES},
    ),
    Hat.SPEAKER: (
        {Visibility.PUBLIC, Visibility.PARTICIPANTS},
        {Visibility.NATIONAL_REPRESENTATIVES},
    ),
    Hat.SESSION_CHAIR: (
        {Visibility.PUBLIC, Visibility.PARTICIPANTS},
        {Visibility.NATIONAL_REPRESENTATIVES},
    ),
    Hat.NATIONAL_REPRESENTATIVE: (set(TITLES), set()),
    "secretariat": (set(TITLES), set()),
}


def listed(response):
    assert response.status_code == 200
    return set(re.findall(r'class="session__title" href="[^"]+">([^<]+)</a>', response.text))


def viewers(meeting, sessions, secretariat):
    people = {"anonymous": None, "no hat": UserFactory(role="delegate"), "secretariat": secretariat}
    panel = PanelFactory(
        conference__meeting=meeting, agenda_session=sessions[Visibility.NATIONAL_REPRESENTATIVES]
    )
    for hat in EXPECTED:
        if hat not in people:
            people[hat] = wearing(hat, meeting, sessions, panel)
    return people


@pytest.mark.parametrize("level", list(TITLES))
@pytest.mark.parametrize("page", ["meetings:agenda", "meetings:my_agenda"])
def test_each_level_is_shown_to_exactly_the_hats_that_may_see_it_whoever_warmed_the_cache(
    client, meeting, sessions, secretariat, django_capture_on_commit_callbacks, level, page
):
    people = viewers(meeting, sessions, secretariat)
    publish(meeting, secretariat, django_capture_on_commit_callbacks)
    url = reverse(page, args=[7])

    # Twice round, in turn: the second round reads what the first one cached.
    for _round in range(2):
        for name, person in people.items():
            client.logout()
            if person is not None:
                client.force_login(person)
            on_agenda, own = EXPECTED[name]
            if page == "meetings:my_agenda":
                if own is None:
                    assert client.get(url).status_code in (302, 404), name
                    continue
                on_agenda = on_agenda | own
            shown = TITLES[level] in listed(client.get(url))
            assert shown == (level in on_agenda), (name, level)


def test_my_agenda_follows_a_new_relation_without_a_new_version(
    client, meeting, sessions, secretariat, django_capture_on_commit_callbacks
):
    publish(meeting, secretariat, django_capture_on_commit_callbacks)
    delegate = delegate_at(meeting)
    client.force_login(delegate)
    url = reverse("meetings:my_agenda", args=[7])
    before = listed(client.get(url))

    SpeakerFactory(
        panel__conference__meeting=meeting,
        panel__agenda_session=sessions[Visibility.NATIONAL_REPRESENTATIVES],
        user=delegate,
    )
    after = listed(client.get(url))

    assert TITLES[Visibility.NATIONAL_REPRESENTATIVES] not in before
    assert TITLES[Visibility.NATIONAL_REPRESENTATIVES] in after


def test_a_new_version_replaces_the_cached_agenda_for_everyone(
    client, meeting, sessions, secretariat, django_capture_on_commit_callbacks
):
    publish(meeting, secretariat, django_capture_on_commit_callbacks)
    delegate = delegate_at(meeting)
    url = reverse("meetings:agenda", args=[7])
    client.force_login(delegate)
    first = client.get(url)
    client.logout()
    client.get(url)  # the public's copy cached too

    opening = sessions[Visibility.PUBLIC]
    opening.title = "Opening ceremony and welcome"
    opening.save(update_fields=["title"])
    unpublished = listed(client.get(url))
    publish(meeting, secretariat, django_capture_on_commit_callbacks)
    public = listed(client.get(url))
    client.force_login(delegate)
    delegate_view = client.get(url)

    assert "Version 1." in first.text
    assert "Opening ceremony" in unpublished  # a draft change shows nobody anything
    assert "Opening ceremony and welcome" in public
    assert "Version 2." in delegate_view.text
    assert "Opening ceremony and welcome" in listed(delegate_view)
    assert "Opening ceremony" not in listed(delegate_view)


def test_cached_agenda_is_kept_apart_per_language_and_zone(
    client, meeting, sessions, secretariat, django_capture_on_commit_callbacks
):
    publish(meeting, secretariat, django_capture_on_commit_callbacks)
    url = reverse("meetings:agenda", args=[7])
    seen = {}
    viewers = [("en", "Asia/Vientiane"), ("id", "Asia/Vientiane"), ("en", "Asia/Seoul")]
    for language, zone in viewers:
        person = delegate_at(meeting, language=language, time_zone=zone)
        client.force_login(person)
        seen[language, zone] = client.get(url).text

    assert "Tuesday 30 July 2024" in seen["en", "Asia/Vientiane"]
    assert "Selasa 30 Juli 2024" in seen["id", "Asia/Vientiane"]
    assert "KST" not in seen["en", "Asia/Vientiane"]
    assert "11:00–12:00 KST" in seen["en", "Asia/Seoul"]
