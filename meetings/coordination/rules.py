"""Who may see and change coordination sessions, their minutes and action items."""

import rules

from ascn_portal.accounts.rules import is_secretariat
from meetings.agenda.hats import Hat, hats_of


@rules.predicate
def chairs_session(user, session):
    return session is not None and user.is_authenticated and session.chair_id == user.pk


@rules.predicate
def invited_to_session(user, session):
    return session is not None and session.pk in hats_of(user).at(session.meeting_id).ids(
        Hat.COORDINATION_INVITEE
    )


@rules.predicate
def chairs_item_session(user, item):
    return item is not None and user.is_authenticated and item.session.chair_id == user.pk


@rules.predicate
def chairs_in_items_meeting(user, item):
    """A chair of any session of the meeting reviews the open items of the others."""
    return (
        item is not None
        and user.is_authenticated
        and user.chaired_coordination_sessions.filter(meeting_id=item.session.meeting_id).exists()
    )


@rules.predicate
def owns_item(user, item):
    return item is not None and user.is_authenticated and item.owner_person_id == user.pk


@rules.predicate
def chairs_in_meeting(user, meeting):
    """A chair of any session of the meeting reviews the open items of the others."""
    return (
        meeting is not None
        and user.is_authenticated
        and user.chaired_coordination_sessions.filter(meeting=meeting).exists()
    )


@rules.predicate
def follows_coordination_of(user, meeting):
    """A session of the meeting that ``user`` chairs or is invited to, an action item
    they own in one, or a delegation they manage there: their hats at the meeting
    (hats.py), asked once per request."""
    if meeting is None:
        return False
    return bool(hats_of(user).at(meeting).kinds & COORDINATION_HATS)


# A National Representative follows their country's items on the action board too.
COORDINATION_HATS = {
    Hat.COORDINATION_CHAIR,
    Hat.COORDINATION_INVITEE,
    Hat.ACTION_OWNER,
    Hat.NATIONAL_REPRESENTATIVE,
}


# The secretariat runs coordination: it creates sessions and sees all of them.
rules.add_perm("meetings.manage_coordination", is_secretariat)
# A meeting's coordination pages (the session list, the action board): everyone else 404.
rules.add_perm("meetings.view_coordination", is_secretariat | follows_coordination_of)
# The session, its agenda points, minutes and action items: the secretariat and the chair.
rules.add_perm("meetings.change_coordination_session", is_secretariat | chairs_session)
# Published minutes and their PDF: also every person invited.
rules.add_perm(
    "meetings.view_coordination_minutes", is_secretariat | chairs_session | invited_to_session
)
# Every action item of a meeting, from its board: the secretariat and its chairs.
rules.add_perm("meetings.change_action_items_of", is_secretariat | chairs_in_meeting)
# An action item's status, owner and due date, from the board or a later session.
changes_item = is_secretariat | chairs_item_session | chairs_in_items_meeting
rules.add_perm("meetings.change_action_item", changes_item)
# An item's status, with a note: also its owner (open, in progress or done; services
# limit the owner to OWNER_ACTION_STATUSES).
rules.add_perm("meetings.change_action_item_status", changes_item | owns_item)
