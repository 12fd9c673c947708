"""What a person is to a meeting, from relations: every hat, in one query."""

import pytest

from meetings.agenda.hats import Hat, forget_hats, hats_of, people_at
from pilots.models import PilotCity
from tests.factories import UserFactory
from tests.factories.coordination import ActionItemFactory, CoordinationSessionFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory
from tests.factories.panels import PanelFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(status="published")


def test_person_with_no_relation_wears_no_hat(meeting, django_assert_num_queries):
    person = UserFactory(role="delegate")

    with django_assert_num_queries(1):
        hats = hats_of(person)

    assert not hats
    assert not hats.at(meeting)


def test_every_hat_at_one_meeting_comes_from_one_query(meeting, django_assert_num_queries):
    person = UserFactory(role="")
    delegation = DelegationFactory(meeting=meeting, national_representative=person)
    participant = ParticipantFactory(delegation=delegation, user=person, status="registered")
    moderated = PanelFactory(conference__meeting=meeting, moderator=person)
    spoken = SpeakerFactory(panel__conference__meeting=meeting, user=person).panel
    chaired = AgendaSessionFactory(meeting=meeting, chair_person=person)
    coordination = CoordinationSessionFactory(meeting=meeting, chair=person)
    invited = CoordinationSessionFactory(meeting=meeting, chair=None)
    invited.invited_people.add(person)
    item = ActionItemFactory(session=invited, owner_person=person)
    city = PilotCity.objects.create(
        name="Makassar", slug="makassar", country=delegation.country, status="pilot"
    )
    city.focal_points.add(person)

    with django_assert_num_queries(1):
        hats = hats_of(person)
        at_meeting = hats.at(meeting)
        hats.at(meeting.pk)  # kept: no second query

    assert sorted((row.kind, row.object_id) for row in at_meeting.rows) == sorted(
        [
            (Hat.PARTICIPANT, participant.pk),
            (Hat.NATIONAL_REPRESENTATIVE, delegation.pk),
            (Hat.MODERATOR, moderated.pk),
            (Hat.SPEAKER, spoken.pk),
            (Hat.SESSION_CHAIR, chaired.pk),
            (Hat.COORDINATION_CHAIR, coordination.pk),
            (Hat.COORDINATION_INVITEE, invited.pk),
            (Hat.ACTION_OWNER, item.pk),
        ]
    )
    assert at_meeting.of(Hat.PARTICIPANT)[0].detail == "registered"
    assert at_meeting.own_sessions == {
        chaired.pk,
        moderated.agenda_session_id,
        spoken.agenda_session_id,
    }
    assert [(row.kind, row.detail) for row in hats.focal_cities] == [(Hat.FOCAL_POINT, "makassar")]


def test_hats_of_one_meeting_stay_at_that_meeting(meeting):
    person = UserFactory()
    other = MeetingFactory(status="published")
    ParticipantFactory(delegation__meeting=other, user=person, status="registered")

    hats = hats_of(person)

    assert not hats.at(meeting)
    assert hats.at(other).is_participant
    assert hats.meeting_ids == [other.pk]


@pytest.mark.parametrize("status", ["declined", "cancelled", "replaced", "expired"])
def test_participant_without_a_seat_wears_no_participant_hat(meeting, status):
    person = UserFactory()
    ParticipantFactory(delegation__meeting=meeting, user=person, status=status)

    assert not hats_of(person).at(meeting)


def test_withdrawn_participant_loses_the_hat_once_forgotten(meeting):
    person = UserFactory()
    participant = ParticipantFactory(delegation__meeting=meeting, user=person, status="invited")
    assert hats_of(person).at(meeting).is_participant

    participant.status = "cancelled"
    participant.save()
    forget_hats(person)

    assert not hats_of(person).at(meeting)


def test_inactive_or_anonymous_person_wears_nothing(meeting, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    person = UserFactory(is_active=False)
    ParticipantFactory(delegation__meeting=meeting, user=person, status="registered")

    with django_assert_num_queries(0):
        assert not hats_of(person)
        assert not hats_of(AnonymousUser())


def test_people_at_a_meeting_in_one_query(meeting, django_assert_num_queries):
    registered, invitee, speaker, withdrawn = UserFactory.create_batch(4)
    ParticipantFactory(delegation__meeting=meeting, user=registered, status="registered")
    CoordinationSessionFactory(meeting=meeting, chair=None).invited_people.add(invitee)
    SpeakerFactory(panel__conference__meeting=meeting, user=speaker)
    ParticipantFactory(delegation__meeting=meeting, user=withdrawn, status="cancelled")
    ParticipantFactory(delegation__meeting=MeetingFactory(), user=withdrawn, status="registered")

    with django_assert_num_queries(1):
        people = people_at(meeting)

    assert {pk: sorted(hats.kinds) for pk, hats in people.items()} == {
        registered.pk: [Hat.PARTICIPANT],
        invitee.pk: [Hat.COORDINATION_INVITEE],
        speaker.pk: [Hat.SPEAKER],
        # The speaker factory's panel has its own moderator.
        SpeakerFactory._meta.model.objects.get(user=speaker).panel.moderator_id: [Hat.MODERATOR],
    }


def test_withdrawn_or_deleted_participant_loses_access_at_once(client):
    from datetime import datetime

    from django.urls import reverse

    from delegations.services.registration import cancel_participation
    from meetings.agenda.services import publish_agenda

    meeting = MeetingFactory(number=7, status="published")
    session = AgendaSessionFactory(
        meeting=meeting,
        title="Plenary",
        visibility="participants",
        starts_at=datetime(2024, 7, 30, 10, tzinfo=meeting.zone),
        ends_at=datetime(2024, 7, 30, 11, tzinfo=meeting.zone),
    )
    publish_agenda(meeting, actor=UserFactory(role="secretariat"))
    pages = [
        reverse("meetings:agenda_session", args=[7, session.pk]),
        reverse("meetings:my_agenda", args=[7]),
        reverse("meetings:my_agenda_ics", args=[7]),
    ]
    withdrawn, deleted = UserFactory.create_batch(2, role="delegate")
    seat = ParticipantFactory(delegation__meeting=meeting, user=withdrawn, status="registered")
    other = ParticipantFactory(delegation__meeting=meeting, user=deleted, status="registered")

    def statuses(person):
        client.force_login(person)
        return [client.get(url).status_code for url in pages]

    before = statuses(withdrawn), statuses(deleted)
    cancel_participation(seat, reason="Cannot travel", actor=None)
    other.delete()
    after = statuses(withdrawn), statuses(deleted)

    assert before == ([200, 200, 200], [200, 200, 200])
    assert after == ([404, 404, 404], [404, 404, 404])
