from datetime import date, datetime, timedelta

import factory

from meetings.models import (
    ActionItem,
    AgendaPoint,
    Attendance,
    CoordinationSession,
    Minutes,
)
from pilots.models import Country, Organisation
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory

JAKARTA = "Asia/Jakarta"


def indonesia():
    # get_or_create: transactional tests flush the rows the data migration added.
    return Country.objects.get_or_create(
        code="ID", defaults={"iso3": "IDN", "name": "Indonesia", "is_asean_member": True}
    )[0]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name", "country")

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "national_agency"
    country = None


def home_affairs():
    return OrganisationFactory(
        name="Ministry of Home Affairs, Directorate General of Regional Administration",
        country=indonesia(),
    )


class CoordinationSessionFactory(factory.django.DjangoModelFactory):
    """An in-person session in Jakarta, with its working copy of the minutes."""

    class Meta:
        model = CoordinationSession
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Coordination meeting {n}")
    purpose = "Prepare Indonesia's part in the annual meeting."
    time_zone = JAKARTA
    starts_at = factory.LazyAttribute(
        lambda o: datetime(
            2024, 6, 24, 9, 0, tzinfo=CoordinationSession(time_zone=o.time_zone).zone
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    mode = "in_person"
    place = "Ministry of Home Affairs, Jakarta"
    video_link = ""
    convening_organisation = factory.LazyFunction(home_affairs)
    chair = factory.SubFactory(UserFactory, role="national_representative")

    @factory.post_generation
    def minutes(self, create, extracted, **kwargs):
        if create:
            Minutes.objects.get_or_create(session=self)


class AgendaPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaPoint

    session = factory.SubFactory(CoordinationSessionFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Point {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(CoordinationSessionFactory)
    name = factory.Faker("name")
    status = "in_person"


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    session = factory.SubFactory(CoordinationSessionFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_person = factory.SubFactory(UserFactory)
    due_date = date(2024, 7, 19)
    status = "open"
