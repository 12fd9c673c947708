"""Writes on action items: recorded at a session, followed until someone closes them,
and their owners reminded as they fall due."""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor
from ascn_portal.core.audit import log_action
from ascn_portal.core.outbox import MailSpec, queue_mails
from ascn_portal.core.sites import absolute_url
from meetings.coordination.enums import (
    ACTIVE_ACTION_STATUSES,
    OWNER_ACTION_STATUSES,
    ActionItemStatus,
)
from meetings.coordination.models import ActionItem, CoordinationSession
from meetings.coordination.services.sessions import lock_minutes, refuse_unless_draft


def record_action_item(
    session: CoordinationSession, item: ActionItem, *, actor: Actor
) -> ActionItem:
    """Record an action item at a session whose minutes are a draft.

    Raises ValidationError for an item without an owner (the database refuses one
    too) or minutes that are not a draft. Side effects: the row, an audit entry.
    """
    if item.owner_person_id is None and item.owner_organisation_id is None:
        raise ValidationError(_("Name an owner: a person, an organisation or both."))
    with transaction.atomic():
        lock_minutes(session)
        refuse_unless_draft(session)
        item.session = session
        _set_closed_at(item)
        item.save()
        log_action(
            item,
            "meetings.action_item.create",
            actor=actor,
            data={"session": session.pk, "title": item.title, "due": _iso(item.due_date)},
        )
    return item


def update_action_item(item: ActionItem, *, actor: Actor) -> ActionItem:
    """Save an action item's changes: it follows its owner after the session, so this
    is allowed whatever the state of the minutes. Side effects: the row, an audit entry."""
    if item.owner_person_id is None and item.owner_organisation_id is None:
        raise ValidationError(_("Name an owner: a person, an organisation or both."))
    with transaction.atomic():
        _set_closed_at(item)
        item.save()
        log_action(
            item,
            "meetings.action_item.update",
            actor=actor,
            data={"status": item.status, "due": _iso(item.due_date)},
        )
    return item


def set_action_item_status(
    item: ActionItem, *, status: str, actor: Actor, note: str = "", as_owner: bool = False
) -> bool:
    """Open, start, close or drop an item, with an optional note: from the board, the
    item's page (its owner) or a later session's review.

    ``as_owner`` limits the change to OWNER_ACTION_STATUSES (ValidationError
    otherwise). Side effects: status and closing time, an audit entry holding the
    change and the note (the item's history). Returns False when nothing changed (the
    same status and no note).
    """
    if status not in ActionItemStatus.values or (as_owner and status not in OWNER_ACTION_STATUSES):
        raise ValidationError(_("You cannot set this status."))
    note = note.strip()
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.status == status and not note:
            return False
        before = item.status
        item.status = status
        _set_closed_at(item)
        item.save(update_fields=["status", "closed_at", "updated_at"])
        log_action(
            item,
            "meetings.action_item.status",
            actor=actor,
            data={"from": before, "to": status, "note": note},
        )
    return True


def _set_closed_at(item: ActionItem) -> None:
    if item.status in ACTIVE_ACTION_STATUSES:
        item.closed_at = None
    elif item.closed_at is None:
        item.closed_at = timezone.now()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def item_snapshot(item: ActionItem, number: int, point: int | None) -> dict[str, Any]:
    """An action item as a published record holds it: names and ISO dates, not ids."""
    return {
        "number": number,
        "title": item.title,
        "point": point,
        "owner": item.owner_label,
        "due_date": _iso(item.due_date),
        "status": item.status,
        "notes": item.notes,
    }


# --- Reminders ----------------------------------------------------------------------------

REMINDER_DAYS_BEFORE_DUE = 3
# Reminders of a day go out from this hour on, in the meeting's own zone.
REMINDER_LOCAL_HOUR = 8


def send_action_item_reminders(*, now: datetime | None = None) -> int:
    """Remind owners of open items due within three days, or overdue, once a day.

    The day is the meeting's own date: the idempotency key holds the item and that
    date, so running this every hour (or twice) sends each item's owner one reminder
    a day at most, from REMINDER_LOCAL_HOUR on. Items done or dropped, and items owned
    only by an organisation, are never reminded. Side effects: one outbox message per
    item reminded. Returns how many messages were queued or already there today.
    """
    now = now or timezone.now()
    # No zone is more than a day ahead of UTC.
    horizon = now.date() + timedelta(days=REMINDER_DAYS_BEFORE_DUE + 1)
    candidates = (
        ActionItem.objects.filter(
            status__in=ACTIVE_ACTION_STATUSES,
            due_date__isnull=False,
            due_date__lte=horizon,
            owner_person__isnull=False,
            owner_person__is_active=True,
        )
        .exclude(owner_person__email="")
        .select_related("owner_person", "owner_organisation", "session__meeting")
        .order_by("pk")
    )
    specs = []
    for item in candidates:
        meeting = item.session.meeting
        local = now.astimezone(meeting.zone)
        days_left = (item.due_date - local.date()).days
        if local.hour < REMINDER_LOCAL_HOUR or days_left > REMINDER_DAYS_BEFORE_DUE:
            continue
        owner = item.owner_person
        specs.append(
            MailSpec(
                to=[owner.email],
                template="meetings/action_item_reminder",
                context={
                    "item": item,
                    "meeting": meeting,
                    "session": item.session,
                    "name": owner.display_name,
                    "days_left": days_left,
                    "overdue": days_left < 0,
                    "days_late": -days_left,
                    "board_url": absolute_url(
                        reverse("meetings:action_board", args=[meeting.number])
                    ),
                },
                idempotency_key=f"meetings.action-reminder:{item.pk}:{local.date().isoformat()}",
                language=owner.language,
                about=item,
            )
        )
    with transaction.atomic():
        mails = queue_mails(specs)
    return len(mails)
