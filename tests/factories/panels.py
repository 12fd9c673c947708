from datetime import datetime

import factory

from meetings.agenda.enums import SessionKind
from panels.models import Conference, Panel, Speaker, TalkingPoints
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaSessionFactory, MeetingFactory


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference
        django_get_or_create = ("meeting",)

    meeting = factory.SubFactory(MeetingFactory, status="published")
    title = "ASCN Conference on Smart Solutions for Solving Urban Issues"


class PanelFactory(factory.django.DjangoModelFactory):
    """A panel in a 75-minute slot, 13:30 to 14:45 on 31 July 2024 in Luang Prabang."""

    class Meta:
        model = Panel

    conference = factory.SubFactory(ConferenceFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Panel title {n}")
    moderator = factory.SubFactory(UserFactory, role="moderator")
    status = "collecting"
    agenda_session = factory.SubFactory(
        AgendaSessionFactory,
        meeting=factory.SelfAttribute("..conference.meeting"),
        kind=SessionKind.CONFERENCE_PANEL,
        starts_at=factory.LazyAttribute(
            lambda o: datetime(2024, 7, 31, 13, 30, tzinfo=o.meeting.zone)
        ),
        ends_at=factory.LazyAttribute(
            lambda o: datetime(2024, 7, 31, 14, 45, tzinfo=o.meeting.zone)
        ),
    )


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    panel = factory.SubFactory(PanelFactory)
    user = factory.SubFactory(UserFactory, role="speaker")
    name = factory.LazyAttribute(lambda o: o.user.full_name)
    position = factory.Sequence(lambda n: n + 1)
    minutes = 15


class TalkingPointsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalkingPoints

    speaker = factory.SubFactory(SpeakerFactory)
    challenges = "Budgets end with the pilot."
    opportunities = "Flood simulation on the Serayu river."
    benefits = "Earlier warnings."
    recommendations = "Agree on data sharing first."
