import uuid
from typing import Any, Self

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.agenda.models import AgendaSession, Meeting
from meetings.register.enums import Distribution, DocumentLanguage, DocumentSeries
from meetings.register.rules import readable_documents
from pilots.models import Country, Organisation


class RegisteredDocumentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        """The documents ``user`` may read, by their distribution (see rules.py)."""
        return self.filter(readable_documents(user))


class RegisteredDocument(models.Model):
    """One symbol of a meeting's register (``ASCN/AM7/2024/DOC.1``): its title, where
    it belongs, who submitted it and who may read it. Its files (languages, revisions,
    corrigenda) are DocumentFile rows."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    series = models.CharField(_("series"), max_length=3, choices=DocumentSeries.choices)
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    agenda_session = models.ForeignKey(
        AgendaSession,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("The session or panel the document belongs to, if any."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("submitting delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("submitting organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    distribution = models.CharField(
        _("distribution"),
        max_length=32,
        choices=Distribution.choices,
        default=Distribution.PARTICIPANTS,
    )
    readers = models.ManyToManyField(
        "accounts.User",
        verbose_name=_("named readers"),
        blank=True,
        related_name="readable_documents",
    )
    # The latest revision (0: the original); files of earlier ones are superseded.
    current_revision = models.PositiveSmallIntegerField(default=0)
    submitted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_documents",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegisteredDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered document")
        verbose_name_plural = _("registered documents")
        ordering = ["meeting", "series", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "series", "number"], name="meetings_document_unique_symbol"
            ),
            models.CheckConstraint(
                condition=Q(series__in=DocumentSeries.values),
                name="meetings_document_series_valid",
            ),
            models.CheckConstraint(
                condition=Q(distribution__in=Distribution.values),
                name="meetings_document_distribution_valid",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="meetings_document_number"),
        ]

    def __str__(self):
        return f"{self.symbol} {self.title}"

    def get_absolute_url(self):
        return reverse(
            "meetings:document",
            kwargs={"number": self.meeting.number, "pk": self.pk},
        )

    @property
    def symbol(self) -> str:
        return symbol_of(self.meeting, self.series, self.number)

    @property
    def submitter(self) -> str:
        return str(self.country or self.organisation or "")


def symbol_of(meeting: Meeting, series: str, number: int) -> str:
    return f"ASCN/AM{meeting.number}/{meeting.start_date.year}/{series}.{number}"


def _upload_to(instance: "DocumentFile", filename: str) -> str:
    # The stored path is the portal's own: a person's file name never picks a folder.
    return f"register/{instance.document.meeting_id}/{uuid.uuid4().hex}/{filename}"


class DocumentFile(models.Model):
    """One file of a registered symbol: a language of one issue (the original, a
    revision, or a corrigendum to either)."""

    document = models.ForeignKey(RegisteredDocument, on_delete=models.CASCADE, related_name="files")
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    corrigendum = models.PositiveSmallIntegerField(_("corrigendum"), default=0)
    language = models.CharField(_("language"), max_length=8, choices=DocumentLanguage.choices)
    file = models.FileField(upload_to=_upload_to, max_length=300)
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["-revision", "-corrigendum", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "revision", "corrigendum", "language"],
                name="meetings_document_file_unique_issue",
            ),
            models.CheckConstraint(
                condition=Q(language__in=DocumentLanguage.values),
                name="meetings_document_file_language_valid",
            ),
        ]

    def __str__(self):
        return f"{self.symbol} ({self.language})"

    @property
    def symbol(self) -> str:
        symbol = self.document.symbol
        if self.revision:
            symbol += f"/Rev.{self.revision}"
        if self.corrigendum:
            symbol += f"/Corr.{self.corrigendum}"
        return symbol

    @property
    def is_superseded(self) -> bool:
        return self.revision < self.document.current_revision

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class RegisterVisit(models.Model):
    """When a person last opened a meeting's register: what their home page lists as
    new is what was registered or revised after it."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("register visit")
        verbose_name_plural = _("register visits")
        constraints = [
            models.UniqueConstraint(fields=["user", "meeting"], name="meetings_register_visit_once")
        ]

    def __str__(self):
        return f"{self.user_id}@{self.meeting_id}"
