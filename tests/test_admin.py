import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("url_name", "query", "expected"),
    [
        ("admin:accounts_user_changelist", {"q": "lestari"}, "Dewi Lestari"),
        ("admin:accounts_user_changelist", {"role__exact": "delegate"}, "Dewi Lestari"),
        ("admin:pilots_country_changelist", {"q": "Lao"}, "Lao PDR"),
        ("admin:pilots_country_changelist", {"is_asean_member__exact": "1"}, "Viet Nam"),
    ],
)
def test_admin_lists_reference_data_with_search_and_filters(
    admin_client, url_name, query, expected
):
    UserFactory(full_name="Dewi Lestari", role="delegate")
    UserFactory(full_name="Budi Santoso", role="national_representative")

    response = admin_client.get(reverse(url_name), query)

    assert response.status_code == 200
    assert expected in response.content.decode()


def test_admin_user_search_excludes_non_matches(admin_client):
    UserFactory(full_name="Dewi Lestari")
    UserFactory(full_name="Budi Santoso")

    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "lestari"})

    assert [str(user) for user in response.context["cl"].result_list] == ["Dewi Lestari"]


def test_admin_closed_to_non_staff(client):
    client.force_login(UserFactory(role="secretariat"))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:meetings_meeting_changelist",
        "admin:meetings_agendasession_changelist",
        "admin:meetings_coordinationsession_changelist",
        "admin:meetings_actionitem_changelist",
    ],
)
def test_admin_has_the_meetings_of_both_parts(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200
