from datetime import date

import pytest
from django.utils import translation

from pilots.enums import CityStatus, OrganisationKind, ProjectStatus
from pilots.models import FocusArea, PartnershipProject, PilotCity, ProgressUpdate
from tests.factories import UserFactory
from tests.factories.pilots import (
    OrganisationFactory,
    PartnershipProjectFactory,
    PilotCityFactory,
    member_state,
)


@pytest.fixture(autouse=True)
def _english():
    # A request by a person whose saved language is Indonesian leaves it active in the
    # test's thread (the accounts middleware activates it); no test inherits it.
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def focal_point():
    return UserFactory(email="focal.makassar@ascn.example", role="delegate")


@pytest.fixture
def makassar(focal_point):
    return PilotCityFactory(
        name="Makassar", focus_areas=["health_wellbeing"], focal_points=[focal_point]
    )


@pytest.fixture
def banyuwangi():
    return PilotCityFactory(name="Banyuwangi", focus_areas=["health_wellbeing", "civic_social"])


@pytest.fixture
def makassar_project(makassar):
    return PartnershipProjectFactory(city=makassar, title="Lorong Wisata lanes")


@pytest.fixture
def banyuwangi_project(banyuwangi):
    return PartnershipProjectFactory(city=banyuwangi, title="Smart Kampung")


def populate(count, *, projects_per_city=3):
    """``count`` cities spread over the member states, each with two focus areas,
    ``projects_per_city`` projects in mixed currencies and a progress update each."""
    countries = [member_state(code) for code in ("ID", "TH", "VN", "MY", "PH")]
    areas = list(FocusArea.objects.all())
    partners = [
        OrganisationFactory(name=f"Partner {n}", kind=OrganisationKind.PRIVATE_SECTOR)
        for n in range(5)
    ]
    cities = PilotCity.objects.bulk_create(
        PilotCity(
            name=f"Bulk City {n}",
            slug=f"bulk-city-{n}",
            country=countries[n % len(countries)],
            status=list(CityStatus)[n % 3],
            joined_year=2018,
        )
        for n in range(count)
    )
    Through = PilotCity.focus_areas.through
    Through.objects.bulk_create(
        Through(pilotcity=city, focusarea=areas[(n + shift) % len(areas)])
        for n, city in enumerate(cities)
        for shift in (0, 1)
    )
    currencies = ["USD", "KRW", "AUD"]
    projects = PartnershipProject.objects.bulk_create(
        PartnershipProject(
            city=city,
            partner=partners[(n + k) % len(partners)],
            title=f"Project {n}-{k}",
            value=f"{1000 + k}.50",
            currency=currencies[k % len(currencies)],
            status=list(ProjectStatus)[(n + k) % 4],
        )
        for n, city in enumerate(cities)
        for k in range(projects_per_city)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            project=project,
            date=date(2024, 1 + n % 12, 1),
            note="Checked.",
            previous_status=project.status,
        )
        for n, project in enumerate(projects)
    )
    return cities
