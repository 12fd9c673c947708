"""Who acts: services take ``actor=`` as the request's user, a person, or None (a task,
a command, the system), and record the person only when someone is signed in."""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ascn_portal.accounts.models import User

Actor: TypeAlias = "User | AnonymousUser | None"


def acting_person(actor: Actor) -> "User | None":
    """The signed-in person behind ``actor``; None for the system or an anonymous visitor."""
    if actor is None or not actor.is_authenticated:
        return None
    return actor


def reply_to(actor: Actor) -> list[str]:
    """Reply-To addresses of a message sent on ``actor``'s behalf: theirs, if a person."""
    person = acting_person(actor)
    return [person.email] if person is not None else []
