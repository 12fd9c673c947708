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
