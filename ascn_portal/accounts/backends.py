"""Where a person's rights come from: rules.py for everyone, the admin's model
permissions for staff accounts only."""

from typing import Any

from django.core.exceptions import PermissionDenied


class ModelPermissionsForStaffOnly:
    """Stops the permission check after the rules for anyone who is not staff.

    Django asks every backend in turn until one says yes; after the rules said no, the
    model backends would read the person's model permissions (two queries), which only
    the admin grants and only staff can use. Raising PermissionDenied ends the check
    with "no" before them, so a delegate's page pays no query for rights they cannot
    hold. Staff (and superusers, answered before any backend) keep their admin rights.
    It authenticates nobody and loads no user (no ``get_user``), so logins and
    sessions never name it.
    """

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not user_obj.is_staff:
            raise PermissionDenied
        return False
