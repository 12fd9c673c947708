"""Reads of delegations that more than one page needs."""

from django.db.models import Count, Q

from delegations.enums import SEATED, ParticipantStatus
from delegations.models import ASEAN_ORDER, Delegation


def delegations_with_counts(user):
    """Delegations ``user`` may see, in ASEAN order, each with its seated and registered
    head counts. (Meta.ordering does not apply to aggregating queries, hence order_by.)
    """
    return (
        Delegation.objects.visible_to(user)
        .select_related("meeting", "country", "national_representative")
        .annotate(
            seated=Count("participants", filter=Q(participants__status__in=SEATED)),
            registered=Count(
                "participants", filter=Q(participants__status=ParticipantStatus.REGISTERED)
            ),
        )
        .order_by(*ASEAN_ORDER)
    )
