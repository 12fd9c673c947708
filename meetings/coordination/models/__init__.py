"""The coordination half's models: sessions and their invitations (``sessions``), their
minutes and action items (``minutes``)."""

from meetings.coordination.models.minutes import (
    ActionItem,
    ActionItemQuerySet,
    Attendance,
    Minutes,
    MinutesVersion,
)
from meetings.coordination.models.sessions import (
    AgendaPoint,
    CoordinationGuest,
    CoordinationSession,
    CoordinationSessionQuerySet,
    SentInvitation,
)

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "AgendaPoint",
    "Attendance",
    "CoordinationGuest",
    "CoordinationSession",
    "CoordinationSessionQuerySet",
    "Minutes",
    "MinutesVersion",
    "SentInvitation",
]
