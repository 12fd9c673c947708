"""Writes on delegations, one module per concern, called as ``services.<module>.<name>``:
``roster`` (nominations within the quota, substitutions, the two-stage approval),
``invitations`` (links, their expiry, reminders), ``registration`` (register, decline,
cancel) and ``documents`` (the participant list)."""

from delegations.services import documents, invitations, registration, roster

__all__ = ["documents", "invitations", "registration", "roster"]
