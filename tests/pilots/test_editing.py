import pytest
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from pilots.enums import CityStatus, OrganisationKind
from pilots.models import PartnershipProject, PilotCity
from tests.factories import UserFactory
from tests.factories.pilots import OrganisationFactory, focus_area, member_state

# Date logic: also run with the clock at the day's edges (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

VIEWERS = ["anonymous", "delegate", "makassar_focal_point", "secretariat"]


@pytest.fixture
def as_viewer(client, focal_point):
    def log_in(viewer):
        if viewer == "delegate":
            client.force_login(UserFactory(role="delegate"))
        elif viewer == "makassar_focal_point":
            client.force_login(focal_point)
        elif viewer == "secretariat":
            client.force_login(UserFactory(role="secretariat"))
        return client

    return log_in


@pytest.fixture
def ese():
    return OrganisationFactory(name="ESE Co. Ltd.", kind=OrganisationKind.PRIVATE_SECTOR)


def edit_urls(city, project):
    return [
        reverse("pilots:city_edit", args=[city.slug]),
        reverse("pilots:project_create", args=[city.slug]),
        reverse("pilots:project_edit", args=[project.pk]),
    ]


def expected_for(viewer, *, own):
    return {
        "anonymous": 302,
        "delegate": 404,
        "makassar_focal_point": 200 if own else 404,
        "secretariat": 200,
    }[viewer]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_everyone_reads_the_registry(as_viewer, viewer, makassar, makassar_project):
    client = as_viewer(viewer)

    urls = [
        reverse("pilots:directory"),
        makassar.get_absolute_url(),
        makassar_project.get_absolute_url(),
        reverse("pilots:partnerships"),
        reverse("pilots:directory_csv"),
        reverse("pilots:partnerships_csv"),
    ]

    assert [client.get(url).status_code for url in urls] == [200] * 6


@pytest.mark.parametrize("viewer", VIEWERS)
def test_edit_pages_of_own_city(as_viewer, viewer, makassar, makassar_project):
    client = as_viewer(viewer)

    responses = [client.get(url) for url in edit_urls(makassar, makassar_project)]

    assert [r.status_code for r in responses] == [expected_for(viewer, own=True)] * 3
    if viewer == "anonymous":
        assert all(r.url.startswith(reverse("account_login")) for r in responses)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_edit_pages_of_another_city(as_viewer, viewer, makassar, banyuwangi, banyuwangi_project):
    client = as_viewer(viewer)

    responses = [client.get(url) for url in edit_urls(banyuwangi, banyuwangi_project)]

    assert [r.status_code for r in responses] == [expected_for(viewer, own=False)] * 3


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("anonymous", 302), ("delegate", 403), ("makassar_focal_point", 403), ("secretariat", 200)],
)
def test_only_the_secretariat_adds_cities(as_viewer, viewer, expected, makassar):
    client = as_viewer(viewer)

    assert client.get(reverse("pilots:city_create")).status_code == expected


def test_edit_buttons_only_for_those_who_may_edit(client, focal_point, makassar, banyuwangi):
    client.force_login(focal_point)

    own = client.get(makassar.get_absolute_url()).content.decode()
    other = client.get(banyuwangi.get_absolute_url()).content.decode()

    assert ("Edit this city" in own, "Edit this city" in other) == (True, False)


def test_focal_point_of_makassar_cannot_change_banyuwangi(
    client, focal_point, makassar, banyuwangi, banyuwangi_project, ese
):
    client.force_login(focal_point)

    responses = [
        client.post(
            reverse("pilots:city_edit", args=[banyuwangi.slug]),
            {"focal_point_name": "Intruder", "profile": "Changed", "sources": ""},
        ),
        client.post(
            reverse("pilots:project_create", args=[banyuwangi.slug]),
            project_data(ese, title="Planted"),
        ),
        client.post(
            reverse("pilots:progress_create", args=[banyuwangi_project.pk]),
            {"date": "2024-07-09", "note": "Stalled!", "new_status": "stalled"},
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    banyuwangi.refresh_from_db()
    banyuwangi_project.refresh_from_db()
    assert (banyuwangi.focal_point_name, banyuwangi.profile) == ("", "")
    assert banyuwangi_project.status == "ongoing"
    assert PartnershipProject.objects.filter(title="Planted").count() == 0
    assert AuditEntry.objects.count() == 0


def test_focal_point_edits_own_profile_but_not_status_or_focal_points(
    client, focal_point, makassar
):
    client.force_login(focal_point)
    area = focus_area("quality_environment")

    response = client.post(
        reverse("pilots:city_edit", args=[makassar.slug]),
        {
            "focal_point_name": "Chief Smart City Officer of Makassar",
            "profile": "Lorong Wisata and telemedicine.",
            "sources": "https://example.org/makassar",
            "focus_areas": [focus_area("health_wellbeing").pk, area.pk],
            # Fields of the secretariat's form, which this form does not have:
            "status": "candidate",
            "name": "Renamed",
            "focal_point_emails": "someone@ascn.example",
        },
    )

    assert response.status_code == 302
    makassar.refresh_from_db()
    assert makassar.name == "Makassar"
    assert makassar.status == CityStatus.PILOT
    assert makassar.profile == "Lorong Wisata and telemedicine."
    assert sorted(makassar.focus_areas.values_list("code", flat=True)) == [
        "health_wellbeing",
        "quality_environment",
    ]
    assert list(makassar.focal_points.all()) == [focal_point]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.data) == (
        "pilots.city.update",
        focal_point,
        {
            "slug": "makassar",
            "status": "pilot",
            "focus_areas": ["health_wellbeing", "quality_environment"],
        },
    )


def test_secretariat_creates_a_candidate_city_with_its_focal_point(client):
    client.force_login(UserFactory(role="secretariat"))
    person = UserFactory(email="csco@sumedang.example")

    response = client.post(
        reverse("pilots:city_create"),
        {
            "name": "Sumedang",
            "slug": "",
            "country": member_state("ID").pk,
            "status": "candidate",
            "joined_year": "2024",
            "focus_areas": [focus_area("civic_social").pk],
            "focal_point_name": "",
            "focal_point_emails": "CSCO@sumedang.example",
            "profile": "Kabupaten in West Java.",
            "sources": "",
        },
    )

    city = PilotCity.objects.get()
    assert response.url == "/pilots/cities/sumedang/"
    assert (city.name, city.status, city.joined_year) == ("Sumedang", "candidate", 2024)
    assert list(city.focal_points.all()) == [person]
    assert AuditEntry.objects.get().action == "pilots.city.create"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"focal_point_emails": "nobody@ascn.example"},
            "focal_point_emails",
            "No active account uses nobody@ascn.example.",
        ),
        (
            {"joined_year": "2017"},
            "joined_year",
            "The ASCN was founded in 2018; no city joined earlier.",
        ),
        ({"joined_year": "2999"}, "joined_year", "The year joined cannot be in the future."),
        (
            {"name": "Makassar"},
            "__all__",
            "Pilot city with this Member state and Name already exists.",
        ),
        ({"slug": "makassar"}, "slug", "Another city already uses this web address."),
        ({"name": "", "slug": ""}, "name", "This field is required."),
    ],
)
def test_bad_city_shows_the_error_and_writes_nothing(client, makassar, overrides, field, message):
    client.force_login(UserFactory(role="secretariat"))
    data = {
        "name": "Sumedang",
        "slug": "",
        "country": member_state("ID").pk,
        "status": "candidate",
        "joined_year": "2024",
        "focal_point_emails": "",
        **overrides,
    }

    response = client.post(reverse("pilots:city_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert PilotCity.objects.count() == 1
    assert AuditEntry.objects.count() == 0


def project_data(organisation, **overrides):
    return {
        "partner": organisation.pk,
        "programme": "",
        "title": "Smart city control centre",
        "scope": "Flood simulation of the Serayu river.",
        "value": "660000.00",
        "currency": "usd",
        "supported_by": "Ministry of Agrarian Affairs and Spatial Planning",
        "supervised_by": "Banyumas Regency Government",
        "start_date": "2023-09-01",
        "end_date": "2024-06-30",
        "status": "ongoing",
        "source": "",
        **overrides,
    }


def test_focal_point_adds_a_project_to_own_city(client, focal_point, makassar, ese):
    client.force_login(focal_point)

    response = client.post(
        reverse("pilots:project_create", args=[makassar.slug]), project_data(ese)
    )

    project = PartnershipProject.objects.get()
    assert response.url == project.get_absolute_url()
    assert (project.city, project.partner, str(project.value), project.currency) == (
        makassar,
        ese,
        "660000.00",
        "USD",
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data["value"], entry.data["currency"]) == (
        "pilots.project.create",
        "660000.00",
        "USD",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": "-5"}, "value", "The value cannot be negative."),
        ({"value": "six hundred"}, "value", "Enter a number."),
        ({"value": "NaN"}, "value", "Enter a number."),
        ({"value": "1e400"}, "value", "Ensure that there are no more than 18 digits in total."),
        (
            {"currency": "XYZ"},
            "currency",
            "“XYZ” is not an ISO 4217 currency code; use three letters such as USD.",
        ),
        (
            {"currency": "US"},
            "currency",
            "“US” is not an ISO 4217 currency code; use three letters such as USD.",
        ),
        ({"currency": ""}, "currency", "Give the currency of the value."),
        ({"value": ""}, "value", "Give the value in this currency, or no currency."),
        ({"end_date": "2023-08-31"}, "end_date", "The project cannot end before it starts."),
        ({"partner": ""}, "partner", "This field is required."),
    ],
)
def test_bad_project_shows_the_error_in_the_page_and_writes_nothing(
    client, focal_point, makassar, ese, overrides, field, message
):
    client.force_login(focal_point)

    response = client.post(
        reverse("pilots:project_create", args=[makassar.slug]), project_data(ese, **overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert PartnershipProject.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_partner_must_be_a_partner_organisation(client, focal_point, makassar):
    client.force_login(focal_point)
    ministry = OrganisationFactory(
        name="Ministry of Home Affairs", kind=OrganisationKind.NATIONAL_AGENCY
    )

    response = client.post(
        reverse("pilots:project_create", args=[makassar.slug]), project_data(ministry)
    )

    assert response.context["form"].errors["partner"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert PartnershipProject.objects.count() == 0


def test_editing_a_project_keeps_its_status(client, focal_point, makassar_project, ese):
    client.force_login(focal_point)
    PartnershipProject.objects.filter(pk=makassar_project.pk).update(status="stalled")

    response = client.post(
        reverse("pilots:project_edit", args=[makassar_project.pk]),
        project_data(ese, title="Renamed", status="completed", value="", currency=""),
    )

    assert response.status_code == 302
    makassar_project.refresh_from_db()
    assert (makassar_project.title, makassar_project.status, makassar_project.value) == (
        "Renamed",
        "stalled",
        None,
    )


def test_project_form_in_bahasa_indonesia_keeps_dates_readable_by_the_date_picker(
    client, focal_point, makassar_project
):
    PartnershipProject.objects.filter(pk=makassar_project.pk).update(start_date="2023-09-01")
    focal_point.language = "id"
    focal_point.save(update_fields=["language"])
    client.force_login(focal_point)

    response = client.get(reverse("pilots:project_edit", args=[makassar_project.pk]))

    content = response.content.decode()
    assert '<html lang="id">' in content
    assert 'type="date" name="start_date" value="2023-09-01"' in content
