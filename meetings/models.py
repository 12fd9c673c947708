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
    DocumentBundle,
    DocumentFile,
    RegisteredDocument,
    RegisteredDocumentQuerySet,
    RegisterVisit,
)
from meetings.report.models import OutcomeReport, OutcomeReportVersion

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
    "DocumentBundle",
    "DocumentFile",
    "Meeting",
    "MeetingQuerySet",
    "Minutes",
    "MinutesVersion",
    "OutcomeReport",
    "OutcomeReportVersion",
    "RegisterVisit",
    "RegisteredDocument",
    "RegisteredDocumentQuerySet",
    "Room",
    "SentInvitation",
]
