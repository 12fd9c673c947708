"""Celery tasks of the panels app: thin, they call services."""

from ascn_portal.celery import app
from panels import services


@app.task(name="ascn.panels.send_points_reminders")
def send_points_reminders():
    services.send_points_reminders()
