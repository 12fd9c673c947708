from decimal import Decimal
from typing import Any, Self

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import Combinable
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.permissions import all_or_own
from pilots.enums import (
    CityStatus,
    FocusAreaCode,
    OrganisationKind,
    ProjectStatus,
)
from pilots.validators import validate_currency_code

# The year the ASCN was founded (Concept Note, April 2018): no city joined earlier.
ASCN_FOUNDED = 2018


class CountryQuerySet(models.QuerySet):
    def asean_members(self) -> Self:
        return self.filter(is_asean_member=True)


class Country(models.Model):
    """A country, listed in ASEAN usage: member states first, by English short name."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("short name"), max_length=100, unique=True)
    formal_name = models.CharField(_("formal name"), max_length=200, blank=True)
    is_asean_member = models.BooleanField(_("ASEAN member state"), default=False)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["-is_asean_member", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="pilots_country_code_iso"
            ),
            models.CheckConstraint(
                condition=models.Q(iso3__regex=r"^[A-Z]{3}$"), name="pilots_country_iso3_iso"
            ),
        ]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        """The short name in the active language (see pilots/country_names.py)."""
        return gettext(self.name)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="pilots_organisation_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="pilots_organisation_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name


class FocusArea(models.Model):
    """One of the six focus areas of the ASEAN Smart Cities Framework.

    The rows are written by a data migration; the name shown comes from
    FocusAreaCode, so it follows the interface language.
    """

    code = models.CharField(_("code"), max_length=32, unique=True, choices=FocusAreaCode.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=FocusAreaCode.values), name="pilots_focusarea_code_valid"
            )
        ]

    def __str__(self):
        return str(self.get_code_display())


# ASEAN order: member states by English short name, then the city's name.
REGISTRY_ORDER: list[str | Combinable] = [
    F("country__is_asean_member").desc(),
    F("country__name").asc(),
    "name",
]


class PilotCityQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        """The registry is public: every city, for everyone."""
        return self

    def editable_by(self, user: Any) -> Self:
        """All cities for the secretariat, a focal point's own cities, none for others."""
        return all_or_own(self, user, perm="pilots.manage_registry", owner="focal_points")


class PilotCity(models.Model):
    """A city of the ASEAN Smart Cities Network, or one preparing to join."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("web address"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("Another city already uses this web address.")},
        help_text=_("Lower-case letters, digits and hyphens; made from the name when empty."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("member state"),
        on_delete=models.PROTECT,
        related_name="pilot_cities",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CityStatus.choices, default=CityStatus.PILOT
    )
    joined_year = models.PositiveSmallIntegerField(
        _("year joined"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(
                ASCN_FOUNDED, message=_("The ASCN was founded in 2018; no city joined earlier.")
            )
        ],
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), related_name="cities", blank=True
    )
    focal_point_name = models.CharField(
        _("Chief Smart City Officer or focal point"), max_length=200, blank=True
    )
    focal_points = models.ManyToManyField(
        "accounts.User",
        verbose_name=_("focal-point accounts"),
        related_name="focal_point_cities",
        blank=True,
        help_text=_("People who may edit this city and its projects."),
    )
    profile = models.TextField(_("profile"), blank=True)
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Where the facts come from: one address per line.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PilotCityQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot city")
        verbose_name_plural = _("pilot cities")
        ordering = REGISTRY_ORDER
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="pilots_city_unique_name"),
            models.CheckConstraint(
                condition=Q(status__in=CityStatus.values), name="pilots_city_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(joined_year__isnull=True) | Q(joined_year__gte=ASCN_FOUNDED),
                name="pilots_city_joined_after_founding",
                violation_error_message=_("The ASCN was founded in 2018; no city joined earlier."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pilots:city", kwargs={"slug": self.slug})

    @property
    def source_list(self):
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


class PartnershipProjectQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        """Partnership projects are public, like the cities."""
        return self

    def editable_by(self, user: Any) -> Self:
        """All for the secretariat, the projects of a focal point's cities, none for others."""
        return all_or_own(self, user, perm="pilots.manage_registry", owner="city__focal_points")


class PartnershipProject(models.Model):
    """A city's project with a partner: a company, a dialogue partner or an international
    organisation, often within one of the partner's programmes."""

    city = models.ForeignKey(
        PilotCity, verbose_name=_("city"), on_delete=models.PROTECT, related_name="projects"
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="partnership_projects",
    )
    programme = models.CharField(
        _("programme"),
        max_length=200,
        blank=True,
        help_text=_("The partner's programme, for example K-City Network or USASCP."),
    )
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), blank=True)
    value = models.DecimalField(
        _("value"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), message=_("The value cannot be negative."))],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[validate_currency_code],
        help_text=_("ISO 4217 code of the value, for example USD, KRW or AUD."),
    )
    supported_by = models.CharField(_("supported by"), max_length=300, blank=True)
    supervised_by = models.CharField(_("supervised by"), max_length=300, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the facts come from: an address or a citation.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership project")
        verbose_name_plural = _("partnership projects")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["status"], name="pilots_project_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values), name="pilots_project_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="pilots_project_value_not_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
            # A value always has its currency, and a currency its value.
            models.CheckConstraint(
                condition=Q(value__isnull=True, currency="")
                | Q(value__isnull=False, currency__regex=r"^[A-Z]{3}$"),
                name="pilots_project_value_has_currency",
                violation_error_message=_("Give both the value and its currency, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="pilots_project_dates_ordered",
                violation_error_message=_("The project cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pilots:project", kwargs={"pk": self.pk})


class ProgressUpdate(models.Model):
    """What was heard of a project on a date, and the status it moved to, if any."""

    project = models.ForeignKey(
        PartnershipProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    previous_status = models.CharField(
        _("status before"), max_length=16, choices=ProjectStatus.choices
    )
    new_status = models.CharField(
        _("new status"),
        max_length=16,
        choices=ProjectStatus.choices,
        blank=True,
        help_text=_("Empty when the status did not change."),
    )
    author = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["project", "date"], name="pilots_update_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_status__in=ProjectStatus.values),
                name="pilots_update_previous_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(new_status__in=["", *ProjectStatus.values]),
                name="pilots_update_new_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.project} ({self.date:%Y-%m-%d})"
