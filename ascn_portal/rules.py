"""Who may open which role dashboard."""

import rules

from ascn_portal.accounts.rules import (
    is_delegate,
    is_moderator,
    is_national_representative,
    is_secretariat,
    is_speaker,
)

rules.add_perm("ascn.view_secretariat_dashboard", is_secretariat)
rules.add_perm("ascn.view_national_representative_dashboard", is_national_representative)
rules.add_perm("ascn.view_delegate_dashboard", is_delegate)
rules.add_perm("ascn.view_moderator_dashboard", is_moderator)
rules.add_perm("ascn.view_speaker_dashboard", is_speaker)
