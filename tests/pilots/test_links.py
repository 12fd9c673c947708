"""The registry seen from the rest of the portal: who represented a city where."""

import pytest
from django.urls import reverse

from delegations.models import Participant
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def test_city_page_lists_the_meetings_its_representatives_registered_for(client, makassar):
    for number, status, meeting_status in [
        (6, "registered", "closed"),
        (7, "registered", "published"),
        (8, "invited", "published"),  # not (yet) attending
        (9, "registered", "draft"),  # not announced
    ]:
        meeting = MeetingFactory(
            number=number, title=f"{number}th ASCN Annual Meeting", status=meeting_status
        )
        delegation = DelegationFactory(meeting=meeting, country=makassar.country)
        ParticipantFactory(delegation=delegation, pilot_city=makassar, status=status)
    ParticipantFactory(delegation=delegation, status="registered")  # no city

    page = client.get(makassar.get_absolute_url()).content.decode()

    assert "7th ASCN Annual Meeting" in page
    assert "6th ASCN Annual Meeting" in page
    assert page.index("7th ASCN Annual Meeting") < page.index("6th ASCN Annual Meeting")
    assert "8th ASCN" not in page
    assert "9th ASCN" not in page


def test_nr_nominates_a_city_representative(client, makassar):
    nr = UserFactory(role="national_representative")
    delegation = DelegationFactory(country=makassar.country, national_representative=nr)
    client.force_login(nr)

    client.post(
        reverse("delegations:nominate", args=[delegation.pk]),
        {
            "full_name": "Andi Rahman",
            "email": "andi@makassar.example",
            "role": "city_representative",
            "pilot_city": str(makassar.pk),
            "language": "id",
        },
    )

    participant = Participant.objects.get()
    assert participant.pilot_city == makassar
    page = client.get(reverse("delegations:participant", args=[participant.pk])).content.decode()
    assert makassar.get_absolute_url() in page
