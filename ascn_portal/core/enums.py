from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# A message the secretariat may send again: one that failed, or one still waiting.
RESENDABLE = [MailStatus.FAILED, MailStatus.QUEUED]


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    MINUTES = "minutes", _("Minutes")
    PANEL_BRIEF = "panel_brief", _("Panel brief")
    PARTICIPANT_LIST = "participant_list", _("Participant list")
    REPORT = "report", _("Report")
    OUTCOME_REPORT = "outcome_report", _("Outcome report")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
