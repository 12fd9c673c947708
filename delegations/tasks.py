"""Celery tasks of the delegations app: thin, they call services."""

from celery import shared_task

from delegations import services


@shared_task(name="ascn.delegations.send_registration_reminders")
def send_registration_reminders() -> None:
    services.invitations.send_registration_reminders()


@shared_task(name="ascn.delegations.expire_invitations")
def expire_invitations() -> None:
    services.invitations.expire_invitations()
