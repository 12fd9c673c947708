import factory

from delegations.enums import DelegationKind
from delegations.models import Delegation, Participant
from tests.factories.meetings import MeetingFactory, lao_pdr


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation
        django_get_or_create = ("meeting", "country")

    meeting = factory.SubFactory(MeetingFactory)
    country = factory.LazyFunction(lao_pdr)
    name = factory.LazyAttribute(lambda o: o.country.name if o.country else "Observers")
    kind = factory.LazyAttribute(
        lambda o: DelegationKind.MEMBER_STATE if o.country else DelegationKind.INTERNATIONAL
    )
    quota = 10


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    delegation = factory.SubFactory(DelegationFactory)
    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"participant{n}@ascn.example")
    status = "nominated"


def delegate_at(meeting, status="registered", **fields):
    """A person on a delegation to ``meeting``: the relation that makes them one of its
    participants (the account's role plays no part)."""
    from tests.factories.accounts import UserFactory

    person = UserFactory(role="", **fields)
    ParticipantFactory(
        delegation__meeting=meeting,
        user=person,
        email=person.email,
        full_name=person.full_name,
        status=status,
    )
    return person


def nr_at(meeting, **fields):
    """The National Representative managing a delegation of its own to ``meeting``."""
    from tests.factories.accounts import UserFactory

    person = UserFactory(role="", **fields)
    DelegationFactory(
        meeting=meeting,
        country=None,
        name=f"Delegation of {person.email}",
        national_representative=person,
    )
    return person
