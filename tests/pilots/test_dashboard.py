from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pilots import queries
from pilots.enums import CityStatus
from pilots.models import PartnershipProject
from tests.factories import UserFactory
from tests.factories.pilots import (
    PartnershipProjectFactory,
    PilotCityFactory,
    ProgressUpdateFactory,
    member_state,
)
from tests.pilots.conftest import populate

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

URL = reverse("pilots:dashboard")


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(role="secretariat"))
    return client


@pytest.mark.parametrize("role", ["delegate", "national_representative", "moderator", "speaker"])
def test_dashboard_forbidden_to_other_roles(client, role):
    client.force_login(UserFactory(role=role))

    response = client.get(URL)

    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def test_dashboard_forbidden_to_a_focal_point(client, focal_point, makassar):
    client.force_login(focal_point)

    assert client.get(URL).status_code == 403


def test_dashboard_sends_anonymous_visitors_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


def test_dashboard_link_only_for_the_secretariat(client, secretariat_client):
    assert "Shepherd dashboard" in secretariat_client.get(reverse("home")).content.decode()
    client.logout()
    client.force_login(UserFactory(role="delegate"))
    content = client.get(reverse("home")).content.decode()
    assert ("Shepherd dashboard" in content, "Pilot cities" in content) == (False, True)


def test_dashboard_counts_cities_and_projects_by_country_and_status(secretariat_client):
    thailand = member_state("TH")
    makassar = PilotCityFactory(name="Makassar")
    PilotCityFactory(name="Sumedang", status=CityStatus.CANDIDATE)
    phuket = PilotCityFactory(name="Phuket", country=thailand)
    PilotCityFactory(name="Chiang Mai", country=thailand, status=CityStatus.MEMBER)
    PartnershipProjectFactory(city=makassar, status="stalled")
    PartnershipProjectFactory(city=makassar, status="ongoing")
    PartnershipProjectFactory(city=phuket, status="completed")

    response = secretariat_client.get(URL)

    assert response.context["cities"] == [
        {"country": "Indonesia", "counts": [1, 0, 1], "total": 2},
        {"country": "Thailand", "counts": [1, 1, 0], "total": 2},
    ]
    assert response.context["projects"] == [
        {"country": "Indonesia", "counts": [0, 1, 0, 1], "total": 2},
        {"country": "Thailand", "counts": [0, 0, 1, 0], "total": 1},
    ]
    chart = response.context["projects_chart"]
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("Proposed", 0),
        ("Ongoing", 1),
        ("Completed", 1),
        ("Stalled", 1),
    ]
    content = response.content.decode()
    assert content.count('role="img"') == 2
    assert '<title id="cities-chart-title">Number of cities per member state</title>' in content
    assert "style=" not in content
    assert content.count("<h1>") == 1


def test_dashboard_lists_silent_and_stalled_projects(secretariat_client):
    today = timezone.localdate()
    city = PilotCityFactory(name="Phuket")
    silent = PartnershipProjectFactory(city=city, title="WiSE pairing")
    ProgressUpdateFactory(project=silent, date=today - timedelta(days=200))
    recent = PartnershipProjectFactory(city=city, title="Recent", status="stalled")
    ProgressUpdateFactory(project=recent, date=today - timedelta(days=20))
    ProgressUpdateFactory(project=recent, date=today - timedelta(days=400))
    done = PartnershipProjectFactory(city=city, title="Done", status="completed")
    ProgressUpdateFactory(project=done, date=today - timedelta(days=900))
    never = PartnershipProjectFactory(city=city, title="Never heard of")
    PartnershipProject.objects.filter(pk=never.pk).update(
        created_at=timezone.now() - timedelta(days=365)
    )
    PartnershipProjectFactory(city=city, title="Just entered")

    response = secretariat_client.get(URL)

    # The longest silent first: never updated in a year, then no news for 200 days.
    assert [p.title for p in response.context["stale"]] == ["Never heard of", "WiSE pairing"]
    assert [p.title for p in response.context["stalled"]] == ["Recent"]
    assert (response.context["stale_count"], response.context["stalled_count"]) == (2, 1)


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    from datetime import date

    assert queries.months_before(date(2026, 11, 28), 6) == date(2026, 5, 28)
    assert queries.months_before(date(2024, 8, 31), 6) == date(2024, 2, 29)
    assert queries.months_before(date(2024, 3, 15), 6) == date(2023, 9, 15)


@pytest.mark.parametrize("count", [30, 300])
def test_dashboard_query_count_is_constant(
    secretariat_client, count, django_assert_max_num_queries
):
    populate(count)

    with django_assert_max_num_queries(8):
        response = secretariat_client.get(URL)

    assert sum(row["total"] for row in response.context["cities"]) == count
    assert len(response.context["stale"]) == 25
