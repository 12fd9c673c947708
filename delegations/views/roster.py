"""A delegation's roster: the list, nominations, CSV upload and export, the
approval steps, and the secretariat's participant lists."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from delegations import queries, roster_csv, services
from delegations.enums import DelegationRole, ParticipantStatus
from delegations.forms import (
    DeclineForm,
    DelegationFilterForm,
    ParticipantFilterForm,
    ParticipantForm,
    RosterUploadForm,
)
from delegations.models import Participant
from delegations.views.lookups import PAGE_SIZE, delegation_or_404, managed_delegation_or_404
from meetings.models import Meeting
from pilots.models import Organisation


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


@login_required
def delegation_detail(request, pk):
    delegation = delegation_or_404(request, pk)
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
    delegation = managed_delegation_or_404(request, pk)
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


@login_required
def roster_upload(request, pk):
    """Nominate a whole list from a CSV file: every row, or none and every problem."""
    delegation = managed_delegation_or_404(request, pk)
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
    managed_delegation_or_404(request, pk)
    response = HttpResponse(roster_csv.template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ascn-roster-template.csv"'
    return response


@login_required
def roster_export(request, pk):
    delegation = delegation_or_404(request, pk)
    response = StreamingHttpResponse(
        roster_csv.export_rows(delegation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{delegation.pk}.csv"'
    return response


@require_POST
@login_required
def roster_approve(request, pk):
    delegation = managed_delegation_or_404(request, pk)
    return _roster_step(
        request,
        delegation,
        services.roster.approve_roster,
        _("The roster is approved and sent to the secretariat."),
    )


@require_POST
@login_required
def roster_confirm(request, pk):
    delegation = delegation_or_404(request, pk)
    if not request.user.has_perm("delegations.manage_all"):
        raise PermissionDenied
    return _roster_step(
        request, delegation, services.roster.confirm_roster, _("The roster is confirmed.")
    )


@require_POST
@login_required
def roster_return(request, pk):
    delegation = delegation_or_404(request, pk)
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
