from datetime import date, datetime, timedelta

import factory

from meetings.agenda.enums import SessionKind
from meetings.models import AgendaSession, Meeting, Room
from pilots.models import Country

VIENTIANE = "Asia/Vientiane"


def lao_pdr():
    # get_or_create: transactional tests flush the rows the data migration added.
    return Country.objects.get_or_create(
        code="LA", defaults={"iso3": "LAO", "name": "Lao PDR", "is_asean_member": True}
    )[0]


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    number = factory.Sequence(lambda n: 100 + n)
    title = factory.LazyAttribute(lambda o: f"{o.number}th ASCN Annual Meeting")
    host_city = "Luang Prabang"
    host_country = factory.LazyFunction(lao_pdr)
    chair_country = factory.LazyFunction(lao_pdr)
    start_date = date(2024, 7, 29)
    end_date = date(2024, 8, 2)
    time_zone = VIENTIANE


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


class AgendaSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaSession

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    kind = SessionKind.PLENARY
    starts_at = factory.LazyAttribute(lambda o: datetime(2024, 7, 30, 9, 0, tzinfo=o.meeting.zone))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
