from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    NATIONAL_AGENCY = "national_agency", _("National ministry or agency")
    ASEAN_SECRETARIAT = "asean_secretariat", _("ASEAN Secretariat")
    CITY_GOVERNMENT = "city_government", _("City government")
    DIALOGUE_PARTNER = "dialogue_partner", _("Dialogue-partner government")
    INTERNATIONAL = "international", _("International organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia or think tank")


# Who may be the partner of a city's partnership project: companies, dialogue partners'
# agencies and international organisations.
PARTNER_KINDS = [
    OrganisationKind.PRIVATE_SECTOR,
    OrganisationKind.DIALOGUE_PARTNER,
    OrganisationKind.INTERNATIONAL,
]


class CityStatus(models.TextChoices):
    # The 26 cities of the 2018 Concept Note are the pilot cities; cities admitted
    # later are member cities; candidates are preparing to join (Sumedang in 2024).
    PILOT = "pilot", _("Pilot city")
    MEMBER = "member", _("Member city")
    CANDIDATE = "candidate", _("Candidate")


class FocusAreaCode(models.TextChoices):
    """The six focus areas of the ASEAN Smart Cities Framework (2018), in its order."""

    CIVIC_SOCIAL = "civic_social", _("Civic and social")
    HEALTH_WELLBEING = "health_wellbeing", _("Health and well-being")
    SAFETY_SECURITY = "safety_security", _("Safety and security")
    QUALITY_ENVIRONMENT = "quality_environment", _("Quality environment")
    BUILT_INFRASTRUCTURE = "built_infrastructure", _("Built infrastructure")
    INDUSTRY_INNOVATION = "industry_innovation", _("Industry and innovation")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    STALLED = "stalled", _("Stalled")


# Projects the Shepherd still follows up: everything not completed.
OPEN_PROJECT_STATUSES = [ProjectStatus.PROPOSED, ProjectStatus.ONGOING, ProjectStatus.STALLED]
