"""Predicates on the account's global role, composed by the apps' own rules.py files.

Only staff (the secretariat) is a global role: what anyone else may do with a meeting,
a delegation or a panel follows from their relations to it (meetings/agenda/hats.py).
"""

import rules

from ascn_portal.accounts.enums import Role


@rules.predicate
def is_secretariat(user):
    return user.is_authenticated and user.is_active and user.role == Role.SECRETARIAT
