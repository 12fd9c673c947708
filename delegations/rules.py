import rules

from ascn_portal.accounts.rules import is_national_representative, is_secretariat


@rules.predicate
def manages_delegation(user, delegation):
    return (
        delegation is not None
        and user.is_authenticated
        and delegation.national_representative_id == user.pk
    )


rules.add_perm("delegations.manage_all", is_secretariat)
rules.add_perm("delegations.manage_delegation", is_secretariat | manages_delegation)
rules.add_perm("delegations.view_list", is_secretariat | is_national_representative)
