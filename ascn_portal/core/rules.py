from typing import Any

import rules

from ascn_portal.accounts.rules import is_secretariat
from ascn_portal.core.models import GeneratedDocument


@rules.predicate
def may_view_document(user: Any, document: GeneratedDocument | None) -> bool:
    """A document is visible to whoever may see what it is about, as its kind says."""
    if document is None or document.about is None:
        return False
    return bool(user.has_perm(document.view_permission, document.about))


rules.add_perm("core.view_outbox", is_secretariat)
rules.add_perm("core.resend_mail", is_secretariat)
rules.add_perm("core.view_document", may_view_document)
