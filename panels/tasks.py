"""Celery tasks of the panels app: thin, they call services."""

from celery import shared_task

from panels import services, slides


@shared_task(name="ascn.panels.send_points_reminders")
def send_points_reminders() -> None:
    services.send_points_reminders()
    # Slides missing as their deadline nears: the same daily round.
    slides.send_slides_reminders()
