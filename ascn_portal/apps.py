from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AscnPortalConfig(AppConfig):
    """The project package as an app: role dashboards and the demo-data command."""

    name = "ascn_portal"
    label = "ascn"
    verbose_name = _("ASCN Portal")
