import factory

from delegations.models import Delegation, Participant
from tests.factories.meetings import MeetingFactory, lao_pdr


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation
        django_get_or_create = ("meeting", "country")

    meeting = factory.SubFactory(MeetingFactory)
    country = factory.LazyFunction(lao_pdr)
    name = factory.LazyAttribute(lambda o: o.country.name if o.country else "Observers")
    quota = 10


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    delegation = factory.SubFactory(DelegationFactory)
    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"participant{n}@ascn.example")
    status = "nominated"
