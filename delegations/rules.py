import rules

from ascn_portal.accounts.rules import is_secretariat
from delegations.enums import ROSTER_APPROVABLE, ROSTER_CONFIRMABLE, RosterStatus
from meetings.agenda.hats import Hat, hats_of


@rules.predicate
def manages_delegation(user, delegation):
    return (
        delegation is not None
        and user.is_authenticated
        and delegation.national_representative_id == user.pk
    )


@rules.predicate
def roster_is_approvable(user, delegation):
    return delegation is not None and delegation.roster_status in ROSTER_APPROVABLE


@rules.predicate
def roster_is_confirmable(user, delegation):
    return delegation is not None and delegation.roster_status in ROSTER_CONFIRMABLE


@rules.predicate
def roster_is_confirmed(user, delegation):
    return delegation is not None and delegation.roster_status == RosterStatus.CONFIRMED


@rules.predicate
def manages_any_delegation(user):
    """National Representative of a delegation to some meeting, whatever the account's role."""
    return hats_of(user).anywhere(Hat.NATIONAL_REPRESENTATIVE)


rules.add_perm("delegations.manage_all", is_secretariat)
# Creating delegations, their quotas, heads and National Representatives.
rules.add_perm("delegations.set_up", is_secretariat)
rules.add_perm("delegations.manage_delegation", is_secretariat | manages_delegation)
# The roster's steps, each from where it may start (services.roster enforces the same).
rules.add_perm(
    "delegations.approve_roster", (is_secretariat | manages_delegation) & roster_is_approvable
)
rules.add_perm("delegations.confirm_roster", is_secretariat & roster_is_confirmable)
# Nominating and uploading: until the roster is confirmed, then only substitution.
rules.add_perm(
    "delegations.change_roster", (is_secretariat | manages_delegation) & ~roster_is_confirmed
)
rules.add_perm("delegations.view_list", is_secretariat | manages_any_delegation)
# After confirmation: a late nomination within the free seats, which the secretariat
# confirms person by person.
rules.add_perm(
    "delegations.nominate_late", (is_secretariat | manages_delegation) & roster_is_confirmed
)


@rules.predicate
def awaits_confirmation(user, participant):
    return participant is not None and participant.awaits_confirmation


rules.add_perm("delegations.confirm_late_nomination", is_secretariat & awaits_confirmation)


def is_host_delegation(delegation) -> bool:
    """The host country's delegation to its meeting, whose National Representative
    sees the meeting's logistics (hosts_meeting)."""
    return (
        delegation.country_id is not None
        and delegation.country_id == delegation.meeting.host_country_id
    )


@rules.predicate
def hosts_meeting(user, meeting):
    """National Representative of the host country's delegation to the meeting."""
    return (
        meeting is not None
        and user.is_authenticated
        and user.managed_delegations.filter(
            meeting=meeting, country=meeting.host_country_id
        ).exists()
    )


# The logistics report (travel, hotels, dietary and accessibility needs): the
# secretariat and the host; emergency contacts only the secretariat.
rules.add_perm("delegations.view_logistics", is_secretariat | hosts_meeting)
rules.add_perm("delegations.view_emergency_contacts", is_secretariat)
