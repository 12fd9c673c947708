"""Coordination sessions held while a meeting is prepared, their minutes and action items.

A session has agenda points prepared before it. Its minutes (attendance, per point the
discussion and the decisions, and the action items recorded) are edited as a draft,
approved and published; each publication is an immutable, numbered MinutesVersion
holding a JSON snapshot, so a correction adds a version and never rewrites one.
Action items live on after the session: they stay open, across later sessions of the
same meeting, until someone closes them.
"""

import zoneinfo

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import validate_time_zone
from ascn_portal.core.models import VersionedDocument
from meetings.agenda.models import Meeting
from meetings.coordination.enums import (
    ActionItemStatus,
    AttendanceStatus,
    CoordinationMode,
    CoordinationStatus,
    MinutesStatus,
)
from pilots.models import Organisation


class CoordinationSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """All for the secretariat; for anyone else the sessions they chair or are
        invited to; nothing for the anonymous."""
        if user.has_perm("meetings.manage_coordination"):
            return self
        if not user.is_authenticated:
            return self.none()
        invited = CoordinationSession.invited_people.through.objects.filter(user=user)
        return self.filter(Q(chair=user) | Q(pk__in=invited.values("coordinationsession_id")))


class CoordinationSession(models.Model):
    """A coordination meeting held while a meeting is prepared, in person or online."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="coordination_sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Where the session is held, or its host's zone if it is online."),
    )
    mode = models.CharField(_("mode"), max_length=16, choices=CoordinationMode.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
    )
    convening_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="convened_sessions",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_coordination_sessions",
    )
    invited_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("invited organisations"),
        blank=True,
        related_name="coordination_invitations",
    )
    invited_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited people"),
        blank=True,
        related_name="coordination_invitations",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CoordinationStatus.choices,
        default=CoordinationStatus.SCHEDULED,
    )
    # The iCalendar SEQUENCE of the invitation: raised by every change of time, place,
    # link or title, and by the cancellation, so calendars replace the older copy.
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoordinationSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordination session")
        verbose_name_plural = _("coordination sessions")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["meeting", "starts_at"], name="meetings_coord_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meetings_coord_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(mode__in=CoordinationMode.values), name="meetings_coord_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CoordinationStatus.values),
                name="meetings_coord_status_valid",
            ),
            # In person needs a place, online a link, hybrid both.
            models.CheckConstraint(
                condition=(Q(mode=CoordinationMode.IN_PERSON) & ~Q(place=""))
                | (Q(mode=CoordinationMode.ONLINE) & ~Q(video_link=""))
                | (Q(mode=CoordinationMode.HYBRID) & ~Q(place="") & ~Q(video_link="")),
                name="meetings_coord_mode_has_place_or_link",
                violation_error_message=_(
                    "In person needs a place, online a video link, hybrid both."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "meetings:coordination_detail",
            kwargs={"number": self.meeting.number, "pk": self.pk},
        )

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def is_cancelled(self):
        return self.status == CoordinationStatus.CANCELLED


class CoordinationGuest(models.Model):
    """Someone invited without an account, by name and e-mail address."""

    session = models.ForeignKey(
        CoordinationSession, on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "email"], name="meetings_guest_unique"),
        ]

    def __str__(self):
        return self.name


class AgendaPoint(models.Model):
    """One numbered point of a coordination session's agenda, and what the minutes say
    of it."""

    session = models.ForeignKey(
        CoordinationSession, on_delete=models.CASCADE, related_name="agenda_points"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(
        _("notes for the participants"),
        blank=True,
        help_text=_("Prepared before the session: background, documents, who presents."),
    )
    discussion = models.TextField(
        _("summary of discussion"),
        blank=True,
        help_text=_("One paragraph per block of text; paragraphs are numbered in the PDF."),
    )
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One decision per line."))

    class Meta:
        verbose_name = _("agenda point")
        verbose_name_plural = _("agenda points")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="meetings_point_unique_position"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def decision_list(self):
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


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
    def visible_to(self, user):
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
                condition=Q(status=ActionItemStatus.OPEN, closed_at__isnull=True)
                | (~Q(status=ActionItemStatus.OPEN) & Q(closed_at__isnull=False)),
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
