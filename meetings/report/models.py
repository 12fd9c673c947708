from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.models import VersionedDocument
from meetings.agenda.models import Meeting
from meetings.register.models import RegisteredDocument

# Bounds of the secretariat's own text in the report (the form and the database agree).
TEXT_MAX_LENGTH = 6000


class OutcomeReport(models.Model):
    """The meeting's annual report as the secretariat is writing it: the introduction
    and conclusions it keeps editing, and the register symbol its compiled versions
    take (given at the first compilation). Everything else in the report is gathered
    from the meeting when a version is compiled (see queries.report_content)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="outcome_report")
    introduction = models.TextField(_("introduction"), max_length=TEXT_MAX_LENGTH, blank=True)
    conclusions = models.TextField(_("conclusions"), max_length=TEXT_MAX_LENGTH, blank=True)
    registered_as = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("register entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcome_report",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(LessThanOrEqual(Length("introduction"), TEXT_MAX_LENGTH))
                & models.Q(LessThanOrEqual(Length("conclusions"), TEXT_MAX_LENGTH)),
                name="meetings_outcome_report_text_bounded",
            )
        ]

    def __str__(self):
        return str(_("Outcome report of the %(meeting)s") % {"meeting": self.meeting.title})

    def get_absolute_url(self):
        return reverse("meetings:outcome_report", kwargs={"number": self.meeting.number})


class OutcomeReportVersion(VersionedDocument):
    """A compiled outcome report: a numbered, immutable snapshot of what the report
    holds (``content`` is queries.report_content's dictionary) and its PDF."""

    report = models.ForeignKey(OutcomeReport, on_delete=models.CASCADE, related_name="versions")

    class Meta(VersionedDocument.Meta):
        verbose_name = _("outcome report version")
        verbose_name_plural = _("outcome report versions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="meetings_outcome_report_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"
