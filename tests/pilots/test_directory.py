import csv
import io

import pytest
from django.urls import reverse

from pilots.enums import CityStatus
from pilots.models import PilotCity
from tests.factories.pilots import PartnershipProjectFactory, PilotCityFactory, member_state
from tests.pilots.conftest import populate

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def cities():
    thailand = member_state("TH")
    PilotCityFactory(name="Makassar", focus_areas=["health_wellbeing"])
    PilotCityFactory(name="Banyuwangi", focus_areas=["health_wellbeing", "civic_social"])
    PilotCityFactory(name="Sumedang", status=CityStatus.CANDIDATE, joined_year=2024)
    PilotCityFactory(name="Phuket", country=thailand, focus_areas=["quality_environment"])
    PilotCityFactory(
        name="Chiang Mai", country=thailand, status=CityStatus.MEMBER, joined_year=2023
    )


def names(response):
    return [city.name for city in response.context["page"].object_list]


def test_directory_lists_cities_in_asean_order_without_login(client, cities):
    response = client.get(reverse("pilots:directory"))

    assert response.status_code == 200
    assert names(response) == ["Banyuwangi", "Makassar", "Sumedang", "Chiang Mai", "Phuket"]
    assert response.content.decode().count("<h1>") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "TH"}, ["Chiang Mai", "Phuket"]),
        ({"country": "ID"}, ["Banyuwangi", "Makassar", "Sumedang"]),
        ({"status": "candidate"}, ["Sumedang"]),
        ({"status": "member"}, ["Chiang Mai"]),
        ({"focus_area": "health_wellbeing"}, ["Banyuwangi", "Makassar"]),
        ({"focus_area": "civic_social"}, ["Banyuwangi"]),
        ({"country": "TH", "focus_area": "quality_environment"}, ["Phuket"]),
        ({"country": "TH", "status": "pilot", "focus_area": "health_wellbeing"}, []),
    ],
)
def test_directory_filters(client, cities, query, expected):
    response = client.get(reverse("pilots:directory"), query)

    assert names(response) == expected


def test_directory_counts_projects_and_shows_focus_areas(client, cities):
    makassar = PilotCity.objects.get(name="Makassar")
    PartnershipProjectFactory.create_batch(2, city=makassar)

    response = client.get(reverse("pilots:directory"), {"country": "ID"})

    rows = {city.name: city.project_count for city in response.context["page"].object_list}
    assert rows == {"Banyuwangi": 0, "Makassar": 2, "Sumedang": 0}
    by_area = client.get(reverse("pilots:directory"), {"focus_area": "health_wellbeing"})
    assert [c.project_count for c in by_area.context["page"].object_list] == [0, 2]
    # Focus areas in the framework's order, whatever order they were added in.
    assert "<td>Civic and social, Health and well-being</td>" in response.content.decode()


def test_directory_unknown_filter_value_shows_the_error(client, cities):
    response = client.get(reverse("pilots:directory"), {"country": "XX"})

    assert response.context["form"].errors["country"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_city_page_shows_projects_and_totals_per_currency(client):
    city = PilotCityFactory(name="Banyumas", status=CityStatus.CANDIDATE)
    PartnershipProjectFactory(
        city=city,
        title="Control centre",
        value="660000",
        currency="USD",
        start_date="2023-09-01",
        end_date="2024-06-30",
    )
    PartnershipProjectFactory(city=city, title="Training", value="0.10", currency="USD")
    PartnershipProjectFactory(city=city, title="K-City", value="300000000", currency="KRW")
    PartnershipProjectFactory(city=city, title="Unknown value")

    response = client.get(city.get_absolute_url())

    assert response.status_code == 200
    assert [p.title for p in response.context["projects"]] == [
        "Control centre",
        "K-City",
        "Training",
        "Unknown value",
    ]
    assert [(c, str(t)) for c, t in response.context["totals"]] == [
        ("KRW", "300000000.00"),
        ("USD", "660000.10"),
    ]
    content = response.content.decode()
    assert "USD 660,000" in content
    assert "1 Sep 2023 – 30 Jun 2024" in content
    assert "Edit this city" not in content


def test_unknown_city_is_404(client):
    assert client.get(reverse("pilots:city", args=["atlantis"])).status_code == 404


def test_directory_csv_streams_the_filtered_cities(client, cities):
    phuket = PilotCity.objects.get(name="Phuket")
    phuket.profile = '=HYPERLINK("http://evil.example")'
    phuket.focal_point_name = "@SUM(A1)"
    phuket.sources = "https://example.org/a\nhttps://example.org/b"
    phuket.save()
    PartnershipProjectFactory(city=phuket)

    response = client.get(reverse("pilots:directory_csv"), {"country": "TH"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ascn-pilot-cities.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        [
            "name",
            "country",
            "country_code",
            "status",
            "joined_year",
            "focus_areas",
            "focal_point",
            "projects",
            "profile",
            "sources",
            "url",
        ],
        [
            "Chiang Mai",
            "Thailand",
            "TH",
            "member",
            "2023",
            "",
            "",
            "0",
            "",
            "",
            "http://testserver/pilots/cities/chiang-mai/",
        ],
        [
            "Phuket",
            "Thailand",
            "TH",
            "pilot",
            "2018",
            "quality_environment",
            "'@SUM(A1)",
            "1",
            '\'=HYPERLINK("http://evil.example")',
            "https://example.org/a https://example.org/b",
            "http://testserver/pilots/cities/phuket/",
        ],
    ]


@pytest.mark.parametrize("count", [30, 300])
def test_directory_query_count_is_constant(client, count, django_assert_max_num_queries):
    populate(count)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("pilots:directory"))

    assert len(response.context["page"].object_list) == min(count, 50)


@pytest.mark.parametrize("count", [30, 300])
def test_city_page_query_count_is_constant(client, count, django_assert_max_num_queries):
    cities = populate(count, projects_per_city=count // 10)

    with django_assert_max_num_queries(4):
        response = client.get(cities[7].get_absolute_url())

    assert len(response.context["projects"]) == count // 10
