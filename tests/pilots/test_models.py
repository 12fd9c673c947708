from datetime import date

import pytest
from django.db import IntegrityError, transaction

from pilots.models import FocusArea, PartnershipProject, PilotCity, ProgressUpdate
from tests.factories.pilots import PartnershipProjectFactory, PilotCityFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def test_focus_areas_of_the_framework_in_its_order():
    assert [str(area) for area in FocusArea.objects.all()] == [
        "Civic and social",
        "Health and well-being",
        "Safety and security",
        "Quality environment",
        "Built infrastructure",
        "Industry and innovation",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"value": "-1.00", "currency": "USD"},
        {"value": "10.00", "currency": ""},
        {"value": None, "currency": "USD"},
        {"value": "10.00", "currency": "usd"},
        {"start_date": date(2024, 7, 1), "end_date": date(2024, 6, 30)},
        {"status": "abandoned"},
    ],
)
def test_database_refuses_an_inconsistent_project(fields):
    project = PartnershipProjectFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipProject.objects.filter(pk=project.pk).update(**fields)


@pytest.mark.parametrize("fields", [{"status": "former"}, {"joined_year": 2017}, {"slug": "other"}])
def test_database_refuses_an_inconsistent_city(fields):
    PilotCityFactory(name="Other")
    city = PilotCityFactory(name="Makassar")

    with pytest.raises(IntegrityError), transaction.atomic():
        PilotCity.objects.filter(pk=city.pk).update(**fields)


def test_database_refuses_an_unknown_status_change():
    project = PartnershipProjectFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            project=project,
            date=date(2024, 7, 9),
            note="x",
            previous_status="ongoing",
            new_status="abandoned",
        )


def test_stable_addresses_for_links_from_other_apps():
    project = PartnershipProjectFactory(city=PilotCityFactory(name="Ho Chi Minh City"))

    assert project.city.get_absolute_url() == "/pilots/cities/ho-chi-minh-city/"
    assert project.get_absolute_url() == f"/pilots/projects/{project.pk}/"
