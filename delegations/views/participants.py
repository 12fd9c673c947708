"""One participant, as their National Representative or the secretariat sees them:
invitations, late confirmation, withdrawal and substitution."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegations import services
from delegations.enums import SEATED, ParticipantStatus
from delegations.forms import DeclineForm, SubstituteForm
from delegations.models import Participant, Registration
from delegations.views.lookups import managed_delegation_or_404, managed_participant_or_404


@require_POST
@login_required
def invite_all(request, pk):
    """Invite the ticked participants, or everyone on the roster who has not been
    invited yet (or whose link lapsed)."""
    delegation = managed_delegation_or_404(request, pk)
    participants = delegation.participants.filter(
        status__in=services.invitations.INVITABLE
    ).select_related("delegation__meeting__host_country", "delegation__country", "user")
    if request.POST.get("scope") == "selected":
        chosen = [value for value in request.POST.getlist("participant") if value.isdigit()]
        if not chosen:
            messages.error(request, _("Tick the participants to invite first."))
            return redirect(delegation)
        participants = participants.filter(pk__in=chosen)
    try:
        count = services.invitations.invite(participants, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(count)s invitations are on their way.") % {"count": count})
    return redirect(delegation)


@login_required
def participant_detail(request, pk):
    """One participant as their National Representative and the secretariat see them:
    details, registration, invitation links and what happened to the seat."""
    participant = managed_participant_or_404(request, pk)
    return render(
        request,
        "delegations/participant_detail.html",
        {
            "participant": participant,
            "delegation": participant.delegation,
            "registration": Registration.objects.filter(participant=participant).first(),
            "invitations": participant.invitations.select_related("sent_by")[:20],
            "replaced_by": Participant.objects.filter(replaces=participant).first(),
            "can_invite": participant.status in services.invitations.INVITABLE
            and not participant.awaits_confirmation,
            "can_confirm_late": request.user.has_perm(
                "delegations.confirm_late_nomination", participant
            ),
            "never_invited": participant.status == ParticipantStatus.NOMINATED,
            "can_revoke": participant.status == ParticipantStatus.INVITED,
            "holds_seat": participant.status in SEATED,
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
def participant_invite(request, pk):
    """Send (or send again) one participant's invitation; an older link stops working."""
    participant = managed_participant_or_404(request, pk)
    if participant.awaits_confirmation:
        messages.error(
            request,
            _("%(name)s waits for the secretariat's confirmation before being invited.")
            % {"name": participant.full_name},
        )
        return redirect(participant)
    try:
        sent = services.invitations.invite([participant], actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(participant)
    if sent:
        messages.success(
            request,
            _("A new invitation is on its way to %(email)s.") % {"email": participant.email},
        )
    else:
        messages.error(
            request,
            _("%(name)s is %(status)s and cannot be invited.")
            % {"name": participant.full_name, "status": participant.get_status_display().lower()},
        )
    return redirect(participant)


@require_POST
@login_required
def participant_confirm_late(request, pk):
    """The secretariat confirms one person nominated to a confirmed roster."""
    participant = managed_participant_or_404(request, pk)
    if not request.user.has_perm("delegations.confirm_late_nomination", participant):
        raise PermissionDenied
    try:
        services.roster.confirm_late_nomination(participant, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s is confirmed and can be invited.") % {"name": participant.full_name},
        )
    return redirect(participant)


@require_POST
@login_required
def participant_revoke(request, pk):
    participant = managed_participant_or_404(request, pk)
    if services.invitations.revoke_invitation(participant, actor=request.user):
        messages.success(request, _("The invitation link no longer works."))
    else:
        messages.error(request, _("There is no open invitation to revoke."))
    return redirect(participant)


@require_POST
@login_required
def participant_cancel(request, pk):
    participant = managed_participant_or_404(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect(participant)
    try:
        services.registration.cancel_participation(
            participant, reason=form.cleaned_data["reason"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("%(name)s is withdrawn; the seat is free.") % {"name": participant.full_name}
        )
    return redirect(participant)


@login_required
def participant_substitute(request, pk):
    """Hand a participant's seat to someone else, keeping both on the record."""
    participant = managed_participant_or_404(request, pk)
    form = SubstituteForm(
        request.POST or None,
        delegation=participant.delegation,
        initial={
            "role": participant.role,
            "organisation": participant.organisation,
            "language": "en",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            substitute = services.roster.substitute(
                participant,
                form.save(commit=False),
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(new)s replaces %(old)s.")
                % {"new": substitute.full_name, "old": participant.full_name},
            )
            return redirect(substitute)
    return render(
        request,
        "delegations/substitute.html",
        {"participant": participant, "delegation": participant.delegation, "form": form},
    )
