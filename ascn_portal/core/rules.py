import rules

from ascn_portal.accounts.rules import is_secretariat


@rules.predicate
def may_view_document(user, document):
    """A document is visible to whoever may see what it is about, as its kind says."""
    if document is None or document.about is None:
        return False
    return user.has_perm(document.view_permission, document.about)


rules.add_perm("core.view_outbox", is_secretariat)
rules.add_perm("core.resend_mail", is_secretariat)
rules.add_perm("core.view_document", may_view_document)
