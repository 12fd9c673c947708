"""Bulk work of the secretariat, in the background: invite the confirmed participants
of many delegations, remind everyone not registered; a page follows each job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from delegations import services
from delegations.enums import ParticipantStatus, RosterStatus
from delegations.models import ASEAN_ORDER, BulkJob, Delegation
from meetings.models import Meeting


def _meeting(number):
    return get_object_or_404(Meeting.objects.select_related("host_country"), number=number)


@login_required
@permission_required("delegations.manage_all", raise_exception=True)
def bulk(request, number):
    meeting = _meeting(number)
    delegations = (
        Delegation.objects.filter(meeting=meeting, roster_status=RosterStatus.CONFIRMED)
        .annotate(
            to_invite=Count(
                "participants",
                filter=Q(
                    participants__status__in=[
                        ParticipantStatus.NOMINATED,
                        ParticipantStatus.EXPIRED,
                    ]
                ),
            ),
            unregistered=Count(
                "participants", filter=Q(participants__status=ParticipantStatus.INVITED)
            ),
        )
        .select_related("country")
        .order_by(*ASEAN_ORDER)
    )
    return render(
        request,
        "delegations/bulk.html",
        {
            "meeting": meeting,
            "delegations": delegations,
            "jobs": BulkJob.objects.filter(meeting=meeting)[:10],
        },
    )


@require_POST
@login_required
@permission_required("delegations.manage_all", raise_exception=True)
def bulk_invite(request, number):
    meeting = _meeting(number)
    chosen = [value for value in request.POST.getlist("delegation") if value.isdigit()][:500]
    delegations = list(Delegation.objects.filter(meeting=meeting, pk__in=chosen))
    if not delegations:
        messages.error(request, _("Tick the delegations to invite first."))
        return redirect("delegations:bulk", number=meeting.number)
    try:
        job = services.bulk.start_bulk_invitation(meeting, delegations, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("delegations:bulk", number=meeting.number)
    return redirect(job)


@require_POST
@login_required
@permission_required("delegations.manage_all", raise_exception=True)
def bulk_remind(request, number):
    meeting = _meeting(number)
    try:
        job = services.bulk.start_reminders(meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("delegations:bulk", number=meeting.number)
    return redirect(job)


def _job(pk):
    return get_object_or_404(BulkJob.objects.select_related("meeting", "requested_by"), pk=pk)


@login_required
@permission_required("delegations.manage_all", raise_exception=True)
def job(request, pk):
    return render(request, "delegations/bulk_job.html", {"job": _job(pk)})


@never_cache
@login_required
@permission_required("delegations.manage_all", raise_exception=True)
def job_status(request, pk):
    """The progress box alone, polled by htmx until the job is finished."""
    return render(request, "delegations/partials/bulk_job_status.html", {"job": _job(pk)})
