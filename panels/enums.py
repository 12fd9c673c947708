from django.db import models
from django.utils.translation import gettext_lazy as _


class PanelStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    COLLECTING = "collecting", _("Collecting speakers' points")
    BRIEF_READY = "brief_ready", _("Brief ready")
    HELD = "held", _("Held")


# The four questions every speaker answers about their partnership programme.
POINT_SECTIONS = ("challenges", "opportunities", "benefits", "recommendations")
