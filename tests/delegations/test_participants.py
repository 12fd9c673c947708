import pytest
from django.urls import reverse

from delegations.models import Participant
from pilots.models import Organisation, OrganisationKind
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(role="secretariat"))
    return client


@pytest.fixture
def roster():
    indonesia = DelegationFactory(name="Lao PDR")
    observers = DelegationFactory(meeting=indonesia.meeting, country=None, name="UNESCAP")
    city = Organisation.objects.create(
        name="Makassar City Government", kind=OrganisationKind.CITY_GOVERNMENT
    )
    ParticipantFactory(
        delegation=indonesia,
        full_name="Andi",
        status="registered",
        role="city_representative",
        organisation=city,
    )
    ParticipantFactory(delegation=indonesia, full_name="Sari", status="invited")
    ParticipantFactory(delegation=indonesia, full_name="Yusuf", status="declined")
    ParticipantFactory(delegation=observers, full_name="Priya", status="invited")
    return indonesia


def names(response):
    return [p.full_name for p in response.context["page"].object_list]


def test_counts_by_delegation_and_status(secretariat_client, roster):
    response = secretariat_client.get(reverse("delegations:participants"))

    assert response.context["counts"] == [
        ("Lao PDR", {"registered": 1, "invited": 1, "declined": 1}, 3),
        ("UNESCAP", {"invited": 1}, 1),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "invited"}, ["Priya", "Sari"]),
        ({"role": "city_representative"}, ["Andi"]),
        ({"kind": "city_government"}, ["Andi"]),
    ],
)
def test_filters(secretariat_client, roster, query, expected):
    response = secretariat_client.get(reverse("delegations:participants"), query)

    assert names(response) == expected


def test_filter_by_country(secretariat_client, roster):
    response = secretariat_client.get(
        reverse("delegations:participants"), {"country": roster.country.pk}
    )

    assert names(response) == ["Andi", "Sari", "Yusuf"]


@pytest.mark.parametrize("role", ["national_representative", "delegate"])
def test_overview_is_secretariat_only(client, roster, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("delegations:participants")).status_code == 403


@pytest.mark.parametrize("count", [10, 2000])
def test_overview_query_count_is_constant(
    secretariat_client, roster, count, django_assert_max_num_queries
):
    Participant.objects.bulk_create(
        Participant(delegation=roster, full_name=f"Person {n}", email=f"p{n}@x.example")
        for n in range(count)
    )

    with django_assert_max_num_queries(9):
        response = secretariat_client.get(reverse("delegations:participants"))

    assert len(response.context["page"].object_list) == min(count + 4, 50)
