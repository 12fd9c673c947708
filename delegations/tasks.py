"""Celery tasks of the delegations app: thin, they call services."""

from ascn_portal.celery import app
from delegations import services


@app.task(name="ascn.delegations.send_registration_reminders")
def send_registration_reminders():
    services.invitations.send_registration_reminders()


@app.task(name="ascn.delegations.expire_invitations")
def expire_invitations():
    services.invitations.expire_invitations()
