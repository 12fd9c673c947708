import rules

from ascn_portal.accounts.rules import is_national_representative, is_secretariat
from meetings.enums import MeetingStatus, Visibility


@rules.predicate
def is_published(user, meeting):
    return meeting is not None and meeting.status != MeetingStatus.DRAFT


@rules.predicate
def is_participant(user):
    """Anyone signed in with a role in the network.

    Narrows to the meeting's registered participants once delegations exist.
    """
    return user.is_authenticated and user.is_active and bool(user.role)


# Planning a meeting (its details, rooms and agenda) is the secretariat's job.
rules.add_perm("meetings.manage_meeting", is_secretariat)
rules.add_perm("meetings.view_meeting", is_secretariat | is_published)
# Which sessions of a published agenda a person sees, by the session's visibility.
rules.add_perm("meetings.view_participant_sessions", is_secretariat | is_participant)
rules.add_perm("meetings.view_nr_sessions", is_secretariat | is_national_representative)


def visible_levels(user):
    """The session visibilities ``user`` may see."""
    levels = [Visibility.PUBLIC]
    if user.has_perm("meetings.view_participant_sessions"):
        levels.append(Visibility.PARTICIPANTS)
    if user.has_perm("meetings.view_nr_sessions"):
        levels.append(Visibility.NATIONAL_REPRESENTATIVES)
    return levels


# --- Coordination sessions, minutes and action items -----------------------------------


@rules.predicate
def chairs_session(user, session):
    return session is not None and user.is_authenticated and session.chair_id == user.pk


@rules.predicate
def invited_to_session(user, session):
    return (
        session is not None
        and user.is_authenticated
        and session.invited_people.filter(pk=user.pk).exists()
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


# The secretariat runs coordination: it creates sessions and sees all of them.
rules.add_perm("meetings.manage_coordination", is_secretariat)
# The session, its agenda points, minutes and action items: the secretariat and the chair.
rules.add_perm("meetings.change_coordination_session", is_secretariat | chairs_session)
# Published minutes and their PDF: also every person invited.
rules.add_perm(
    "meetings.view_coordination_minutes", is_secretariat | chairs_session | invited_to_session
)
# An action item's status, owner and due date, from the board or a later session.
rules.add_perm(
    "meetings.change_action_item", is_secretariat | chairs_item_session | chairs_in_items_meeting
)
