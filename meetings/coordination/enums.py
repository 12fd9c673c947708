from django.db import models
from django.utils.translation import gettext_lazy as _


class CoordinationMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class CoordinationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class InvitationMethod(models.TextChoices):
    """The iTIP method of a message about a session: an invitation (or its update) or a
    cancellation."""

    REQUEST = "request", _("Invitation")
    CANCEL = "cancel", _("Cancellation")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class AttendanceStatus(models.TextChoices):
    IN_PERSON = "in_person", _("Present in person")
    ONLINE = "online", _("Present online")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Who counts as having come: they receive the published minutes.
PRESENT = (AttendanceStatus.IN_PERSON, AttendanceStatus.ONLINE)


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# Items still to be done: followed on the board, reminded, overdue once their day passed.
ACTIVE_ACTION_STATUSES = [ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS]
# What an item's owner may set: dropping an item is the secretariat's or a chair's call.
OWNER_ACTION_STATUSES = [
    ActionItemStatus.OPEN,
    ActionItemStatus.IN_PROGRESS,
    ActionItemStatus.DONE,
]
