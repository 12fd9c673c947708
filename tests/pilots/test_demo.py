import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from pilots import demo, queries
from pilots.models import Organisation, PartnershipProject, PilotCity, ProgressUpdate
from tests.factories import UserFactory

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def counts():
    return (
        PilotCity.objects.count(),
        PilotCity.focus_areas.through.objects.count(),
        Organisation.objects.count(),
        PartnershipProject.objects.count(),
        ProgressUpdate.objects.count(),
    )


def test_demo_loads_twice_without_duplicates():
    focal_point = UserFactory(email=demo.FOCAL_POINT_EMAIL)

    demo.load()
    first = counts()
    demo.load()

    assert counts() == first
    assert first[0] == 32  # the 31 cities of June 2024 and Banyumas
    makassar = PilotCity.objects.get(slug="makassar")
    assert list(makassar.focal_points.all()) == [focal_point]


def test_demo_has_the_real_cities_and_the_banyumas_project():
    demo.load()

    by_status = {
        status: sorted(PilotCity.objects.filter(status=status).values_list("name", flat=True))
        for status in ("pilot", "member", "candidate")
    }
    assert len(by_status["pilot"]) == 26
    assert by_status["member"] == ["Chiang Mai", "Khon Kaen", "Rayong", "Sihanoukville"]
    assert by_status["candidate"] == ["Banyumas", "Sumedang"]
    project = PartnershipProject.objects.get(partner__name="ESE Co. Ltd.")
    assert (project.city.name, project.value, project.currency, project.status) == (
        "Banyumas",
        Decimal("660000.00"),
        "USD",
        "ongoing",
    )
    assert project.supported_by == "Ministry of Agrarian Affairs and Spatial Planning"
    assert list(queries.stalled_projects().values_list("city__name", flat=True)) == ["Makassar"]
    stale = queries.stale_projects(today=timezone.localdate())
    assert list(stale.values_list("city__name", flat=True)) == ["Phuket"]


def test_load_demo_command_makes_the_focal_point_of_makassar():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    makassar = PilotCity.objects.get(slug="makassar")
    assert list(makassar.focal_points.values_list("email", flat=True)) == [
        "focal.makassar@ascn.example"
    ]
    assert PilotCity.objects.count() == 32
    assert Organisation.objects.filter(name="ESE Co. Ltd.").count() == 1
