"""Numbers and country names in the interface language."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ascn_portal.core.widgets import LocalizedDecimalField
from pilots.forms import ProjectForm
from pilots.models import Country, PartnershipProject

FIELD = LocalizedDecimalField(max_digits=16, decimal_places=2)


@pytest.mark.parametrize(
    ("language", "typed", "value"),
    [
        ("id", "1.250.000.000", Decimal("1250000000")),
        ("id", "1.250.000.000,50", Decimal("1250000000.50")),
        ("id", "660000", Decimal("660000")),
        ("id", "2,5", Decimal("2.5")),
        ("en", "1,250,000,000", Decimal("1250000000")),
        ("en", "1,250,000,000.50", Decimal("1250000000.50")),
        ("en", " 660000 ", Decimal("660000")),
    ],
)
def test_money_is_typed_as_the_language_writes_it(language, typed, value):
    with translation.override(language):
        assert FIELD.clean(typed) == value


@pytest.mark.parametrize("typed", ["1.25.000", "12,5,0", "lots"])
def test_a_number_that_is_not_one_is_refused(typed):
    with translation.override("id"), pytest.raises(ValidationError):
        FIELD.clean(typed)


def test_project_value_is_shown_as_the_language_writes_it():
    project = PartnershipProject(value=Decimal("1250000000.00"), currency="IDR")

    with translation.override("id"):
        indonesian = str(ProjectForm(instance=project)["value"])
    with translation.override("en"):
        english = str(ProjectForm(instance=project)["value"])

    assert 'value="1.250.000.000,00"' in indonesian
    assert 'inputmode="decimal"' in indonesian
    assert 'value="1,250,000,000.00"' in english


@pytest.mark.django_db
def test_country_names_are_in_the_interface_language():
    viet_nam = Country.objects.get(code="VN")

    with translation.override("id"):
        assert (str(viet_nam), viet_nam.name) == ("Vietnam", "Viet Nam")
    with translation.override("en"):
        assert str(viet_nam) == "Viet Nam"
