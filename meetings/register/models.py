import uuid
from typing import Any, Self

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.enums import DocumentStatus
from meetings.agenda.models import AgendaSession, Meeting
from meetings.register.enums import Distribution, DocumentLanguage, DocumentSeries, TextState
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
    # What the search reads (meetings/register/text.py): the text of the latest issue's
    # files, and on PostgreSQL its tsvector with the title weighted A and the text B.
    search_text = models.TextField(blank=True, default="")
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

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
    # An uploaded file, or a document the portal generates (an outcome report, say):
    # its file is the GeneratedDocument's, served once rendered, read as its own rules say.
    file = models.FileField(upload_to=_upload_to, max_length=300, blank=True)
    generated = models.OneToOneField(
        "core.GeneratedDocument",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="register_file",
    )
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The text read from a PDF in the background, bounded (see text.py).
    text = models.TextField(blank=True, default="")
    text_state = models.CharField(
        _("search"), max_length=16, choices=TextState.choices, default=TextState.PENDING
    )

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
            models.CheckConstraint(
                condition=~Q(file="") | Q(generated__isnull=False),
                name="meetings_document_file_stored_or_generated",
            ),
            models.CheckConstraint(
                condition=Q(text_state__in=TextState.values),
                name="meetings_document_file_text_state_valid",
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
    def content(self) -> Any:
        """The stored bytes: the upload, or a generated document's rendered file."""
        return self.generated.file if self.generated is not None else self.file

    @property
    def byte_size(self) -> int:
        """The file's size; a generated one's once rendered (0 until then)."""
        if self.generated is not None:
            return self.generated.size or 0
        return self.size

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


def _bundle_upload_to(bundle: "DocumentBundle", filename: str) -> str:
    return f"register/{bundle.meeting_id}/bundles/{bundle.content_key[:16]}/{filename}"


class DocumentBundle(models.Model):
    """ "Download all": one ZIP of the latest issue of the documents of an agenda item or
    of a day, built in the background.

    ``content_key`` is a hash of the scope and of exactly which files the ZIP holds. Two
    people who may read the same documents share one ZIP; someone who may read fewer
    (or more) gets a ZIP of their own, and a change in the register (a new file, a
    revision) makes a new key, so a stale ZIP is never handed out.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bundles")
    agenda_session = models.ForeignKey(
        AgendaSession, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    day = models.DateField(null=True, blank=True)
    content_key = models.CharField(max_length=64)
    # The DocumentFile ids the ZIP holds, as chosen for the person who asked.
    file_ids = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(upload_to=_bundle_upload_to, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)
    # When someone last asked for or downloaded the ZIP: the clean-up deletes the ones
    # left unused for ASCN_BUNDLE_KEEP_DAYS (bundles.delete_unused).
    last_used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("document ZIP")
        verbose_name_plural = _("document ZIPs")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "content_key"], name="meetings_bundle_unique_content"
            ),
            # A ZIP gathers an agenda item or a day, never both nor neither.
            models.CheckConstraint(
                condition=Q(agenda_session__isnull=True) ^ Q(day__isnull=True),
                name="meetings_bundle_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="meetings_bundle_status_valid"
            ),
        ]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("meetings:bundle", kwargs={"number": self.meeting.number, "pk": self.pk})

    @property
    def filename(self) -> str:
        meeting = self.meeting
        scope = f"item-{self.agenda_session_id}" if self.agenda_session_id else str(self.day)
        return f"ASCN-AM{meeting.number}-{meeting.start_date.year}-documents-{scope}.zip"

    @property
    def is_pending(self) -> bool:
        return self.status == DocumentStatus.PENDING

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY


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
