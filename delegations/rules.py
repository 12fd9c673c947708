import rules

from ascn_portal.accounts.rules import is_secretariat


@rules.predicate
def is_delegations_nr(user, delegation):
    return (
        delegation is not None
        and user.is_authenticated
        and delegation.national_representative_id == user.pk
    )


rules.add_perm("delegations.manage_all", is_secretariat)
rules.add_perm("delegations.manage_delegation", is_secretariat | is_delegations_nr)
