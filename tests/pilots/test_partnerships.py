import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from pilots import queries
from pilots.enums import OrganisationKind
from pilots.models import PartnershipProject
from tests.factories.pilots import (
    OrganisationFactory,
    PartnershipProjectFactory,
    PilotCityFactory,
    ProgressUpdateFactory,
    member_state,
)
from tests.pilots.conftest import populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed():
    """Projects in USD, KRW and AUD in Indonesia and Viet Nam, two partners."""
    ese = OrganisationFactory(name="ESE Co. Ltd.")
    molit = OrganisationFactory(
        name="Ministry of Land, Infrastructure and Transport",
        kind=OrganisationKind.DIALOGUE_PARTNER,
    )
    banyumas = PilotCityFactory(name="Banyumas")
    makassar = PilotCityFactory(name="Makassar")
    da_nang = PilotCityFactory(name="Da Nang", country=member_state("VN"))
    for city, partner, value, currency in [
        (banyumas, ese, "660000.00", "USD"),
        (makassar, ese, "0.10", "USD"),
        (makassar, ese, "0.20", "USD"),
        (banyumas, molit, "300000000", "KRW"),
        (da_nang, molit, "450000000", "KRW"),
        (da_nang, ese, "1250000.55", "AUD"),
        (da_nang, molit, "999999999999.99", "USD"),
        (makassar, ese, None, ""),
    ]:
        PartnershipProjectFactory(city=city, partner=partner, value=value, currency=currency)
    return ese, molit


def test_totals_per_country_are_exact_decimals_per_currency(mixed):
    rows = queries.totals_by_country(PartnershipProject.objects.all())

    assert rows == [
        {
            "country": "Indonesia",
            "label": "Indonesia",
            "currency": "KRW",
            "count": 1,
            "total": Decimal("300000000"),
        },
        {
            "country": "Indonesia",
            "label": "Indonesia",
            "currency": "USD",
            "count": 3,
            "total": Decimal("660000.30"),
        },
        {
            "country": "Viet Nam",
            "label": "Viet Nam",
            "currency": "AUD",
            "count": 1,
            "total": Decimal("1250000.55"),
        },
        {
            "country": "Viet Nam",
            "label": "Viet Nam",
            "currency": "KRW",
            "count": 1,
            "total": Decimal("450000000"),
        },
        {
            "country": "Viet Nam",
            "label": "Viet Nam",
            "currency": "USD",
            "count": 1,
            "total": Decimal("999999999999.99"),
        },
    ]
    assert all(type(row["total"]) is Decimal for row in rows)


def test_totals_per_partner_are_exact_decimals_per_currency(mixed):
    ese, molit = mixed

    rows = queries.totals_by_partner(PartnershipProject.objects.all())

    assert rows == [
        {
            "partner": "ESE Co. Ltd.",
            "label": "ESE Co. Ltd.",
            "partner_id": ese.pk,
            "currency": "AUD",
            "count": 1,
            "total": Decimal("1250000.55"),
        },
        {
            "partner": "ESE Co. Ltd.",
            "label": "ESE Co. Ltd.",
            "partner_id": ese.pk,
            "currency": "USD",
            "count": 3,
            "total": Decimal("660000.30"),
        },
        {
            "partner": "Ministry of Land, Infrastructure and Transport",
            "label": "Ministry of Land, Infrastructure and Transport",
            "partner_id": molit.pk,
            "currency": "KRW",
            "count": 2,
            "total": Decimal("750000000"),
        },
        {
            "partner": "Ministry of Land, Infrastructure and Transport",
            "label": "Ministry of Land, Infrastructure and Transport",
            "partner_id": molit.pk,
            "currency": "USD",
            "count": 1,
            "total": Decimal("999999999999.99"),
        },
    ]
    assert all(type(row["total"]) is Decimal for row in rows)


def test_partnerships_page_shows_totals_of_the_filtered_projects(client, mixed):
    response = client.get(reverse("pilots:partnerships"), {"country": "ID"})

    assert response.status_code == 200
    assert [(r["country"], r["currency"], r["total"]) for r in response.context["by_country"]] == [
        ("Indonesia", "KRW", Decimal("300000000")),
        ("Indonesia", "USD", Decimal("660000.30")),
    ]
    assert [(r["partner"], r["currency"]) for r in response.context["by_partner"]] == [
        ("ESE Co. Ltd.", "USD"),
        ("Ministry of Land, Infrastructure and Transport", "KRW"),
    ]
    assert response.context["page"].paginator.count == 5
    content = response.content.decode()
    assert "<td>660,000.30</td>" in content
    assert "<td>300,000,000</td>" in content


def test_partnerships_page_in_bahasa_indonesia_groups_digits_the_indonesian_way(client, mixed):
    response = client.get(
        reverse("pilots:partnerships"), {"country": "ID"}, HTTP_ACCEPT_LANGUAGE="id"
    )

    assert "<td>660.000,30</td>" in response.content.decode()


def test_partnerships_csv_has_exact_values_and_no_formulas(client):
    project = PartnershipProjectFactory(
        city=PilotCityFactory(name="Banyumas"),
        partner=OrganisationFactory(name="ESE Co. Ltd."),
        title="=cmd|' /C calc'!A0",
        scope="-2+3",
        programme="+SUM(1)",
        supported_by="\tTab",
        value="660000.00",
        currency="USD",
        supervised_by="Banyumas Regency Government",
        start_date="2023-09-01",
        source="https://example.org/story",
    )
    ProgressUpdateFactory(project=project, date="2024-07-09")

    response = client.get(reverse("pilots:partnerships_csv"))

    assert response["Content-Disposition"] == 'attachment; filename="ascn-partnerships.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        [
            "city",
            "country",
            "partner",
            "partner_kind",
            "programme",
            "title",
            "scope",
            "value",
            "currency",
            "supported_by",
            "supervised_by",
            "start_date",
            "end_date",
            "status",
            "last_update",
            "source",
            "url",
        ],
        [
            "Banyumas",
            "Indonesia",
            "ESE Co. Ltd.",
            "private_sector",
            "'+SUM(1)",
            "'=cmd|' /C calc'!A0",
            "'-2+3",
            "660000.00",
            "USD",
            "'\tTab",
            "Banyumas Regency Government",
            "2023-09-01",
            "",
            "ongoing",
            "2024-07-09",
            "https://example.org/story",
            f"http://testserver/pilots/projects/{project.pk}/",
        ],
    ]


@pytest.mark.parametrize("count", [30, 300])
def test_partnerships_query_count_is_constant(client, count, django_assert_max_num_queries):
    populate(count)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("pilots:partnerships"))

    assert len(response.context["page"].object_list) == 50
    assert sum(row["count"] for row in response.context["by_country"]) == count * 3


@pytest.mark.parametrize("count", [30, 300])
def test_project_page_query_count_is_constant(client, count, django_assert_max_num_queries):
    cities = populate(count)
    project = cities[3].projects.first()

    with django_assert_max_num_queries(1):
        response = client.get(project.get_absolute_url())

    assert response.status_code == 200
