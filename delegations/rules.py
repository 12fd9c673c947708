import rules

from ascn_portal.accounts.rules import is_secretariat
from meetings.agenda.hats import Hat, hats_of


@rules.predicate
def manages_delegation(user, delegation):
    return (
        delegation is not None
        and user.is_authenticated
        and delegation.national_representative_id == user.pk
    )


@rules.predicate
def manages_any_delegation(user):
    """National Representative of a delegation to some meeting, whatever the account's role."""
    return hats_of(user).anywhere(Hat.NATIONAL_REPRESENTATIVE)


rules.add_perm("delegations.manage_all", is_secretariat)
rules.add_perm("delegations.manage_delegation", is_secretariat | manages_delegation)
rules.add_perm("delegations.view_list", is_secretariat | manages_any_delegation)
