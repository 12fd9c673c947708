from typing import Any, Self

from django.db import models
from django.db.models import Q
from django.db.models.expressions import Combinable
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.models import SingleUseLink
from ascn_portal.core.permissions import all_or_own
from delegations.enums import (
    BulkJobKind,
    BulkJobStatus,
    DelegationKind,
    DelegationRole,
    ParticipantStatus,
    RosterStatus,
)
from meetings.models import Meeting
from pilots.models import Country, Organisation, PilotCity

# ASEAN order: member states by English short name, then other delegations by name.
ASEAN_ORDER: list[str | Combinable] = [
    models.F("country__is_asean_member").desc(nulls_last=True),
    models.F("country__name").asc(nulls_last=True),
    "name",
]


# Seats a delegation may have at most: bounds the form and the database alike.
MAX_QUOTA = 5000


class DelegationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        """All for the secretariat; a National Representative's own; nothing for others."""
        return all_or_own(
            self, user, perm="delegations.manage_all", owner="national_representative"
        )


class Delegation(models.Model):
    """A member state's (or another body's) delegation to one meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="delegations")
    country = models.ForeignKey(
        Country,
        verbose_name=_("member state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=DelegationKind.choices,
        default=DelegationKind.MEMBER_STATE,
    )
    quota = models.PositiveSmallIntegerField(_("quota"), default=10)
    national_representative = models.ForeignKey(
        "accounts.User",
        verbose_name=_("National Representative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_delegations",
    )
    roster_status = models.CharField(
        _("roster"), max_length=16, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ASEAN_ORDER
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "country"],
                condition=Q(country__isnull=False),
                name="delegations_one_per_country",
            ),
            models.UniqueConstraint(fields=["meeting", "name"], name="delegations_unique_name"),
            models.CheckConstraint(
                condition=Q(quota__lte=MAX_QUOTA), name="delegations_quota_bounded"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("delegations:detail", kwargs={"pk": self.pk})


class RepresentativeInvitation(SingleUseLink):
    """A link that makes its recipient the National Representative of a delegation.

    Sent to an address without an account: the link opens sign-up for that address (as
    a delegate's invitation does), and the new account then manages the delegation.
    Only a hash of its token is kept.
    """

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="representative_invitations"
    )
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")

    class Meta(SingleUseLink.Meta):
        verbose_name = _("invitation to represent a delegation")
        verbose_name_plural = _("invitations to represent a delegation")

    def __str__(self):
        return f"{self.email} ({self.delegation})"


class ParticipantQuerySet(models.QuerySet):
    def with_state(self, now=None):
        """Annotate ``state``: the status every page and e-mail shows, derived here once.

        It is the stored status, except that an invited person whose every link lapsed
        unused is shown as "invitation expired" at once, before the periodic task
        records it (and frees the seat).
        """
        now = now or timezone.now()
        live = Invitation.objects.filter(participant=models.OuterRef("pk")).filter(
            Q(used_at__isnull=False) | Q(revoked_at__isnull=True, expires_at__gt=now)
        )
        return self.annotate(
            state=models.Case(
                models.When(
                    Q(status=ParticipantStatus.INVITED) & ~models.Exists(live),
                    then=models.Value(ParticipantStatus.EXPIRED),
                ),
                default=models.F("status"),
                output_field=models.CharField(),
            )
        )


class Participant(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
    )
    honorific = models.CharField(_("honorific"), max_length=40, blank=True)
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
    )
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    pilot_city = models.ForeignKey(
        PilotCity,
        verbose_name=_("pilot city represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        help_text=_("For a city representative or Chief Smart City Officer."),
    )
    role = models.CharField(
        _("role in the delegation"),
        max_length=32,
        choices=DelegationRole.choices,
        default=DelegationRole.MEMBER,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.NOMINATED,
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    # A substitution keeps both people: the one replaced stays on the roster as
    # "replaced", and the substitute points back at them.
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    # A late nomination to a confirmed roster waits for the secretariat's confirmation
    # of that one person; the rest of the roster stays confirmed.
    late_nominated_at = models.DateTimeField(_("nominated late"), null=True, blank=True)
    late_confirmed_at = models.DateTimeField(_("late nomination confirmed"), null=True, blank=True)
    status_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the person declined, cancelled or was replaced.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "email"], name="delegations_participant_unique_email"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipantStatus.values),
                name="delegations_participant_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["delegation", "status"], name="delegations_roster")]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("delegations:participant", kwargs={"pk": self.pk})

    @property
    def awaits_confirmation(self) -> bool:
        """Nominated late to a confirmed roster, and not yet confirmed."""
        return self.late_nominated_at is not None and self.late_confirmed_at is None

    @property
    def state_label(self):
        """The label of ``state`` (see ParticipantQuerySet.with_state), else the status's."""
        return ParticipantStatus(getattr(self, "state", self.status)).label


class Invitation(SingleUseLink):
    """A personal link to register for a meeting; only a hash of its token is kept."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="invitations"
    )

    class Meta(SingleUseLink.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.participant} ({self.created_at:%Y-%m-%d})"


class Registration(models.Model):
    """What a participant tells the organisers before the meeting."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="registration"
    )
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    arrival_flight = models.CharField(_("arrival flight"), max_length=40, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    departure_flight = models.CharField(_("departure flight"), max_length=40, blank=True)
    accommodation = models.CharField(_("accommodation"), max_length=200, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=200, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=200, blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=200)
    consent_photography = models.BooleanField(_("consent to photography"), default=False)
    consent_data_processing = models.BooleanField(_("consent to data processing"))
    # When the form was first sent: the secretariat's chart of registrations over time.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_data_processing=True),
                name="delegations_registration_consent_required",
            ),
            models.CheckConstraint(
                condition=Q(departure_date__isnull=True)
                | Q(arrival_date__isnull=True)
                | Q(departure_date__gte=models.F("arrival_date")),
                name="delegations_registration_dates_ordered",
            ),
        ]

    def __str__(self):
        return str(self.participant)


class BulkJob(models.Model):
    """Work on many people at once (invitations, reminders), done by a background task
    that records its progress here: done of total, and each failure with its reason.

    One unfinished job per ``key`` (the database says so), so a second click while
    the first runs starts nothing new.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bulk_jobs")
    kind = models.CharField(_("kind"), max_length=16, choices=BulkJobKind.choices)
    key = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=BulkJobStatus.choices, default=BulkJobStatus.QUEUED
    )
    participant_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    failures = models.JSONField(_("failures"), default=list, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk job")
        verbose_name_plural = _("bulk jobs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(finished_at__isnull=True),
                name="delegations_one_unfinished_job_per_key",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="delegations_job_done_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.done}/{self.total})"

    def get_absolute_url(self):
        return reverse("delegations:job", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100
