"""Celery tasks of the meetings app: thin, they take ids and call services."""

from typing import Any

from celery import Task, shared_task

from meetings.coordination.services import action_items, minutes

# How long the minutes' e-mail waits for its PDF: 30 tries 10 s apart.
MINUTES_MAIL_RETRIES = 30
MINUTES_MAIL_RETRY_SECONDS = 10


@shared_task(name="ascn.meetings.mail_published_minutes", bind=True, max_retries=None)
def mail_published_minutes(self: "Task[Any, Any]", *, version_id: int) -> None:
    # Eagerly the PDF was rendered just before (its task was enqueued first); a retry
    # would block the request, so whatever state it is in, the mail goes now.
    give_up = self.request.is_eager or self.request.retries >= MINUTES_MAIL_RETRIES
    if not minutes.mail_published_minutes(version_id, give_up=give_up):
        raise self.retry(countdown=MINUTES_MAIL_RETRY_SECONDS)
    return None


@shared_task(name="ascn.meetings.send_action_item_reminders")
def send_action_item_reminders() -> None:
    action_items.send_action_item_reminders()
