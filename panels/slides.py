"""Speakers' slides: the deadline the moderator sets, and the slides each speaker
uploads into the meeting's document register before it.

A speaker's slides are one conference room paper (CRP) of the meeting: in UN usage a
CRP is material put before the room during the session, as slides are, rather than a
paper of record (DOC) or background reading (INF). Replacing the slides issues a
revision (Rev.n) of that symbol, so earlier files stay readable and marked superseded.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor
from ascn_portal.core.audit import log_action
from ascn_portal.core.sites import absolute_url
from ascn_portal.core.uploads import PDF, PPTX, UploadRefused
from meetings.register.enums import Distribution, DocumentSeries, VersionChange
from meetings.register.models import DocumentFile
from meetings.register.services import accept_upload, add_file, register_document
from panels.models import Panel, Speaker
from panels.rules import gives_the_talk
from panels.services import queue_speaker_reminders

SLIDE_TYPES = (PDF, PPTX)
TITLE_MAX_LENGTH = 300


def in_meeting_zone(moment: datetime, panel: Panel) -> str:
    """``moment`` as the panel's meeting reads it, naming the zone:
    "30 July 2024, 17:00 (Asia/Vientiane)"."""
    meeting = panel.conference.meeting
    local = moment.astimezone(meeting.zone)
    return f"{date_format(local, 'j F Y, H:i')} ({meeting.time_zone})"


def due_text(panel: Panel) -> str:
    """The panel's deadline for slides in its meeting's zone, or "" when none is set."""
    return in_meeting_zone(panel.slides_due, panel) if panel.slides_due else ""


def set_slides_due(panel: Panel, *, due: datetime | None, actor: Actor) -> Panel:
    """Set (or clear, with None) the deadline for the speakers' slides of ``panel``.

    The deadline is a moment in the future, no later than the start of the panel's slot
    (so a panel needs its slot first). Side effects: the panel's ``slides_due``, an
    audit entry. Raises ValidationError, changing nothing, for a deadline out of bounds.
    """
    if due is not None:
        session = panel.agenda_session
        if session is None:
            raise ValidationError(
                _("The panel has no slot in the programme yet, so no deadline can be set.")
            )
        if due > session.starts_at:
            raise ValidationError(
                _("The deadline must not be after the panel starts (%(start)s).")
                % {"start": in_meeting_zone(session.starts_at, panel)}
            )
        if due <= timezone.now():
            raise ValidationError(
                _("The deadline must be in the future; it is now %(now)s.")
                % {"now": in_meeting_zone(timezone.now(), panel)}
            )
    with transaction.atomic():
        panel.slides_due = due
        panel.save(update_fields=["slides_due"])
        log_action(
            panel,
            "panels.slides_due.set",
            actor=actor,
            data={"slides_due": due.isoformat() if due else None},
        )
    return panel


def closed_message(panel: Panel) -> str:
    """Why a speaker may no longer upload: the deadline, in the meeting's zone."""
    due = panel.slides_due
    return _(
        "The deadline for slides passed on %(due)s; ask the secretariat to add late slides."
    ) % {"due": in_meeting_zone(due, panel) if due else ""}


def upload_slides(
    speaker: Speaker, *, upload: UploadedFile, language: str, actor: Any
) -> DocumentFile:
    """Store ``upload`` as ``speaker``'s slides: the first upload registers a CRP of the
    meeting (distribution: all participants; agenda item: the panel's slot; submitter:
    the speaker), each later one a revision of it.

    The speaker may upload until the deadline, the secretariat at any time.
    Side effects: the register's rows and stored file (see meetings.register.services),
    the speaker's ``slides`` link, an audit entry. Raises ValidationError (the deadline
    has passed), UploadRefused (not a PDF or PPTX, or refused by the upload checks) or
    PermissionDenied, with nothing stored.
    """
    panel = speaker.panel
    if not actor.has_perm("panels.upload_slides", speaker):
        if gives_the_talk(actor, speaker):
            raise ValidationError(closed_message(panel))
        raise PermissionDenied
    # Judged (and hashed) once here; the register stores it on this verdict.
    accepted = accept_upload(upload)
    if accepted.content_type not in SLIDE_TYPES:
        raise UploadRefused(_("Slides are accepted as a PDF or a PowerPoint (PPTX) file."))
    with transaction.atomic():
        locked = Speaker.objects.select_for_update().get(pk=speaker.pk)
        if locked.slides_id is None:
            document = register_document(
                panel.conference.meeting,
                series=DocumentSeries.CRP,
                title=slides_title(speaker),
                upload=upload,
                language=language,
                distribution=Distribution.PARTICIPANTS,
                agenda_session=panel.agenda_session,
                organisation=speaker.organisation,
                actor=actor,
                submitted_by=speaker.user,
                accepted=accepted,
            )
            stored = document.files.get()
            locked.slides = document
            locked.save(update_fields=["slides"])
        else:
            stored = add_file(
                locked.slides,
                upload=upload,
                language=language,
                change=VersionChange.REVISION,
                actor=actor,
                accepted=accepted,
            )
        log_action(
            locked,
            "panels.slides.upload",
            actor=actor,
            data={"symbol": stored.symbol, "panel": panel.pk},
        )
    speaker.slides = locked.slides
    return stored


def slides_title(speaker: Speaker) -> str:
    """The register's title of the speaker's slides (in English, the register's
    language of record)."""
    panel = speaker.panel
    title = f"Panel {panel.number} slides: {speaker.name}"
    if speaker.topic:
        title += f" – {speaker.topic}"
    return title[:TITLE_MAX_LENGTH]


# Speakers without slides hear of it daily over the last days before the deadline.
REMIND_DAYS_BEFORE = 3


def send_slides_reminders(*, now: datetime | None = None) -> int:
    """Remind each speaker who has not uploaded slides, once a day, while the panel's
    deadline is at most REMIND_DAYS_BEFORE days away and not yet passed.

    Side effects: one outbox message per speaker reminded (the idempotency key carries
    the day in the meeting's zone, so a rerun the same day sends nothing).
    """
    now = now or timezone.now()
    speakers = (
        Speaker.objects.filter(
            slides__isnull=True,
            panel__slides_due__gt=now,
            panel__slides_due__lte=now + timedelta(days=REMIND_DAYS_BEFORE),
        )
        .select_related("user", "panel__conference__meeting")
        .order_by("pk")
    )
    return queue_speaker_reminders(
        speakers,
        template="panels/slides_reminder",
        # The day in the meeting's zone: one reminder per day as the speaker lives it.
        day=lambda speaker: now.astimezone(speaker.panel.conference.meeting.zone).date(),
        context=lambda speaker: {
            "due": speaker.panel.slides_due,
            "zone": speaker.panel.conference.meeting.time_zone,
            "link": absolute_url(reverse("panels:slides", args=[speaker.panel_id, speaker.pk])),
        },
    )
