"""Who acts: services take ``actor=`` as the request's user, a person, or None (a task,
a command, the system), and record the person only when someone is signed in."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser


def acting_person(actor: Any) -> AbstractBaseUser | None:
    """The signed-in person behind ``actor``; None for the system or an anonymous visitor."""
    if actor is not None and actor.is_authenticated:
        return actor
    return None


def reply_to(actor: Any) -> list[str]:
    """Reply-To addresses of a message sent on ``actor``'s behalf: theirs, if a person."""
    person = acting_person(actor)
    return [person.email] if person is not None else []
