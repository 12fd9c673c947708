"""How the coordination pages fetch their objects.

Sessions and items are fetched through querysets narrowed to what the person may see
(``visible_to``): an outsider gets 404. Someone who sees a session but may not change
it (an invitee) gets 403 for the editing pages. The meeting itself may still be a
draft: its coordination happens before it is published.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from ascn_portal.core.permissions import get_visible_or_404
from meetings.agenda.models import Meeting
from meetings.coordination.models import ActionItem, CoordinationSession


def meeting_or_404(number):
    return get_object_or_404(
        Meeting.objects.select_related("host_country", "chair_country"), number=number
    )


def session_or_404(request, number, pk):
    """The session if this person may see it; 404 for everyone else."""
    return get_visible_or_404(
        CoordinationSession.objects.select_related(
            "meeting", "convening_organisation", "chair", "minutes"
        ),
        request.user,
        meeting__number=number,
        pk=pk,
    )


def editable_session_or_404(request, number, pk):
    session = session_or_404(request, number, pk)
    if not request.user.has_perm("meetings.change_coordination_session", session):
        raise PermissionDenied
    return session


def safe_next_url(request, fallback):
    """``next`` if it is a path of this site; ``fallback`` otherwise.

    Only an absolute path: ``redirect()`` would resolve a bare word as a view name.
    """
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


def item_or_404(request, number, item):
    return get_visible_or_404(
        ActionItem.objects.select_related(
            "session__meeting", "owner_person", "owner_organisation", "agenda_point"
        ),
        request.user,
        session__meeting__number=number,
        pk=item,
    )


def changeable_item_or_404(request, number, item):
    item = item_or_404(request, number, item)
    if not request.user.has_perm("meetings.change_action_item", item):
        raise PermissionDenied
    return item


def status_changeable_item_or_404(request, number, item):
    """An item whose status this person may change (its owner too); 403 for others who
    see it."""
    item = item_or_404(request, number, item)
    if not request.user.has_perm("meetings.change_action_item_status", item):
        raise PermissionDenied
    return item
