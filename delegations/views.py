from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import admit_invitee
from ascn_portal.core.permissions import get_visible_or_404
from delegations import queries, roster_csv, services
from delegations.enums import NOT_ATTENDING, SEATED, DelegationRole, ParticipantStatus
from delegations.forms import (
    DeclineForm,
    DelegationFilterForm,
    ParticipantFilterForm,
    ParticipantForm,
    RegistrationForm,
    RosterUploadForm,
    SubstituteForm,
)
from delegations.models import Delegation, Participant, Registration
from meetings.models import Meeting
from pilots.models import Organisation

PAGE_SIZE = 50


@login_required
@permission_required("delegations.view_list", raise_exception=True)
def delegation_list(request):
    form = DelegationFilterForm(request.GET or None, user=request.user)
    delegations = form.filter(queries.delegations_with_counts(request.user))
    page = Paginator(delegations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "delegations/delegation_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _delegation(request, pk):
    """The delegation if this person may see it; 404 for everyone else."""
    return get_visible_or_404(
        Delegation.objects.select_related("meeting", "country", "national_representative"),
        request.user,
        pk=pk,
    )


@login_required
def delegation_detail(request, pk):
    delegation = _delegation(request, pk)
    participants = (
        Participant.objects.filter(delegation=delegation)
        .with_state()
        .select_related("organisation", "replaces", "pilot_city")
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "delegations/delegation_detail.html",
        {
            "delegation": delegation,
            "page": page,
            "seats_left": services.roster.seats_left(delegation),
            "invitable": services.invitations.INVITABLE,
        },
    )


@login_required
def nominate(request, pk):
    delegation = _managed_delegation(request, pk)
    form = ParticipantForm(request.POST or None, initial={"language": "en"}, delegation=delegation)
    late = request.user.has_perm("delegations.nominate_late", delegation)
    if request.method == "POST" and form.is_valid():
        try:
            participant = (services.roster.nominate_late if late else services.roster.nominate)(
                delegation, form.save(commit=False), actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is nominated and waits for the secretariat's confirmation.")
                % {"name": participant.full_name}
                if late
                else _("%(name)s is nominated.") % {"name": participant.full_name},
            )
            return redirect(delegation)
    return render(
        request,
        "delegations/nominate.html",
        {
            "delegation": delegation,
            "form": form,
            "seats_left": services.roster.seats_left(delegation),
            "late": late,
        },
    )


def _managed_delegation(request, pk):
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.manage_delegation", delegation):
        raise PermissionDenied
    return delegation


@login_required
def roster_upload(request, pk):
    """Nominate a whole list from a CSV file: every row, or none and every problem."""
    delegation = _managed_delegation(request, pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            added = roster_csv.import_roster(
                delegation, form.cleaned_data["file"].read(), actor=request.user
            )
        except roster_csv.RosterImportError as exc:
            problems = exc.errors
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(count)s participants are nominated.") % {"count": len(added)}
            )
            return redirect(delegation)
    return render(
        request,
        "delegations/roster_upload.html",
        {
            "delegation": delegation,
            "form": form,
            "problems": problems,
            # What each column accepts, for this delegation.
            "organisations": Organisation.objects.order_by("name").values_list("name", flat=True),
            "roles": DelegationRole.choices,
            "pilot_cities": queries.pilot_cities_for(delegation),
            "languages": settings.LANGUAGES,
        },
    )


@login_required
def roster_template(request, pk):
    _managed_delegation(request, pk)
    response = HttpResponse(roster_csv.template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ascn-roster-template.csv"'
    return response


@login_required
def roster_export(request, pk):
    delegation = _delegation(request, pk)
    response = StreamingHttpResponse(
        roster_csv.export_rows(delegation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{delegation.pk}.csv"'
    return response


# --- Invitations and registration -----------------------------------------------------


@require_POST
@login_required
def invite_all(request, pk):
    """Invite the ticked participants, or everyone on the roster who has not been
    invited yet (or whose link lapsed)."""
    delegation = _managed_delegation(request, pk)
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


def _managed_participant(request, pk):
    """A participant of a delegation this person manages; 404 for everyone else."""
    participant = get_object_or_404(
        Participant.objects.with_state()
        .select_related(
            "delegation__meeting__host_country",
            "delegation__country",
            "organisation",
            "replaces",
            "pilot_city",
            "user",
        )
        .filter(delegation__in=Delegation.objects.visible_to(request.user)),
        pk=pk,
    )
    if not request.user.has_perm("delegations.manage_delegation", participant.delegation):
        raise PermissionDenied
    return participant


@login_required
def participant_detail(request, pk):
    """One participant as their National Representative and the secretariat see them:
    details, registration, invitation links and what happened to the seat."""
    participant = _managed_participant(request, pk)
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
    participant = _managed_participant(request, pk)
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
    participant = _managed_participant(request, pk)
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
    participant = _managed_participant(request, pk)
    if services.invitations.revoke_invitation(participant, actor=request.user):
        messages.success(request, _("The invitation link no longer works."))
    else:
        messages.error(request, _("There is no open invitation to revoke."))
    return redirect(participant)


@require_POST
@login_required
def participant_cancel(request, pk):
    participant = _managed_participant(request, pk)
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
    participant = _managed_participant(request, pk)
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
    translation.activate(participant.language)
    if User.objects.filter(email__iexact=participant.email).exists():
        response = redirect_to_login(request.get_full_path())
    else:
        admit_invitee(
            request,
            email=participant.email,
            profile=services.invitations.invitee_profile(participant),
        )
        messages.info(
            request,
            _("Create your account with %(email)s to register.") % {"email": participant.email},
        )
        response = redirect(
            f"{reverse('account_signup')}?{urlencode({'next': request.get_full_path()})}"
        )
    return _speaking(response, participant.language)


def _used_invitation(request, used):
    participant = used.participant
    registration_url = reverse("delegations:registration", args=[participant.pk])
    if not request.user.is_authenticated:
        translation.activate(participant.language)
        messages.info(request, _("Log in to see your registration."))
        return _speaking(redirect_to_login(registration_url), participant.language)
    if participant.user_id == request.user.pk:
        return redirect(registration_url)
    message = _("This invitation belongs to another account. Log out and open it again.")
    return render(request, "delegations/invitation_problem.html", {"message": message}, status=403)


def _speaking(response, language):
    """Let the pages before login (sign-up, login) speak ``language``: the switcher's
    cookie, which the account then keeps (AccountAdapter.login)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


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


# --- Approval -------------------------------------------------------------------------


@require_POST
@login_required
def roster_approve(request, pk):
    delegation = _managed_delegation(request, pk)
    return _roster_step(
        request,
        delegation,
        services.roster.approve_roster,
        _("The roster is approved and sent to the secretariat."),
    )


@require_POST
@login_required
def roster_confirm(request, pk):
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.manage_all"):
        raise PermissionDenied
    return _roster_step(
        request, delegation, services.roster.confirm_roster, _("The roster is confirmed.")
    )


@require_POST
@login_required
def roster_return(request, pk):
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.manage_all"):
        raise PermissionDenied
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect(delegation)
    reason = form.cleaned_data["reason"]
    return _roster_step(
        request,
        delegation,
        lambda d, actor: services.roster.return_roster(d, reason=reason, actor=actor),
        _("The roster is returned to the National Representative."),
    )


def _roster_step(request, delegation, step, success):
    try:
        step(delegation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, success)
    return redirect(delegation)


@login_required
@permission_required("delegations.manage_all", raise_exception=True)
def participant_list(request):
    """Every participant, filtered, with head counts by delegation and status."""
    form = ParticipantFilterForm(request.GET or None, user=request.user)
    participants = form.filter(Participant.objects.all())
    page = Paginator(
        participants.with_state()
        .select_related("delegation", "organisation")
        .order_by("full_name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "delegations/participant_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "counts": queries.counts_by_delegation_and_status(participants),
            "statuses": ParticipantStatus.choices,
        },
    )


@require_POST
@login_required
@permission_required("delegations.manage_all", raise_exception=True)
def participant_list_pdf(request, number):
    meeting = get_object_or_404(Meeting.objects.select_related("host_country"), number=number)
    document = services.documents.request_participant_list(meeting, actor=request.user)
    return redirect(document)
