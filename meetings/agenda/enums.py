from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class SessionKind(models.TextChoices):
    OPENING = "opening", _("Opening")
    PLENARY = "plenary", _("Plenary")
    CLOSED_DOOR = "closed_door", _("Closed-door meeting of National Representatives")
    CONFERENCE_PANEL = "conference_panel", _("Conference panel")
    SIDE_EVENT = "side_event", _("Side event")
    SITE_VISIT = "site_visit", _("Site visit")
    BREAK = "break", _("Break or meal")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTICIPANTS = "participants", _("All participants")
    NATIONAL_REPRESENTATIVES = "national_representatives", _("National Representatives only")
