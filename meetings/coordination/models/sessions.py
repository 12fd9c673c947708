"""Coordination sessions held while a meeting is prepared: who is invited, the calendar
messages sent to them, and the agenda points prepared before the session. Its minutes
and action items are in ``models.minutes``."""

import zoneinfo
from typing import Any, Self

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import validate_time_zone
from meetings.agenda.models import Meeting
from meetings.coordination.enums import (
    CoordinationMode,
    CoordinationStatus,
    InvitationMethod,
)
from pilots.models import Organisation


class CoordinationSessionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
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
    # The register symbol its published minutes take (at the first publication; each
    # later version is a revision of it).
    minutes_registered_as = models.OneToOneField(
        "meetings.RegisteredDocument",
        verbose_name=_("minutes' register entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="minutes_of",
    )
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


class SentInvitation(models.Model):
    """A calendar message sent about a session: to whom, when, at which SEQUENCE.

    Says who already holds the session in their calendar (an update, not a first
    invitation) and whom to send a cancellation when they are taken off the list.
    """

    session = models.ForeignKey(
        CoordinationSession, on_delete=models.CASCADE, related_name="sent_invitations"
    )
    email = models.EmailField(_("e-mail address"))  # lower case
    sequence = models.PositiveIntegerField(_("sequence"))
    method = models.CharField(_("method"), max_length=8, choices=InvitationMethod.choices)
    mail = models.ForeignKey(
        "core.OutgoingMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent invitation")
        verbose_name_plural = _("sent invitations")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sequence", "method", "email"],
                name="meetings_sent_invitation_unique",
            ),
        ]

    def __str__(self):
        return f"{self.session} {self.method} {self.email} #{self.sequence}"


class AgendaPoint(models.Model):
    """One numbered point of a coordination session's agenda, and what the minutes say
    of it."""

    # A two-hour session covers a dozen points; the bound keeps the minutes editor, which
    # shows every point as one form, a page that loads.
    MAX_PER_SESSION = 100

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
