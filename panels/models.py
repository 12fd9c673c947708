from typing import Any, Self

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascn_portal.core.models import VersionedDocument
from ascn_portal.core.permissions import all_or_own
from meetings.models import AgendaSession, Meeting
from panels.enums import PanelStatus
from pilots.models import Country, Organisation, PartnershipProject

# About a printed page: a note on what the panel achieved, not its transcript.
OUTCOME_NOTE_MAX_LENGTH = 3000


class Conference(models.Model):
    """The conference held inside an annual meeting, with its numbered panels."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="conference")
    title = models.CharField(_("title"), max_length=300)
    initiated_by = models.ManyToManyField(
        Country, verbose_name=_("initiated by"), blank=True, related_name="+"
    )
    co_hosted_by = models.ManyToManyField(
        Country, verbose_name=_("co-hosted by"), blank=True, related_name="+"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("partner organisations"), blank=True, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("panels:list", kwargs={"number": self.meeting.number})


class PanelQuerySet(models.QuerySet):
    def moderated_by(self, user: Any) -> Self:
        """All panels for the secretariat; the moderator's own for a moderator."""
        return all_or_own(self, user, perm="panels.manage_panels", owner="moderator")


class Panel(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="panels")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    theme = models.TextField(_("theme"), blank=True)
    agenda_session = models.OneToOneField(
        AgendaSession,
        verbose_name=_("agenda session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel",
        help_text=_("The slot of the programme the panel occupies."),
    )
    moderator = models.ForeignKey(
        "accounts.User",
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_panels",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PanelStatus.choices, default=PanelStatus.PLANNING
    )
    points_due = models.DateField(
        _("talking points due"),
        null=True,
        blank=True,
        help_text=_("Speakers who have not submitted are reminded daily from a week before."),
    )
    slides_due = models.DateTimeField(
        _("slides due"),
        null=True,
        blank=True,
        help_text=_("Speakers upload their slides until then; set by the moderator."),
    )
    coordination_sessions = models.ManyToManyField(
        "meetings.CoordinationSession",
        verbose_name=_("preparatory coordination sessions"),
        blank=True,
        related_name="panels",
        help_text=_("The coordination sessions that prepare this panel."),
    )
    # The brief the moderator composes; speakers see a version once it is shared.
    introduction = models.TextField(_("introduction"), blank=True)
    closing_remarks = models.TextField(_("closing remarks"), blank=True)
    brief_locked_at = models.DateTimeField(_("brief locked"), null=True, blank=True)
    # The register symbol its brief takes when a version is first shared with the
    # speakers (each later shared version is a revision of it).
    brief_registered_as = models.OneToOneField(
        "meetings.RegisteredDocument",
        verbose_name=_("brief's register entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="brief_of",
    )
    # What the panel came to, in the moderator's words, once it has been held: the
    # meeting's outcome report prints it under the panel's objectives.
    outcome_note = models.TextField(
        _("outcome note"), max_length=OUTCOME_NOTE_MAX_LENGTH, blank=True
    )

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["conference", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "number"], name="panels_panel_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PanelStatus.values), name="panels_panel_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("outcome_note"), OUTCOME_NOTE_MAX_LENGTH)),
                name="panels_panel_outcome_note_bounded",
            ),
        ]

    def __str__(self):
        return _("Panel %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("panels:detail", kwargs={"pk": self.pk})

    @property
    def is_locked(self):
        return self.brief_locked_at is not None

    @property
    def slot_minutes(self):
        """Length of the agenda slot, or None when the panel has no slot yet."""
        session = self.agenda_session
        if session is None:
            return None
        return int((session.ends_at - session.starts_at).total_seconds() // 60)


class Objective(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("objective"))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["panel", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "position"], name="panels_objective_unique_position"
            )
        ]

    def __str__(self):
        return self.text


class SpeakerQuerySet(models.QuerySet):
    def slides_of(self, user: Any) -> Self:
        """Every speaker for the secretariat; a person's own places on panels otherwise."""
        return all_or_own(self, user, perm="panels.manage_panels", owner="user")


class Speaker(models.Model):
    """A person speaking on a panel, with what the moderator notes about them."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="panel_speakers",
    )
    participant = models.ForeignKey(
        "delegations.Participant",
        verbose_name=_("participant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name as printed"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"))
    minutes = models.PositiveSmallIntegerField(_("minutes allotted"), default=10)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The speaker's slides: a document of the meeting's register (its revisions are
    # the slides replaced).
    slides = models.ForeignKey(
        "meetings.RegisteredDocument",
        verbose_name=_("slides"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Written by the moderator for the brief.
    bio_line = models.CharField(_("short bio line"), max_length=300, blank=True)
    questions = models.TextField(
        _("questions to ask"), blank=True, help_text=_("One question per line.")
    )

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["panel", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panels_speaker_once"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="panels_speaker_minutes"),
        ]

    def __str__(self):
        return self.name

    @property
    def question_list(self):
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class TalkingPoints(models.Model):
    """A speaker's points on their partnership programme, in the four sections."""

    speaker = models.OneToOneField(Speaker, on_delete=models.CASCADE, related_name="points")
    challenges = models.TextField(_("challenges"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    recommendations = models.TextField(
        _("recommendations for effective partnership schemes"), blank=True
    )
    projects = models.ManyToManyField(
        PartnershipProject,
        verbose_name=_("partnership projects cited"),
        blank=True,
        related_name="cited_in",
        help_text=_("Projects of the pilot-city registry your points refer to."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("talking points")
        verbose_name_plural = _("talking points")

    def __str__(self):
        return str(self.speaker)


class Segment(models.Model):
    """One part of the panel's run of show."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("segment"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    speaker = models.ForeignKey(
        Speaker,
        verbose_name=_("speaker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("run-of-show segment")
        verbose_name_plural = _("run-of-show segments")
        ordering = ["panel", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="panels_segment_minutes"),
        ]

    def __str__(self):
        return self.title


class BriefVersion(VersionedDocument):
    """A saved, immutable version of the panel brief and its PDF.

    ``content`` is everything the brief shows, as it stood: cover, objectives, run of
    show with clock times, speakers with their points and questions.
    """

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="brief_versions")
    shared_at = models.DateTimeField(_("shared with speakers"), null=True, blank=True)

    class Meta:
        verbose_name = _("brief version")
        verbose_name_plural = _("brief versions")
        ordering = ["panel", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "number"], name="panels_brief_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(shared_at__isnull=True) | Q(shared_at__gte=F("published_at")),
                name="panels_brief_shared_after_saved",
            ),
        ]

    def __str__(self):
        return f"{self.panel} v{self.number}"
