"""Fetch objects through querysets already narrowed to what a person may see.

An outsider asking for another delegation's roster by id gets 404, never a hint that
the object exists; a 403 is kept for members who can see an object but lack a right on
it (checked with ``user.has_perm(name, obj)`` against the apps' rules.py predicates).
"""

from typing import Any, TypeVar

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

QS = TypeVar("QS", bound=QuerySet[Any])


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """Return the one object of ``queryset.visible_to(user)`` matching ``lookup``, or 404."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def all_or_own(queryset: QS, user: Any, *, perm: str, owner: str) -> QS:
    """Every row for holders of ``perm``; for anyone else signed in (and active), the
    rows whose ``owner`` lookup is them; nothing for anonymous visitors."""
    if user.has_perm(perm):
        return queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.filter(**{owner: user})
