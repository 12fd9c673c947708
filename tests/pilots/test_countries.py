import pytest

from pilots.models import Country

pytestmark = pytest.mark.django_db


def test_member_states_listed_in_asean_order():
    names = list(Country.objects.asean_members().values_list("name", flat=True))

    assert names == [
        "Brunei Darussalam",
        "Cambodia",
        "Indonesia",
        "Lao PDR",
        "Malaysia",
        "Myanmar",
        "Philippines",
        "Singapore",
        "Thailand",
        "Viet Nam",
    ]


def test_member_states_come_before_other_countries():
    Country.objects.create(code="KR", iso3="KOR", name="Republic of Korea")

    assert list(Country.objects.values_list("code", flat=True))[-1] == "KR"
