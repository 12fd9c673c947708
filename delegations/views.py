from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from ascn_portal.core.permissions import get_visible_or_404
from delegations import queries, roster_csv, services
from delegations.forms import DelegationFilterForm, ParticipantForm, RosterUploadForm
from delegations.models import Delegation, Participant

PAGE_SIZE = 50


@login_required
@permission_required("delegations.view_list", raise_exception=True)
def delegation_list(request):
    form = DelegationFilterForm(request.GET or None)
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
    participants = Participant.objects.filter(delegation=delegation).select_related("organisation")
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "delegations/delegation_detail.html",
        {
            "delegation": delegation,
            "page": page,
            "seats_left": services.seats_left(delegation),
        },
    )


@login_required
def nominate(request, pk):
    delegation = _managed_delegation(request, pk)
    form = ParticipantForm(request.POST or None, initial={"language": "en"})
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.nominate(delegation, form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is nominated.") % {"name": participant.full_name})
            return redirect(delegation)
    return render(
        request,
        "delegations/nominate.html",
        {"delegation": delegation, "form": form, "seats_left": services.seats_left(delegation)},
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
        else:
            messages.success(
                request, _("%(count)s participants are nominated.") % {"count": len(added)}
            )
            return redirect(delegation)
    return render(
        request,
        "delegations/roster_upload.html",
        {"delegation": delegation, "form": form, "problems": problems},
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
