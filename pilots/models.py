from django.db import models
from django.utils.translation import gettext_lazy as _


class CountryQuerySet(models.QuerySet):
    def asean_members(self):
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
        return self.name


class OrganisationKind(models.TextChoices):
    NATIONAL_AGENCY = "national_agency", _("National ministry or agency")
    ASEAN_SECRETARIAT = "asean_secretariat", _("ASEAN Secretariat")
    CITY_GOVERNMENT = "city_government", _("City government")
    DIALOGUE_PARTNER = "dialogue_partner", _("Dialogue-partner government")
    INTERNATIONAL = "international", _("International organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia or think tank")


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
