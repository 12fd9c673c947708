"""Writes on delegations, one module per concern, called as ``services.<module>.<name>``:
``roster`` (nominations within the quota, substitutions, the two-stage approval),
``invitations`` (links, their expiry, reminders), ``registration`` (register, decline,
cancel), ``documents`` (the participant list) and ``setup`` (a meeting's delegations,
quotas, heads and National Representatives)."""

from delegations.services import bulk, documents, invitations, registration, roster, setup

__all__ = ["bulk", "documents", "invitations", "registration", "roster", "setup"]
