"""Documents of a meeting's delegations: the participant list as a PDF."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor
from ascn_portal.core.documents import request_document
from ascn_portal.core.enums import DocumentKind
from ascn_portal.core.models import GeneratedDocument
from delegations.enums import SEATED
from delegations.models import Delegation, Participant
from meetings.models import Meeting

# --- Participant list ---------------------------------------------------------------------


def request_participant_list(meeting: Meeting, *, actor: Actor) -> GeneratedDocument:
    """Ask for the meeting's participant list as a PDF, by delegation in ASEAN order.

    Lists everyone nominated, invited or registered. Side effects: a pending
    GeneratedDocument (rendered in the background), an audit entry.
    """
    delegations = []
    for delegation in Delegation.objects.filter(meeting=meeting).prefetch_related(
        Prefetch(
            "participants",
            queryset=Participant.objects.filter(status__in=SEATED)
            .select_related("organisation")
            .order_by("full_name"),
        )
    ):
        people = [
            [
                f"{p.honorific} {p.full_name}".strip(),
                p.position,
                p.organisation.name if p.organisation else "",
                str(p.get_role_display()),
                str(p.get_status_display()),
            ]
            for p in delegation.participants.all()
        ]
        if people:
            delegations.append({"name": delegation.name, "people": people})
    return request_document(
        meeting,
        kind=DocumentKind.PARTICIPANT_LIST,
        title=_("Participants of the %(meeting)s") % {"meeting": meeting.title},
        template_name="pdf/delegations/participant_list.html",
        context={
            "meeting": meeting.title,
            "place": f"{meeting.host_city}, {meeting.host_country.local_name}",
            "delegations": delegations,
            "time_zone": meeting.time_zone,
        },
        view_permission="delegations.manage_all",
        actor=actor,
        language=getattr(actor, "language", "en"),
    )
