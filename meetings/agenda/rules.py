import rules

from ascn_portal.accounts.rules import is_secretariat
from meetings.agenda.enums import MeetingStatus, Visibility
from meetings.agenda.hats import hats_of


@rules.predicate
def is_published(user, meeting):
    return meeting is not None and meeting.status != MeetingStatus.DRAFT


@rules.predicate
def has_hat_at(user, meeting):
    """Anything at the meeting: on a delegation, managing one, on a panel, chairing a
    session, at its coordination. (Hats, not the account's role: see hats.py.)"""
    return meeting is not None and bool(hats_of(user).at(meeting))


@rules.predicate
def represents_a_country_at(user, meeting):
    """National Representative of a delegation to the meeting."""
    return meeting is not None and hats_of(user).at(meeting).is_national_representative


# Planning a meeting (its details, rooms and agenda) is the secretariat's job.
rules.add_perm("meetings.manage_meeting", is_secretariat)
rules.add_perm("meetings.view_meeting", is_secretariat | is_published)
# Which sessions of a published agenda a person sees, by the session's visibility; the
# agenda booklet PDF asks the same, so a meeting set back to draft hides it too.
rules.add_perm("meetings.view_participant_sessions", is_secretariat | (is_published & has_hat_at))
rules.add_perm(
    "meetings.view_nr_sessions", is_secretariat | (is_published & represents_a_country_at)
)
# A person's own agenda and its calendar: people with a hat at the meeting.
rules.add_perm("meetings.view_my_agenda", is_secretariat | has_hat_at)


def visible_levels(user, meeting):
    """The session visibilities ``user`` may see at ``meeting``."""
    levels = [Visibility.PUBLIC]
    if user.has_perm("meetings.view_participant_sessions", meeting):
        levels.append(Visibility.PARTICIPANTS)
    if user.has_perm("meetings.view_nr_sessions", meeting):
        levels.append(Visibility.NATIONAL_REPRESENTATIVES)
    return levels


def levels_of(hats):
    """The session visibilities a person wearing ``hats`` at a meeting may see: the same
    answer as visible_levels for someone who is not staff, without asking again."""
    levels = [Visibility.PUBLIC]
    if hats:
        levels.append(Visibility.PARTICIPANTS)
    if hats.is_national_representative:
        levels.append(Visibility.NATIONAL_REPRESENTATIVES)
    return levels
