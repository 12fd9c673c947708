"""The invitee's side: the invitation link, the registration form and declining."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegations import services
from delegations.enums import NOT_ATTENDING, ParticipantStatus
from delegations.forms import DeclineForm, RegistrationForm
from delegations.models import Participant, Registration
from delegations.views.lookups import speaking, to_sign_up_or_log_in


def invitation(request, token):
    """Where an invitation link leads: sign up or log in, then register.

    Once used, the link still leads its owner to their registration (through the login
    page when logged out); anyone else learns only that it belongs to another account.
    The pages before login speak the invitee's language.
    """
    try:
        invitation = services.invitations.open_invitation(token)
    except services.invitations.InvitationUsed as used:
        return _used_invitation(request, used)
    except services.invitations.InvitationProblem as exc:
        return render(request, "delegations/invitation_problem.html", {"message": exc}, status=410)
    participant = invitation.participant
    if request.user.is_authenticated:
        try:
            services.invitations.accept_invitation(invitation, user=request.user)
        except services.invitations.InvitationProblem as exc:
            return render(
                request, "delegations/invitation_problem.html", {"message": exc}, status=403
            )
        return redirect("delegations:registration", pk=participant.pk)
    return to_sign_up_or_log_in(
        request,
        email=participant.email,
        profile=services.invitations.invitee_profile(participant),
        language=participant.language,
        sign_up_message=_("Create your account with %(email)s to register.")
        % {"email": participant.email},
    )


def _used_invitation(request, used):
    participant = used.participant
    registration_url = reverse("delegations:registration", args=[participant.pk])
    if not request.user.is_authenticated:
        translation.activate(participant.language)
        messages.info(request, _("Log in to see your registration."))
        return speaking(redirect_to_login(registration_url), participant.language)
    if participant.user_id == request.user.pk:
        return redirect(registration_url)
    message = _("This invitation belongs to another account. Log out and open it again.")
    return render(request, "delegations/invitation_problem.html", {"message": message}, status=403)


@login_required
def registration(request, pk):
    """The participant's own registration: only they see it (404 for anyone else)."""
    participant = get_object_or_404(
        Participant.objects.with_state().select_related("delegation__meeting"),
        pk=pk,
        user=request.user,
    )
    meeting = participant.delegation.meeting
    closed_because = services.registration.window_problem(meeting)
    existing = Registration.objects.filter(participant=participant).first()
    form = RegistrationForm(request.POST or None, instance=existing, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration.register(participant, form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your registration is saved."))
            return redirect("delegations:registration", pk=participant.pk)
    return render(
        request,
        "delegations/registration.html",
        {
            "participant": participant,
            "meeting": meeting,
            "form": form,
            "closed_because": closed_because,
            "not_attending": participant.status in NOT_ATTENDING,
            "is_registered": participant.status == ParticipantStatus.REGISTERED,
            "decline_form": DeclineForm(),
        },
    )


@require_POST
@login_required
def decline(request, pk):
    participant = get_object_or_404(Participant, pk=pk, user=request.user)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect("delegations:registration", pk=participant.pk)
    try:
        services.registration.decline(
            participant, reason=form.cleaned_data["reason"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your answer is recorded: you will not attend."))
    return redirect("delegations:registration", pk=participant.pk)
