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

__all__ = [
    "AgendaSession",
    "AgendaVersion",
    "CalendarSubscription",
    "Meeting",
    "MeetingQuerySet",
    "Room",
]
