"""One home page per person, made of the hats they wear."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from ascn_portal.accounts.enums import Role
from pilots.models import PilotCity
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.panels import PanelFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

# 1 June 2024, noon in Jakarta: before the 7th meeting's registration closes.
NOW = datetime(2024, 6, 1, 5, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def home(client, person):
    client.force_login(person)
    return client.get(reverse("dashboards:home"))


def steps(response):
    return [(step.when, step.text, step.url) for step in response.context["steps"]]


@pytest.mark.parametrize("role", list(Role))
def test_old_role_dashboards_lead_home(client, role):
    client.force_login(UserFactory(role=role))

    response = client.get(reverse(f"dashboards:{role}"))

    assert (response.status_code, response.url) == (302, reverse("dashboards:home"))


@pytest.mark.parametrize("page", ["home", "account"])
def test_home_and_account_send_anonymous_visitors_to_login(client, page):
    url = reverse(f"dashboards:{page}")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_person_with_no_hat_gets_a_helpful_page(client, django_assert_max_num_queries):
    person = UserFactory(role="delegate", full_name="Ayu Lestari")
    client.force_login(person)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("dashboards:home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert steps(response) == []
    assert "You are not part of a meeting, a panel or a pilot city yet." in content
    assert f'href="{reverse("meetings:list")}"' in content
    assert f'href="{reverse("dashboards:account")}"' in content
    assert "no role" not in content


def test_invitee_is_asked_to_register_by_the_deadline(client):
    meeting = MeetingFactory(
        number=7,
        title="7th ASCN Annual Meeting",
        status="published",
        registration_closes=date(2024, 7, 15),
    )
    person = UserFactory(role="")
    participant = ParticipantFactory(delegation__meeting=meeting, user=person, status="invited")

    response = home(client, person)

    assert steps(response) == [
        (
            meeting.registration_closes,
            "Register for the 7th ASCN Annual Meeting by 15 July 2024.",
            reverse("delegations:registration", args=[participant.pk]),
        )
    ]
    assert [p.pk for p in response.context["participations"]] == [participant.pk]


def test_moderator_who_is_also_a_delegate_sees_both_hats(client):
    meeting = MeetingFactory(number=7, status="published")
    person = UserFactory(role="delegate")
    ParticipantFactory(delegation__meeting=meeting, user=person, status="registered")
    panel = PanelFactory(conference__meeting=meeting, moderator=person, title="Partnerships")

    response = home(client, person)

    content = response.content.decode()
    assert "My meetings" in content
    assert "Panels I moderate" in content
    assert f"Prepare the brief of Panel {panel.number}: Partnerships." in [
        text for _when, text, _url in steps(response)
    ]


def test_speaker_is_asked_for_points_by_the_due_date(client):
    speaker = SpeakerFactory(panel__points_due=date(2024, 7, 20), panel__title="Partnerships")
    panel = speaker.panel

    response = home(client, speaker.user)

    assert steps(response) == [
        (
            date(2024, 7, 20),
            f"Confirm that you speak on Panel {panel.number}: Partnerships.",
            reverse("panels:points", args=[panel.pk]),
        ),
        (
            date(2024, 7, 20),
            f"Submit your talking points for Panel {panel.number}: Partnerships by 20 July 2024.",
            reverse("panels:points", args=[panel.pk]),
        ),
    ]


def test_national_representative_section_links_the_delegation_and_action_board(client):
    meeting = MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")
    nr = UserFactory(role="")
    delegation = DelegationFactory(meeting=meeting, name="Lao PDR", national_representative=nr)

    response = home(client, nr)

    content = response.content.decode()
    assert f'href="{delegation.get_absolute_url()}"' in content
    assert f'href="{reverse("meetings:action_board", args=[7])}"' in content
    assert steps(response) == [
        (
            meeting.registration_closes,
            "Nominate and approve the delegation of Lao PDR to the 7th ASCN Annual Meeting.",
            delegation.get_absolute_url(),
        )
    ]
    # The action board opens for them: no 404 behind the link.
    assert client.get(reverse("meetings:action_board", args=[7])).status_code == 200


def test_focal_point_section_links_their_city(client):
    person = UserFactory(role="delegate")
    city = PilotCity.objects.create(
        name="Makassar", slug="makassar", country=DelegationFactory().country, status="pilot"
    )
    city.focal_points.add(person)

    content = home(client, person).content.decode()

    assert "My city" in content
    assert f'href="{city.get_absolute_url()}"' in content


def test_secretariat_sees_rosters_waiting_for_confirmation(client):
    meeting = MeetingFactory(number=7, title="7th ASCN Annual Meeting", status="published")
    delegation = DelegationFactory(meeting=meeting, name="Lao PDR", roster_status="approved")

    response = home(client, UserFactory(role="secretariat"))

    assert steps(response) == [
        (
            meeting.registration_closes,
            "Confirm the roster of Lao PDR for the 7th ASCN Annual Meeting.",
            delegation.get_absolute_url(),
        )
    ]
    # Issue 13's work queue partial is included where it exists.
    assert "Rosters waiting for your confirmation" in response.content.decode()


@pytest.mark.parametrize("meetings", [1, 8])
def test_home_page_query_count_is_fixed_for_a_person_with_every_hat(
    client, meetings, django_assert_max_num_queries
):
    person = UserFactory(role="")
    for n in range(meetings):
        meeting = MeetingFactory(title=f"Meeting {n}", status="published")
        delegation = DelegationFactory(
            meeting=meeting, country=None, name=f"D{n}", national_representative=person
        )
        ParticipantFactory(delegation=delegation, user=person, status="invited")
        ParticipantFactory(delegation=delegation, status="registered")
        PanelFactory(conference__meeting=meeting, moderator=person)
        SpeakerFactory(panel__conference__meeting=meeting, user=person)
    client.force_login(person)

    # Session, user, model permissions (2), hats, meetings, and one query per section:
    # participations, delegations, moderated panels, talks, new documents.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("dashboards:home"))

    content = response.content.decode()
    assert content.count("My registration") == meetings
    assert content.count("1 of 10 seats taken") == 0  # two seats each: invited + registered
    assert content.count("2 of 10 seats taken, 1 registered") == meetings
