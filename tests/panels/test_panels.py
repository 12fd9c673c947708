import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ascn_portal.core.models import AuditEntry, OutgoingMail
from meetings.agenda.services import publish_agenda
from panels.models import Conference, Speaker
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.panels import PanelFactory, SpeakerFactory, TalkingPointsFactory
from tests.factories.pilots import OrganisationFactory, member_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(role="secretariat"))
    return client


def test_secretariat_sets_up_a_panel_with_ordered_objectives(secretariat_client, panel):
    meeting = panel.conference.meeting
    moderator = UserFactory(role="moderator", full_name="Ratna Wijaya")

    response = secretariat_client.post(
        reverse("panels:create", args=[meeting.number]),
        {
            "number": "1",
            "title": "Smart Cities in ASEAN",
            "theme": "",
            "moderator": str(moderator.pk),
            "status": "planning",
            "objectives": "Offer references\n\n  Obtain recommendations  \nStrengthen partnerships",
        },
        follow=True,
    )

    created = panel.conference.panels.get(number=1)
    assert "The panel is saved." in response.content.decode()
    assert list(created.objectives.values_list("position", "text")) == [
        (1, "Offer references"),
        (2, "Obtain recommendations"),
        (3, "Strengthen partnerships"),
    ]


def test_panel_numbers_are_unique_in_a_conference(secretariat_client, panel):
    page = secretariat_client.post(
        reverse("panels:create", args=[panel.conference.meeting.number]),
        {"number": "3", "title": "Again", "status": "planning", "objectives": ""},
    ).content.decode()

    assert "This conference already has a panel 3." in page


def test_adding_a_guest_creates_an_account_and_sends_a_password_link(
    client, panel, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(panel.moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("panels:speakers", args=[panel.pk]),
            {"name": "Priya Raman", "email": "Priya@UNESCAP.example", "topic": "", "minutes": "15"},
        )

    speaker = Speaker.objects.get(panel=panel)
    assert (speaker.user.email, speaker.user.role) == ("priya@unescap.example", "speaker")
    # The account starts with the panel's data: the name given, the meeting's zone for
    # a guest with no organisation.
    assert (speaker.user.full_name, speaker.user.time_zone) == ("Priya Raman", "Asia/Vientiane")
    assert not speaker.user.has_usable_password()
    [message] = smtp_server.messages
    body = smtp_server.body(message)
    assert f"/panels/{panel.pk}/points/" in body
    reset = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", body)
    assert reset, body
    assert client.get(reset.group(1)).status_code in (200, 302)
    # The outbox keeps the message without the password link.
    mail = OutgoingMail.objects.get()
    assert "/accounts/password/reset/key/" not in mail.body_text + mail.body_html
    assert "[password_link hidden: sent only to the recipient]" in mail.body_text
    assert mail.secrets == {}


def test_adding_a_participant_uses_their_account_and_refuses_a_second_time(
    client, panel, smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(email="minjun@ese.example", role="delegate")
    delegation = DelegationFactory(meeting=panel.conference.meeting, country=None, name="ESE")
    participant = ParticipantFactory(
        delegation=delegation, full_name="Minjun Park", email=user.email, user=user
    )
    client.force_login(panel.moderator)
    url = reverse("panels:speakers", args=[panel.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"participant": str(participant.pk), "minutes": "15"})
    again = client.post(url, {"participant": str(participant.pk), "minutes": "15"})

    speaker = Speaker.objects.get(panel=panel)
    assert (speaker.user, speaker.name, speaker.participant) == (user, "Minjun Park", participant)
    assert "minjun@ese.example already speaks on this panel." in again.content.decode()
    assert len(smtp_server.messages) == 1
    assert "password" not in smtp_server.body(smtp_server.messages[0])
    assert get_user_model().objects.filter(email="minjun@ese.example").count() == 1


def test_speaker_form_needs_a_participant_or_a_guest(client, panel):
    client.force_login(panel.moderator)

    page = client.post(reverse("panels:speakers", args=[panel.pk]), {"minutes": "10"})

    assert "Choose a participant, or give the guest" in page.content.decode()
    assert not Speaker.objects.exists()


def test_secretariat_overview_counts_progress(secretariat_client, panel, ese, unescap):
    unescap.confirmed_at = ese.points.submitted_at
    unescap.save()

    page = secretariat_client.get(
        reverse("panels:list", args=[panel.conference.meeting.number])
    ).content.decode()

    cells = re.findall(r"<td>(\d+) / (\d+)</td>", page)
    assert cells == [("1", "2"), ("1", "2"), ("0", "2")]  # confirmed, submitted, slides


def test_overview_hides_progress_from_others(client, panel, ese):
    page = client.get(reverse("panels:list", args=[panel.conference.meeting.number]))

    assert page.status_code == 200
    assert "Forging Partnerships" in page.content.decode()
    assert "Points submitted" not in page.content.decode()


@pytest.mark.parametrize("panels", [2, 12])
def test_overview_query_count_is_fixed(
    secretariat_client, panel, panels, django_assert_max_num_queries
):
    for number in range(panels):
        other = PanelFactory(conference=panel.conference, number=10 + number)
        TalkingPointsFactory(speaker=SpeakerFactory(panel=other))
        other.objectives.create(position=1, text="Objective")

    with django_assert_max_num_queries(9):
        response = secretariat_client.get(
            reverse("panels:list", args=[panel.conference.meeting.number])
        )
    assert response.status_code == 200


def test_my_agenda_lists_the_panels_a_person_moderates_or_speaks_in(client, panel, ese):
    meeting = panel.conference.meeting
    panel.agenda_session.visibility = "national_representatives"  # not open to all
    panel.agenda_session.title = "Panel 3: Forging Partnerships"
    panel.agenda_session.save()
    publish_agenda(meeting, actor=None)

    for person, listed in [(ese.user, True), (panel.moderator, True), (UserFactory(), False)]:
        client.force_login(person)
        page = client.get(reverse("meetings:my_agenda", args=[meeting.number])).content.decode()
        feed = client.get(reverse("meetings:my_agenda_ics", args=[meeting.number])).content
        assert ("Panel 3: Forging Partnerships" in page) is listed
        assert (b"Panel 3: Forging Partnerships" in feed) is listed


@pytest.mark.parametrize("panels", [1, 10])
def test_moderator_and_speaker_dashboards_list_their_panels(
    client, panel, ese, unescap, panels, django_assert_max_num_queries
):
    for number in range(1, panels):
        other = PanelFactory(
            conference=panel.conference, number=10 + number, moderator=panel.moderator
        )
        SpeakerFactory(panel=other, user=ese.user)

    client.force_login(panel.moderator)
    # Eight, and one for the documents new since the last visit to the register.
    with django_assert_max_num_queries(9):
        page = client.get(reverse("dashboards:home")).content.decode()
    assert "Panel 3: Forging Partnerships" in page
    assert "points from 1 of 2 speakers" in page

    client.force_login(ese.user)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("dashboards:home"))
    # Each panel once in the speaker's section (the steps link there too).
    assert len(response.context["engagements"]) == panels
    assert "points submitted" in response.content.decode()


def test_panel_names_its_preparatory_sessions_for_those_invited_to_them(
    secretariat_client, client, panel, ese
):
    from tests.factories.coordination import CoordinationSessionFactory

    meeting = panel.conference.meeting
    prep = CoordinationSessionFactory(meeting=meeting, title="Online: Panel 3 substance")
    prep.invited_people.add(ese.user)
    CoordinationSessionFactory(title="Another meeting's session")  # not offered

    form = secretariat_client.get(reverse("panels:edit", args=[panel.pk])).content.decode()
    assert "Online: Panel 3 substance" in form
    assert "Another meeting" not in form
    secretariat_client.post(
        reverse("panels:edit", args=[panel.pk]),
        {
            "number": "3",
            "title": panel.title,
            "status": "collecting",
            "objectives": "Strengthen partnerships",
            "coordination_sessions": [str(prep.pk)],
        },
    )
    assert list(panel.coordination_sessions.all()) == [prep]

    client.force_login(ese.user)
    assert "Online: Panel 3 substance" in client.get(panel.get_absolute_url()).content.decode()
    client.force_login(UserFactory(role="delegate"))  # not invited: not even the title
    assert "Online: Panel 3 substance" not in client.get(panel.get_absolute_url()).content.decode()


def test_conference_is_saved_with_its_hosts_partners_and_an_audit_entry(secretariat_client):
    meeting = MeetingFactory(number=7)
    laos, indonesia = member_state("LA"), member_state("ID")
    pacis = OrganisationFactory(name="PACIS", country=indonesia)

    response = secretariat_client.post(
        reverse("panels:conference_edit", args=[7]),
        {
            "title": "ASCN Conference on Smart Solutions for Solving Urban Issues",
            "initiated_by": [str(indonesia.pk)],
            "co_hosted_by": [str(laos.pk), str(indonesia.pk)],
            "partner_organisations": [str(pacis.pk)],
            "description": "",
        },
    )

    conference = Conference.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert list(conference.initiated_by.all()) == [indonesia]
    assert sorted(conference.co_hosted_by.values_list("code", flat=True)) == ["ID", "LA"]
    assert list(conference.partner_organisations.all()) == [pacis]
    assert list(AuditEntry.objects.values_list("action", "object_id")) == [
        ("panels.conference.create", str(conference.pk))
    ]


def test_conference_form_is_refused_to_a_moderator_without_writing(client):
    MeetingFactory(number=7)
    client.force_login(UserFactory(role="moderator"))

    response = client.post(reverse("panels:conference_edit", args=[7]), {"title": "Mine"})

    assert response.status_code == 403
    assert Conference.objects.count() == 0
    assert AuditEntry.objects.count() == 0
