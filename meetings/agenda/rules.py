import rules

from ascn_portal.accounts.rules import is_national_representative, is_secretariat
from meetings.agenda.enums import MeetingStatus, Visibility


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
