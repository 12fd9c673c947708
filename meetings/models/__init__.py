"""The meetings app's models, one module per part of the domain.

Everything is importable from ``meetings.models`` as before the split.
"""

from meetings.models.agenda import (
    AgendaSession,
    AgendaVersion,
    CalendarSubscription,
    Meeting,
    MeetingQuerySet,
    Room,
)
from meetings.models.coordination import (
    ActionItem,
    ActionItemQuerySet,
    AgendaPoint,
    Attendance,
    CoordinationGuest,
    CoordinationSession,
    CoordinationSessionQuerySet,
    Minutes,
    MinutesVersion,
)

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "AgendaPoint",
    "AgendaSession",
    "AgendaVersion",
    "Attendance",
    "CalendarSubscription",
    "CoordinationGuest",
    "CoordinationSession",
    "CoordinationSessionQuerySet",
    "Meeting",
    "MeetingQuerySet",
    "Minutes",
    "MinutesVersion",
    "Room",
]
