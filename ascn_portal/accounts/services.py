"""Writes on accounts: the invitation hook and saved preferences."""

from typing import cast

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest

from ascn_portal.accounts.models import User
from ascn_portal.core.audit import log_action

# What an invitation knows of the person, given to the account it creates.
PROFILE_FIELDS = (
    "honorific",
    "full_name",
    "position",
    "organisation",
    "phone",
    "language",
    "time_zone",
)
_PROFILE_SESSION_KEY = "ascn_invitee_profile"


def admit_invitee(
    request: HttpRequest, *, email: str, profile: dict[str, str] | None = None
) -> None:
    """Open sign-up in this session for the invited address, marked as verified.

    Called by the invitation view after it has checked the token; ``profile`` holds
    what the invitation knows of the person (PROFILE_FIELDS), for the account to start
    with. Side effects: the session remembers both until the account is created.
    """
    get_adapter(request).stash_verified_email(request, email.lower())
    request.session[_PROFILE_SESSION_KEY] = {
        name: value for name, value in (profile or {}).items() if name in PROFILE_FIELDS
    }


def apply_invitee_profile(request: HttpRequest, user: User) -> None:
    """Give a new account what its invitation knew of the person (not yet saved)."""
    profile = request.session.pop(_PROFILE_SESSION_KEY, None) or {}
    for name, value in profile.items():
        if value:
            setattr(user, name, value)


def invited_email(request: HttpRequest) -> str | None:
    """The address admitted by a valid invitation in this session, if any."""
    email = request.session.get("account_verified_email")
    return email.lower() if email else None


def save_language(user: User, *, language: str) -> None:
    """Remember the interface language on the account. Side effects: one UPDATE."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def create_account(
    email: str,
    *,
    full_name: str,
    password: str | None,
    role: str = "",
    language: str = "en",
    time_zone: str = "UTC",
    organisation: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a person's account with a verified primary e-mail address.

    For people whose address is already known to be theirs (demo accounts, and later
    invitees). Side effects: one User row and one allauth EmailAddress row.
    """
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name,
        role=role,
        language=language,
        time_zone=time_zone,
        organisation=organisation,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return cast(User, user)


def save_profile(user: User, *, actor: User) -> User:
    """Save what a person says about themselves (ProfileForm's fields).

    Side effects: the User row, an audit entry.
    """
    with transaction.atomic():
        user.save(
            update_fields=[
                "honorific",
                "full_name",
                "position",
                "organisation",
                "phone",
                "language",
                "time_zone",
            ]
        )
        log_action(user, "accounts.profile.update", actor=actor)
    return user
