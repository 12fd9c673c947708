"""Writes on the minutes of coordination sessions; their action items are written by
``services.action_items``.

Minutes go draft → approved → published. Publishing stores an immutable, numbered
MinutesVersion (a JSON snapshot), renders its PDF in the background and e-mails it to
those present; a correction returns the working copy to draft and its publication
adds the next version, leaving the earlier ones as they were.
"""

import logging
import re
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ascn_portal.accounts.models import User
from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.audit import log_action
from ascn_portal.core.documents import in_language
from ascn_portal.core.enums import DocumentKind, DocumentStatus
from ascn_portal.core.outbox import Attachment, MailSpec, queue_mails
from ascn_portal.core.sites import absolute_url
from ascn_portal.core.versions import DocumentRequest, publish_version
from meetings.coordination import queries as coordination_queries
from meetings.coordination.enums import PRESENT, CoordinationMode, MinutesStatus
from meetings.coordination.models import (
    ActionItem,
    Attendance,
    CoordinationSession,
    Minutes,
    MinutesVersion,
)
from meetings.coordination.services.action_items import item_snapshot, record_action_item
from meetings.coordination.services.sessions import (
    lock_minutes,
    minutes_readers,
    refuse_unless_draft,
)
from meetings.register.enums import Distribution
from meetings.register.services import register_generated

logger = logging.getLogger(__name__)


# --- The working copy -------------------------------------------------------------------


def save_attendance(session: CoordinationSession, *, formset: Any, actor: Actor) -> None:
    """Save the attendance list: who was expected, whom they represented, whether they
    came. A row for an account takes the person's name and address.

    Raises ValidationError unless the minutes are a draft. Side effects: Attendance
    rows created, changed and deleted; an audit entry.
    """
    with transaction.atomic():
        lock_minutes(session)
        refuse_unless_draft(session)
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for row in rows:
            row.session = session
            if row.person_id is not None:
                row.name = row.name or row.person.full_name
                row.email = row.person.email
            row.save()
        log_action(
            session,
            "meetings.minutes.attendance",
            actor=actor,
            data={"saved": len(rows), "deleted": len(formset.deleted_objects)},
        )


def prefill_attendance(session: CoordinationSession, *, actor: Actor) -> int:
    """Add everyone invited (chair, people, guests) who is not on the attendance list
    yet, as present in the session's own mode (online for an online session).

    Raises ValidationError unless the minutes are a draft. Side effects: Attendance
    rows, an audit entry. Returns how many were added.
    """
    with transaction.atomic():
        lock_minutes(session)
        refuse_unless_draft(session)
        status = "online" if session.mode == CoordinationMode.ONLINE else "in_person"
        listed_people = set(
            session.attendance.filter(person__isnull=False).values_list("person_id", flat=True)
        )
        listed_emails = {
            email.lower() for email in session.attendance.values_list("email", flat=True)
        }
        rows = []
        people = list(session.invited_people.filter(is_active=True))
        if session.chair is not None:
            people.insert(0, session.chair)
        for person in people:
            if person.pk in listed_people:
                continue
            listed_people.add(person.pk)
            listed_emails.add(person.email.lower())
            rows.append(
                Attendance(
                    session=session,
                    person=person,
                    name=person.full_name or person.email,
                    email=person.email,
                    status=status,
                )
            )
        for guest in session.guests.all():
            if guest.email.lower() in listed_emails:
                continue
            listed_emails.add(guest.email.lower())
            rows.append(
                Attendance(
                    session=session,
                    name=guest.name,
                    email=guest.email,
                    organisation=guest.organisation,
                    status=status,
                )
            )
        Attendance.objects.bulk_create(rows)
        log_action(session, "meetings.minutes.prefill", actor=actor, data={"added": len(rows)})
    return len(rows)


def save_point_minutes(session: CoordinationSession, *, formset: Any, actor: Actor) -> None:
    """Save, per agenda point, the summary of discussion and the decisions taken.

    Raises ValidationError unless the minutes are a draft. Side effects: AgendaPoint
    rows, an audit entry.
    """
    with transaction.atomic():
        lock_minutes(session)
        refuse_unless_draft(session)
        points = formset.save()
        log_action(session, "meetings.minutes.points", actor=actor, data={"saved": len(points)})


def save_minutes_page(
    session: CoordinationSession,
    *,
    attendance: Any = None,
    points: Any = None,
    action_item: ActionItem | None = None,
    prefill: bool = False,
    actor: Actor,
) -> int:
    """Save whatever the minutes editor sent in one go: the attendance list, the
    discussion and decisions, a new action item, and (when asked) everyone invited
    added to the attendance. Nothing typed in one section is dropped by saving another.

    Raises ValidationError unless the minutes are a draft, or for an action item
    without an owner; then nothing is saved. Side effects: those of
    ``save_attendance``, ``save_point_minutes``, ``record_action_item`` and
    ``prefill_attendance``, in one transaction. Returns how many people were added.
    """
    added = 0
    with transaction.atomic():
        if attendance is not None:
            save_attendance(session, formset=attendance, actor=actor)
        if points is not None:
            save_point_minutes(session, formset=points, actor=actor)
        if action_item is not None:
            record_action_item(session, action_item, actor=actor)
        if prefill:
            added = prefill_attendance(session, actor=actor)
    return added


# --- Approval and publication -------------------------------------------------------------


def _move(
    session: CoordinationSession,
    *,
    allowed_from: list[MinutesStatus],
    to: MinutesStatus,
    action: str,
    actor: Actor,
    data: dict[str, Any] | None = None,
) -> Minutes:
    with transaction.atomic():
        minutes = lock_minutes(session)
        if minutes.status not in allowed_from:
            raise ValidationError(
                _("The minutes are %(status)s; that cannot be done now.")
                % {"status": minutes.get_status_display().lower()}
            )
        minutes.status = to
        if to == MinutesStatus.APPROVED:
            minutes.approved_by = acting_person(actor)
            minutes.approved_at = timezone.now()
        elif to == MinutesStatus.DRAFT:
            minutes.approved_by, minutes.approved_at = None, None
        minutes.save()
        log_action(minutes, action, actor=actor, data=data or {})
    return minutes


def approve_minutes(session: CoordinationSession, *, actor: Actor) -> Minutes:
    """The chair or the secretariat approves the draft, once the session has ended.
    Raises ValidationError before then. Side effects: approved, by whom and when; an
    audit entry."""
    if session.ends_at > timezone.now():
        raise ValidationError(
            _("The minutes can be approved once the session has ended, at %(end)s (%(zone)s).")
            % {
                "end": date_format(session.local_end, "j F Y, H:i"),
                "zone": session.time_zone,
            }
        )
    return _move(
        session,
        allowed_from=[MinutesStatus.DRAFT],
        to=MinutesStatus.APPROVED,
        action="meetings.minutes.approve",
        actor=actor,
    )


def reopen_minutes(session: CoordinationSession, *, actor: Actor) -> Minutes:
    """Return approved minutes to draft for another change. Side effects: draft, audit."""
    return _move(
        session,
        allowed_from=[MinutesStatus.APPROVED],
        to=MinutesStatus.DRAFT,
        action="meetings.minutes.reopen",
        actor=actor,
    )


def start_correction(session: CoordinationSession, *, note: str, actor: Actor) -> Minutes:
    """Reopen published minutes to correct them; ``note`` says what changes and is
    printed on the next version. The published versions stay as they are.
    Side effects: the working copy back to draft with the note, an audit entry."""
    if not note.strip():
        raise ValidationError(_("Say what the correction changes."))
    with transaction.atomic():
        minutes = _move(
            session,
            allowed_from=[MinutesStatus.PUBLISHED],
            to=MinutesStatus.DRAFT,
            action="meetings.minutes.correct",
            actor=actor,
            data={"note": note},
        )
        minutes.correction_note = note.strip()
        minutes.save(update_fields=["correction_note", "updated_at"])
    return minutes


def publish_minutes(session: CoordinationSession, *, actor: Actor) -> MinutesVersion:
    """Publish approved minutes as the session's next numbered version.

    Side effects: a MinutesVersion with the snapshot (immutable from then on); the
    working copy marked published; the PDF requested (rendered in the background); its
    place in the meeting's register (see ``register_minutes``); after commit, a task
    that e-mails it to those present (see ``mail_published_minutes``); an audit entry.
    """
    from meetings.coordination.tasks import mail_published_minutes as mail_task

    def published(version: MinutesVersion) -> None:
        register_minutes(session, version, actor=actor)
        # Registered after the render task, so eagerly the PDF exists when this runs.
        transaction.on_commit(lambda: mail_task.delay(version_id=version.pk))

    with transaction.atomic():
        minutes = lock_minutes(session)
        if minutes.status != MinutesStatus.APPROVED:
            raise ValidationError(_("Only approved minutes can be published."))
        session = CoordinationSession.objects.select_related(
            "meeting", "convening_organisation", "chair"
        ).get(pk=session.pk)
        version = publish_version(
            MinutesVersion,
            session,
            content=snapshot(session, approved_by=minutes.approved_by),
            correction_note=minutes.correction_note,
            document=lambda version: DocumentRequest(
                about=session,
                kind=DocumentKind.MINUTES,
                title=_("Record of meeting: %(title)s, version %(number)s")
                % {"title": session.title, "number": version.number},
                template_name="pdf/meetings/minutes.html",
                context=_document_context(version),
                view_permission="meetings.view_coordination_minutes",
            ),
            action="meetings.minutes.publish",
            actor=actor,
            on_published=published,
        )
        minutes.status = MinutesStatus.PUBLISHED
        minutes.correction_note = ""
        minutes.save(update_fields=["status", "correction_note", "updated_at"])
    return version


def minutes_title(session: CoordinationSession) -> str:
    return _("Record of meeting: %(title)s") % {"title": session.title}


def register_minutes(
    session: CoordinationSession, version: MinutesVersion, *, actor: Actor
) -> None:
    """Put a just-published minutes version in the meeting's register: a new symbol the
    first time, a revision of it after.

    Distributed to a named list: the minutes are read by the session's chair and the
    people invited to it (meetings.view_coordination_minutes), and no level of the
    register says exactly that; saving the session keeps the list in step
    (sessions.save_coordination_session). No submitter is recorded: a chair who
    publishes would otherwise keep reading after being replaced. Side effects: see
    register_generated; the session's ``minutes_registered_as`` the first time.
    """
    register_generated(
        session.meeting,
        version.document,  # publish_version has just asked for it
        kept_on=(session, "minutes_registered_as"),
        title=lambda: minutes_title(session),
        actor=actor,
        distribution=Distribution.NAMED,
        readers=minutes_readers(session),
        record_submitter=False,
    )


def _document_context(version: MinutesVersion) -> dict[str, Any]:
    record = coordination_queries.minutes_record(version)
    # time_zone: of the running header's generation time.
    return {"record": record, "time_zone": record["time_zone"]}


def paragraphs(text: str) -> list[str]:
    """Blocks of text separated by blank lines, each one paragraph of the record."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def snapshot(session: CoordinationSession, *, approved_by: User | None = None) -> dict[str, Any]:
    """What a published version holds: the session, attendance, points, action items.

    Names, not ids: the record reads the same after people and organisations change.
    """
    points = list(session.agenda_points.all())
    numbers = {point.pk: index for index, point in enumerate(points, start=1)}
    items = list(
        session.action_items.select_related("owner_person", "owner_organisation").order_by(
            "agenda_point__position", "pk"
        )
    )
    earlier = [
        item
        for item in ActionItem.objects.filter(
            session__meeting=session.meeting_id, session__starts_at__lt=session.starts_at
        )
        .select_related("owner_person", "owner_organisation", "session")
        .order_by("session__starts_at", "pk")
        # Matters arising: what was still open when this session began.
        if item.closed_at is None or item.closed_at >= session.starts_at
    ]
    return {
        "session": {
            "meeting": session.meeting.title,
            "title": session.title,
            "purpose": session.purpose,
            "starts_at": session.starts_at.astimezone(UTC).isoformat(),
            "ends_at": session.ends_at.astimezone(UTC).isoformat(),
            "time_zone": session.time_zone,
            "mode": session.mode,
            "place": session.place,
            "video_link": session.video_link,
            "convening_organisation": session.convening_organisation.name,
            "chair": session.chair.full_name if session.chair else "",
        },
        "approved_by": approved_by.full_name if approved_by else "",
        "attendance": [
            {
                "name": row.name,
                "organisation": row.organisation.name if row.organisation else "",
                "status": row.status,
            }
            for row in session.attendance.select_related("organisation")
        ],
        "points": [
            {
                "number": numbers[point.pk],
                "title": point.title,
                "discussion": paragraphs(point.discussion),
                "decisions": point.decision_list,
            }
            for point in points
        ],
        "action_items": [
            item_snapshot(item, number, numbers.get(item.agenda_point_id))
            for number, item in enumerate(items, start=1)
        ],
        "earlier_items": [
            {**item_snapshot(item, number, None), "session": item.session.title}
            for number, item in enumerate(earlier, start=1)
        ],
    }


def mail_published_minutes(version_id: int, *, give_up: bool = False) -> bool:
    """E-mail a published version to everyone recorded present, the PDF attached.

    Why this shape: the PDF is rendered by its own task and the two can run in any
    order on the workers, so this one returns False (and its task retries later) while
    the document is pending. Once the PDF is ready it goes with each message, since
    guests have no account to download it with. If rendering failed, or is still not
    done when the task runs out of retries (``give_up``), the messages go without it,
    pointing to the document's page, where it can be rendered again and downloaded.
    Every message's idempotency key is (version, address): a retried or duplicated task
    never sends twice. Side effects: one outbox message per present attendee with an
    address. Returns True once the messages are queued (or the version is gone).
    """
    version = (
        MinutesVersion.objects.select_related("session__meeting", "document")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        logger.info("Minutes version %s is gone; nothing to send", version_id)
        return True
    # The PDF in each interface language: every recipient gets their own.
    copies = {
        language: in_language(version.document, language)
        for language, _name in settings.LANGUAGES
        if version.document is not None
    }
    if not give_up and any(copy.status == DocumentStatus.PENDING for copy in copies.values()):
        return False
    attachments: dict[str, list[Attachment]] = {}
    for language, copy in copies.items():
        if copy.status == DocumentStatus.READY:
            with copy.file.open("rb") as handle:
                pdf = handle.read()
            attachments[language] = [
                Attachment(
                    f"minutes-{version.session_id}-v{version.number}.pdf", pdf, "application/pdf"
                )
            ]
    session = version.session
    present = (
        session.attendance.filter(status__in=PRESENT)
        .exclude(email="")
        .select_related("person")
        .order_by("pk")
    )
    document_url = (
        absolute_url(reverse("core:document_detail", args=[version.document_id]))
        if version.document_id
        else ""
    )
    specs = []
    for row in present:
        person = row.person
        language = person.language if person is not None else settings.LANGUAGE_CODE
        specs.append(
            MailSpec(
                to=[row.email],
                template="meetings/minutes_published",
                context={
                    "session": session,
                    "meeting": session.meeting,
                    "version": version,
                    "name": row.name,
                    "attached": bool(attachments.get(language)),
                    # Guests cannot sign in: for them the attachment is the copy.
                    "minutes_url": absolute_url(version.get_absolute_url())
                    if person is not None
                    else "",
                    "document_url": document_url if person is not None else "",
                },
                idempotency_key=f"meetings.minutes:{version.pk}:{row.email.lower()}",
                language=language,
                attachments=attachments.get(language, []),
                about=version,
            )
        )
    with transaction.atomic():
        queue_mails(specs)
    return True
