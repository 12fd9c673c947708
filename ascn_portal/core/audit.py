"""The audit trail: one entry per state change, in the caller's transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from ascn_portal.core.actors import Actor, acting_person
from ascn_portal.core.models import AuditEntry


def log_action(
    obj: Model | None, action: str, *, actor: Actor = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``. Side effects: one AuditEntry row."""
    return AuditEntry.objects.create(
        action=action,
        actor=acting_person(actor),
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )
