from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The account's role in the network; it picks the dashboard a person lands on.

    What a person may do with a given meeting, delegation or panel is decided by the
    predicates in each app's rules.py, which combine this role with the person's
    relations to that object.
    """

    SECRETARIAT = "secretariat", _("Secretariat")
    NATIONAL_REPRESENTATIVE = "national_representative", _("National Representative")
    DELEGATE = "delegate", _("Delegate")
    MODERATOR = "moderator", _("Moderator")
    SPEAKER = "speaker", _("Speaker")
