from datetime import date

import factory
from django.utils.text import slugify

from pilots.enums import CityStatus, FocusAreaCode, OrganisationKind, ProjectStatus
from pilots.models import (
    Country,
    FocusArea,
    Organisation,
    PartnershipProject,
    PilotCity,
    ProgressUpdate,
)

ASEAN = {
    "BN": ("BRN", "Brunei Darussalam"),
    "KH": ("KHM", "Cambodia"),
    "ID": ("IDN", "Indonesia"),
    "LA": ("LAO", "Lao PDR"),
    "MY": ("MYS", "Malaysia"),
    "MM": ("MMR", "Myanmar"),
    "PH": ("PHL", "Philippines"),
    "SG": ("SGP", "Singapore"),
    "TH": ("THA", "Thailand"),
    "VN": ("VNM", "Viet Nam"),
}


def member_state(code="ID"):
    # get_or_create: transactional tests flush the rows the data migration added.
    iso3, name = ASEAN[code]
    return Country.objects.get_or_create(
        code=code, defaults={"iso3": iso3, "name": name, "is_asean_member": True}
    )[0]


def focus_area(code):
    return FocusArea.objects.get_or_create(
        code=code, defaults={"position": FocusAreaCode.values.index(code) + 1}
    )[0]


def reference_data():
    """The rows the data migrations add (member states, focus areas), which a
    transactional test before this one may have flushed."""
    for code in ASEAN:
        member_state(code)
    for code in FocusAreaCode.values:
        focus_area(code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name", "country")

    name = factory.Sequence(lambda n: f"Partner {n} Co. Ltd.")
    kind = OrganisationKind.PRIVATE_SECTOR
    country = None


class PilotCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotCity
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    country = factory.LazyFunction(member_state)
    status = CityStatus.PILOT
    joined_year = 2018

    @factory.post_generation
    def focus_areas(self, create, codes, **kwargs):
        if create and codes:
            self.focus_areas.set([focus_area(code) for code in codes])

    @factory.post_generation
    def focal_points(self, create, users, **kwargs):
        if create and users:
            self.focal_points.set(users)


class PartnershipProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipProject

    city = factory.SubFactory(PilotCityFactory)
    partner = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    status = ProjectStatus.ONGOING


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    project = factory.SubFactory(PartnershipProjectFactory)
    date = date(2024, 7, 9)
    note = "Heard from the city."
    previous_status = factory.LazyAttribute(lambda o: o.project.status)
