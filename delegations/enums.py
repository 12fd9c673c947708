from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    APPROVED = "approved", _("Approved by the National Representative")
    CONFIRMED = "confirmed", _("Confirmed by the secretariat")
    RETURNED = "returned", _("Returned by the secretariat")


class DelegationKind(models.TextChoices):
    """What a delegation stands for: a member state, or a body invited beside them."""

    MEMBER_STATE = "member_state", _("ASEAN member state")
    OBSERVER = "observer", _("Observer")
    DIALOGUE_PARTNER = "dialogue_partner", _("Dialogue partner")
    INTERNATIONAL = "international", _("International organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")


class BulkJobKind(models.TextChoices):
    INVITE = "invite", _("Invitations")
    REMIND = "remind", _("Reminders")


class BulkJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class DelegationRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    NATIONAL_REPRESENTATIVE = "national_representative", _("National Representative")
    CITY_REPRESENTATIVE = "city_representative", _("City representative (CSCO)")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class ParticipantStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Invitation expired")
    REPLACED = "replaced", _("Replaced by a substitute")


# Where each step of the roster's approval may start: the National Representative
# approves a roster being prepared or returned; the secretariat confirms or returns an
# approved one. A confirmed roster changes only by substitution.
ROSTER_APPROVABLE = [RosterStatus.DRAFT, RosterStatus.RETURNED]
ROSTER_CONFIRMABLE = [RosterStatus.APPROVED]

# Statuses of someone who will not attend the meeting.
NOT_ATTENDING = [
    ParticipantStatus.DECLINED,
    ParticipantStatus.CANCELLED,
    ParticipantStatus.WITHDRAWN,
    ParticipantStatus.REPLACED,
]

# Statuses that take a seat of the delegation's quota.
SEATED = [ParticipantStatus.NOMINATED, ParticipantStatus.INVITED, ParticipantStatus.REGISTERED]
