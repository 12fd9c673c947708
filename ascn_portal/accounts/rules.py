"""Predicates on the account's role, composed by the apps' own rules.py files."""

import rules

from ascn_portal.accounts.enums import Role


def _has_role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return user.is_authenticated and user.is_active and user.role == role

    return predicate


is_secretariat = _has_role(Role.SECRETARIAT)
is_national_representative = _has_role(Role.NATIONAL_REPRESENTATIVE)
is_delegate = _has_role(Role.DELEGATE)
is_moderator = _has_role(Role.MODERATOR)
is_speaker = _has_role(Role.SPEAKER)
