import hashlib
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.enums import DocumentKind, DocumentStatus, MailStatus


class OutgoingMail(models.Model):
    """One logical e-mail message, written before it is sent and kept after.

    Any part of the portal sends mail by creating one of these (``outbox.queue_mail``);
    the send task claims, sends and marks it. See ``outbox`` for the delivery guarantee.
    """

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = models.JSONField(_("to"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # The secrets a message carries (invitation links, password links), by the
    # placeholder that stands for each in the stored bodies. Put back only into the
    # message handed to the SMTP server, and wiped once it is sent: the outbox pages,
    # the admin and backups hold masked bodies only.
    secrets = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=16, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the message is about (an invitation, a published agenda…), for the outbox page.
    about_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("about_type", "about_id")

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="core_mail_due"),
            models.Index(fields=["about_type", "about_id"], name="core_mail_about"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MailStatus.values), name="core_mail_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MailStatus.SENT) | models.Q(sent_at__isnull=False),
                name="core_mail_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    def get_absolute_url(self) -> str:
        return reverse("core:outbox_detail", kwargs={"pk": self.pk})

    @property
    def message_id(self) -> str:
        """Derived from the idempotency key, so a resent copy carries the same Message-ID."""
        digest = hashlib.sha256(self.idempotency_key.encode()).hexdigest()[:40]
        return f"<{digest}@{settings.ASCN_MAIL_DOMAIN}>"


class OutgoingMailAttachment(models.Model):
    mail = models.ForeignKey(OutgoingMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    mimetype = models.CharField(_("type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


def document_upload_to(document: "GeneratedDocument", filename: str) -> str:
    return f"documents/{document.kind}/{document.about_type_id}-{document.about_id}/{filename}"


class GeneratedDocument(models.Model):
    """A stored, numbered version of a PDF rendered from a template in the background."""

    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    about_id = models.CharField(max_length=64)
    about = GenericForeignKey("about_type", "about_id")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=8, default="en")
    template_name = models.CharField(max_length=200)
    # JSON data the template renders: a snapshot taken when the document was asked for,
    # so a version always shows what was true then.
    context = models.JSONField(default=dict, blank=True)
    # Permission (rules) checked against ``about`` before anyone sees this document.
    view_permission = models.CharField(max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    # Set by the worker rendering the document and renewed while it renders (see
    # documents.render); a stale one means that worker died and the sweep takes it back.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-version"]
        constraints = [
            # A version exists once per interface language (see core/versions.py).
            models.UniqueConstraint(
                fields=["about_type", "about_id", "kind", "version", "language"],
                name="core_document_version_language_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DocumentStatus.values),
                name="core_document_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DocumentStatus.READY) | ~models.Q(sha256=""),
                name="core_document_ready_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("core:document_detail", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        return f"{self.kind}-v{self.version}.pdf"

    @property
    def is_pending(self) -> bool:
        return self.status == DocumentStatus.PENDING

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY


class VersionedDocument(models.Model):
    """A numbered, immutable snapshot of something (an agenda, minutes, a brief) and the
    PDF rendered from it.

    Written only by ``ascn_portal.core.versions.publish_version``, which numbers it under
    a lock and asks for its document with the same number: the version's page, its file
    name, its cover and its footer all read that one number. Each subclass adds the
    foreign key to what it versions and a unique constraint on it with ``number``.
    """

    number = models.PositiveIntegerField(_("version"))
    # What the version shows, as it stood: JSON whose keys each kind documents.
    content = models.JSONField(_("content"), default=dict)
    document = models.ForeignKey(
        GeneratedDocument,
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["-number"]


class SingleUseLink(models.Model):
    """A personal link sent by e-mail: random, used once, expiring, revocable.

    Only the hash of its token is kept (``core.tokens.new_token``); the token itself
    leaves with the e-mail and is not stored (the outbox masks it once sent). Each
    subclass adds what the link is for.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-created_at"]


_Link = TypeVar("_Link", bound=SingleUseLink)


def usable(
    links: "models.QuerySet[_Link]", now: datetime | None = None
) -> "models.QuerySet[_Link]":
    """The ``links`` that still work: not used, not revoked, not expired."""
    return links.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
    )


class AuditEntry(models.Model):
    """Who changed what, and when; written in the same transaction as the change."""

    action = models.CharField(_("action"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    obj = GenericForeignKey("object_type", "object_id")
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object")]

    def __str__(self) -> str:
        return self.action
