import pytest
from django.urls import reverse

from pilots.models import PartnershipProject, PilotCity
from tests.factories import UserFactory
from tests.factories.pilots import (
    PartnershipProjectFactory,
    PilotCityFactory,
    focus_area,
    member_state,
)

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def registry():
    makassar = PilotCityFactory(name="Makassar", focus_areas=["health_wellbeing"])
    phuket = PilotCityFactory(name="Phuket", country=member_state("TH"), status="member")
    PartnershipProjectFactory(city=makassar, title="Lorong Wisata", status="stalled")
    PartnershipProjectFactory(city=phuket, title="WiSE pairing", currency="USD", value="1")


def results(response):
    return [str(row) for row in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("url_name", "query", "expected"),
    [
        ("admin:pilots_pilotcity_changelist", {"q": "makas"}, ["Makassar"]),
        ("admin:pilots_pilotcity_changelist", {"status__exact": "member"}, ["Phuket"]),
        ("admin:pilots_pilotcity_changelist", {"country__id__exact": "TH"}, ["Phuket"]),
        (
            "admin:pilots_pilotcity_changelist",
            {"focus_areas__id__exact": "health_wellbeing"},
            ["Makassar"],
        ),
        ("admin:pilots_partnershipproject_changelist", {"q": "phuket"}, ["WiSE pairing"]),
        (
            "admin:pilots_partnershipproject_changelist",
            {"status__exact": "stalled"},
            ["Lorong Wisata"],
        ),
        ("admin:pilots_partnershipproject_changelist", {"currency": "USD"}, ["WiSE pairing"]),
    ],
)
def test_admin_lists_the_registry_with_search_and_filters(
    admin_client, registry, url_name, query, expected
):
    # Related filters take primary keys: the codes above stand for them.
    if "country__id__exact" in query:
        query = {"country__id__exact": member_state(query["country__id__exact"]).pk}
    if "focus_areas__id__exact" in query:
        query = {"focus_areas__id__exact": focus_area(query["focus_areas__id__exact"]).pk}

    response = admin_client.get(reverse(url_name), query)

    assert response.status_code == 200
    assert results(response) == expected


def test_admin_change_pages_open(admin_client, registry):
    city = PilotCity.objects.get(name="Makassar")
    project = PartnershipProject.objects.get(title="Lorong Wisata")

    responses = [
        admin_client.get(reverse("admin:pilots_pilotcity_change", args=[city.pk])),
        admin_client.get(reverse("admin:pilots_partnershipproject_change", args=[project.pk])),
        admin_client.get(reverse("admin:pilots_pilotcity_add")),
    ]

    assert [r.status_code for r in responses] == [200, 200, 200]
