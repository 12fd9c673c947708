from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from ascn_portal.core.permissions import get_visible_or_404
from delegations import queries, services
from delegations.forms import DelegationFilterForm, ParticipantForm
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
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.manage_delegation", delegation):
        raise PermissionDenied
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
