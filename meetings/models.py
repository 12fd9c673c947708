"""The meetings app's models, defined in its two halves (``agenda`` and
``coordination``) and gathered here, where Django and the other apps look for them."""

from meetings.agenda.models import (
    AgendaSession,
    AgendaVersion,
    CalendarSubscription,
    Meeting,
    MeetingQuerySet,
    Room,
)
from meetings.coordination.models import (
    ActionItem,
    ActionItemQuerySet,
    AgendaPoint,
    Attendance,
    CoordinationGuest,
    CoordinationSession,
    CoordinationSessionQuerySet,
    Minutes,
    MinutesVersion,
    SentInvitation,
)
from meetings.register.models import (
    DocumentFile,
    RegisteredDocument,
    RegisteredDocumentQuerySet,
    RegisterVisit,
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
    "DocumentFile",
    "Meeting",
    "MeetingQuerySet",
    "Minutes",
    "MinutesVersion",
    "RegisterVisit",
    "RegisteredDocument",
    "RegisteredDocumentQuerySet",
    "Room",
    "SentInvitation",
]
