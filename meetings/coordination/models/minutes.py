"""The minutes of coordination sessions and the action items they record.

Minutes (attendance, per point the discussion and the decisions, and the action items
recorded) are edited as a draft, approved and published; each publication is an
immutable, numbered MinutesVersion holding a JSON snapshot, so a correction adds a
version and never rewrites one. Action items live on after the session: they stay
open, across later sessions of the same meeting, until someone closes them.
"""

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.models import VersionedDocument
from meetings.coordination.enums import (
    ACTIVE_ACTION_STATUSES,
    ActionItemStatus,
    AttendanceStatus,
    MinutesStatus,
)
from meetings.coordination.models.sessions import AgendaPoint, CoordinationSession
from pilots.models import Organisation


class Minutes(models.Model):
    """The working copy of a session's minutes: draft, approved, then published."""

    session = models.OneToOneField(
        CoordinationSession, on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # Why a published version is being corrected; printed on the next version.
    correction_note = models.TextField(_("what the correction changes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MinutesStatus.values), name="meetings_minutes_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=MinutesStatus.DRAFT) | Q(approved_at__isnull=False),
                name="meetings_minutes_approved_has_time",
            ),
        ]

    def __str__(self):
        return str(self.session)

    @property
    def is_draft(self):
        return self.status == MinutesStatus.DRAFT

    @property
    def is_approved(self):
        return self.status == MinutesStatus.APPROVED


class MinutesVersion(VersionedDocument):
    """Published minutes: a numbered, immutable snapshot. A correction adds a version.

    ``content`` is ``{"session": {...}, "attendance": [...], "points": [...],
    "action_items": [...], "earlier_items": [...]}``: see services.minutes.snapshot.
    """

    session = models.ForeignKey(
        CoordinationSession, on_delete=models.CASCADE, related_name="minutes_versions"
    )
    correction_note = models.TextField(_("what the correction changes"), blank=True)

    class Meta(VersionedDocument.Meta):
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="meetings_minutes_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.session} v{self.number}"

    def get_absolute_url(self):
        return reverse(
            "meetings:minutes_version",
            kwargs={
                "number": self.session.meeting.number,
                "pk": self.session_id,
                "version": self.number,
            },
        )


class Attendance(models.Model):
    """Who was expected at a session, whom they represented, and whether they came."""

    session = models.ForeignKey(
        CoordinationSession, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordination_attendance",
    )
    # Kept even with an account: the record outlives the account and its later renames.
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("representing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("attendance"),
        max_length=16,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.IN_PERSON,
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(person__isnull=False),
                name="meetings_attendance_unique_person",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="meetings_attendance_named"),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values),
                name="meetings_attendance_status_valid",
            ),
        ]

    def __str__(self):
        return self.name


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        """All for the secretariat. Anyone else: the items they own, those of sessions
        they chair or are invited to, and every item of a meeting in which they chair a
        session (chairs review the open items of earlier sessions)."""
        if user.has_perm("meetings.manage_coordination"):
            return self
        if not user.is_authenticated:
            return self.none()
        sessions = CoordinationSession.objects.visible_to(user).values("pk")
        chaired = CoordinationSession.objects.filter(chair=user).values("meeting_id")
        return self.filter(
            Q(owner_person=user) | Q(session__in=sessions) | Q(session__meeting__in=chaired)
        )


class ActionItem(models.Model):
    """Something a person or an organisation undertook at a session, followed to its end."""

    session = models.ForeignKey(
        CoordinationSession,
        verbose_name=_("recorded at"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    agenda_point = models.ForeignKey(
        AgendaPoint,
        verbose_name=_("agenda point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    title = models.CharField(_("action"), max_length=300)
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (person)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner (organisation)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
    )
    notes = models.TextField(_("notes"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()
    # Set by queries.mark_overdue for the page that lists the item.
    overdue: bool = False

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="meetings_action_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=False) | Q(owner_organisation__isnull=False),
                name="meetings_action_item_has_owner",
                violation_error_message=_("Name an owner: a person, an organisation or both."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionItemStatus.values),
                name="meetings_action_item_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ACTIVE_ACTION_STATUSES, closed_at__isnull=True)
                | (~Q(status__in=ACTIVE_ACTION_STATUSES) & Q(closed_at__isnull=False)),
                name="meetings_action_item_closed_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def owner_label(self):
        """The person, their organisation, or both: "Dewi Lestari (Banyuwangi)"."""
        person = self.owner_person.full_name if self.owner_person_id else ""
        organisation = self.owner_organisation.name if self.owner_organisation_id else ""
        if person and organisation:
            return f"{person} ({organisation})"
        return person or organisation
