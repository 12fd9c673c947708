import zoneinfo
from datetime import timedelta
from typing import Any, Self

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.models import validate_time_zone
from ascn_portal.core.models import VersionedDocument
from meetings.agenda.enums import MeetingFormat, MeetingStatus, SessionKind, Visibility
from pilots.models import Country


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        """Drafts are the secretariat's; published and closed meetings are public."""
        if user.has_perm("meetings.manage_meeting"):
            return self
        return self.exclude(status=MeetingStatus.DRAFT)


# The longest a meeting may last, first and last day included.
MAX_MEETING_DAYS = 31


class Meeting(models.Model):
    """An ASCN Annual Meeting, held once a year by the ASEAN chair country."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    host_city = models.CharField(_("host city"), max_length=100)
    host_country = models.ForeignKey(
        Country, verbose_name=_("host country"), on_delete=models.PROTECT, related_name="+"
    )
    chair_country = models.ForeignKey(
        Country, verbose_name=_("ASEAN chair"), on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(
        _("format"), max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("The IANA zone of the venue, for example Asia/Vientiane."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    registration_opens = models.DateField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The register symbol its published agenda takes (at the first publication; each
    # later version is a revision of it). Named by the register's app label: the
    # register's models import this one.
    agenda_registered_as = models.OneToOneField(
        "meetings.RegisteredDocument",
        verbose_name=_("agenda's register entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="agenda_of",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual meeting")
        verbose_name_plural = _("annual meetings")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="meetings_meeting_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(end_date__lte=F("start_date") + timedelta(days=MAX_MEETING_DAYS - 1)),
                name="meetings_meeting_at_most_31_days",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__isnull=True)
                | Q(registration_opens__isnull=True)
                | Q(registration_closes__gte=F("registration_opens")),
                name="meetings_meeting_registration_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meetings_meeting_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"number": self.number})

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self):
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=n) for n in range(count)]


class Room(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="meetings_room_unique_name")
        ]

    def __str__(self):
        return self.name


class AgendaSession(models.Model):
    """One slot of a meeting's programme."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    chair_person = models.ForeignKey(
        "accounts.User",
        verbose_name=_("chair's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_sessions",
        help_text=_("Puts the session on this person's own agenda."),
    )
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("who may see it"),
        max_length=32,
        choices=Visibility.choices,
        default=Visibility.PARTICIPANTS,
    )
    expected_attendance = models.PositiveIntegerField(
        _("expected attendance"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda session")
        verbose_name_plural = _("agenda sessions")
        ordering = ["starts_at", "ends_at", "pk"]
        indexes = [models.Index(fields=["meeting", "starts_at"], name="meetings_session_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meetings_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="meetings_session_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="meetings_session_visibility_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def over_capacity(self):
        return bool(
            self.room
            and self.room.capacity
            and self.expected_attendance
            and self.expected_attendance > self.room.capacity
        )


class AgendaVersion(VersionedDocument):
    """A published agenda: a numbered, immutable snapshot of the sessions at that moment.

    ``content`` is ``{"sessions": [{"id", "title", "kind", "starts_at", "ends_at",
    "room", "chair", "chair_person", "visibility", "description"}]}`` in start order,
    times as ISO 8601 in UTC.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="versions")
    # What changed since the previous version: {"added": [...], "removed": [...],
    # "changed": [{"id", "title", "fields": {...}}]}.
    changes = models.JSONField(default=dict)

    class Meta(VersionedDocument.Meta):
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="meetings_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.meeting} v{self.number}"

    @property
    def sessions(self):
        return self.content["sessions"]


class CalendarSubscription(models.Model):
    """A person's private calendar address; only a hash of its token is kept."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="calendar_subscription"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self):
        return str(self.user)
