"""The secretariat sets up a meeting's delegations: the ten member states in one step,
other bodies, quotas, heads of delegation and National Representatives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from delegations import services
from delegations.enums import SEATED, DelegationRole, ParticipantStatus
from delegations.forms import DelegationChangeForm, DelegationForm, RepresentativeForm
from delegations.models import ASEAN_ORDER, Delegation, Participant
from delegations.services.invitations import InvitationProblem
from delegations.views.lookups import to_sign_up_or_log_in
from meetings.models import Meeting


def _meeting(number):
    return get_object_or_404(Meeting.objects.select_related("host_country"), number=number)


@login_required
@permission_required("delegations.set_up", raise_exception=True)
def setup(request, number):
    """A meeting's delegations with their quotas, heads and National Representatives."""
    meeting = _meeting(number)
    delegations = (
        Delegation.objects.filter(meeting=meeting)
        .select_related("country", "national_representative")
        .annotate(
            seated=Count("participants", filter=Q(participants__status__in=SEATED)),
            registered=Count(
                "participants", filter=Q(participants__status=ParticipantStatus.REGISTERED)
            ),
        )
        .order_by(*ASEAN_ORDER)
    )
    heads = {
        participant.delegation_id: participant
        for participant in Participant.objects.filter(
            delegation__meeting=meeting, role=DelegationRole.HEAD, status__in=SEATED
        ).order_by("-pk")
    }
    rows = [(delegation, heads.get(delegation.pk)) for delegation in delegations]
    return render(
        request,
        "delegations/setup.html",
        {"meeting": meeting, "rows": rows},
    )


@require_POST
@login_required
@permission_required("delegations.set_up", raise_exception=True)
def create_member_states(request, number):
    meeting = _meeting(number)
    created = services.setup.create_member_state_delegations(meeting, actor=request.user)
    if created:
        messages.success(
            request,
            _("%(count)s member states' delegations are created.") % {"count": len(created)},
        )
    else:
        messages.info(request, _("Every member state already has its delegation."))
    return redirect("delegations:setup", number=meeting.number)


@login_required
@permission_required("delegations.set_up", raise_exception=True)
def add(request, number):
    meeting = _meeting(number)
    form = DelegationForm(request.POST or None, initial={"quota": services.setup.DEFAULT_QUOTA})
    if request.method == "POST" and form.is_valid():
        try:
            delegation = services.setup.add_delegation(
                meeting, form.save(commit=False), actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The delegation %(name)s is added.") % {"name": delegation})
            return redirect("delegations:setup", number=meeting.number)
    return render(request, "delegations/setup_form.html", {"meeting": meeting, "form": form})


def _delegation(pk):
    return get_object_or_404(
        Delegation.objects.select_related("meeting", "country", "national_representative"),
        pk=pk,
    )


@login_required
@permission_required("delegations.set_up", raise_exception=True)
def edit(request, pk):
    """Quota, head of delegation and National Representative of one delegation."""
    delegation = _delegation(pk)
    head = services.setup.head_of(delegation)
    form = DelegationChangeForm(
        request.POST if "save_delegation" in request.POST else None,
        instance=delegation,
        initial={"head": head},
    )
    if form.is_bound and form.is_valid():
        try:
            services.setup.change_delegation(
                form.save(commit=False), head=form.cleaned_data["head"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The delegation %(name)s is saved.") % {"name": delegation})
            return redirect("delegations:setup", number=delegation.meeting.number)
    return _edit_page(request, delegation, form, RepresentativeForm())


def _edit_page(request, delegation, form, representative_form):
    return render(
        request,
        "delegations/setup_edit.html",
        {
            "meeting": delegation.meeting,
            "delegation": delegation,
            "form": form,
            "representative_form": representative_form,
            "open_invitation": delegation.representative_invitations.filter(
                used_at__isnull=True, revoked_at__isnull=True
            ).first(),
        },
    )


@require_POST
@login_required
@permission_required("delegations.set_up", raise_exception=True)
def representative(request, pk):
    """Name the National Representative: an account at once, an address by invitation."""
    delegation = _delegation(pk)
    form = RepresentativeForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, delegation, DelegationChangeForm(instance=delegation), form)
    email = form.cleaned_data["email"]
    invitation = services.setup.invite_representative(
        delegation,
        email=email,
        full_name=form.cleaned_data["full_name"],
        language=form.cleaned_data["language"],
        actor=request.user,
    )
    if invitation is None:
        delegation.refresh_from_db(fields=["national_representative"])
        text = _(
            "%(name)s is the National Representative of %(delegation)s and is told by e-mail."
        ) % {"name": delegation.national_representative.display_name, "delegation": delegation}
    else:
        text = _("An invitation to manage %(delegation)s is on its way to %(email)s.") % {
            "delegation": delegation,
            "email": email,
        }
    messages.success(request, text)
    return redirect("delegations:setup_edit", pk=delegation.pk)


def representative_invitation(request, token):
    """Where a National Representative's invitation leads: sign up or log in, then the
    delegation they now manage."""
    try:
        invitation = services.setup.open_representative_invitation(token)
    except InvitationProblem as exc:
        return render(request, "delegations/invitation_problem.html", {"message": exc}, status=410)
    if request.user.is_authenticated:
        try:
            delegation = services.setup.accept_representative_invitation(
                invitation, user=request.user
            )
        except InvitationProblem as exc:
            return render(
                request, "delegations/invitation_problem.html", {"message": exc}, status=403
            )
        messages.success(
            request,
            _("You are the National Representative of %(delegation)s.")
            % {"delegation": delegation},
        )
        return redirect(delegation)
    return to_sign_up_or_log_in(
        request,
        email=invitation.email,
        profile=services.setup.representative_profile(invitation),
        language=invitation.language,
        sign_up_message=_("Create your account with %(email)s to manage your delegation.")
        % {"email": invitation.email},
    )
