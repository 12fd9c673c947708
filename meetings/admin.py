"""The admin of the meetings app: Django's autodiscovery imports ``meetings.admin``
only, so each part's admin is imported here."""

from meetings.agenda import admin as agenda_admin  # noqa: F401
from meetings.coordination import admin as coordination_admin  # noqa: F401
