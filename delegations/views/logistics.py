"""The logistics report of a meeting, for the secretariat and the host: a page, a
streamed CSV and a PDF rendered in the background. Anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascn_portal.core.spreadsheets import csv_lines
from delegations import queries, services
from delegations.forms import LogisticsFilterForm
from meetings.models import Meeting


def _meeting(request, number):
    """The meeting if this person may read its logistics; 404 for everyone else."""
    meeting = get_object_or_404(Meeting.objects.select_related("host_country"), number=number)
    if not request.user.has_perm("delegations.view_logistics", meeting):
        raise Http404
    return meeting


def _filtered(request, meeting):
    form = LogisticsFilterForm(request.GET or None, meeting=meeting)
    delegation = form.cleaned_data["delegation"] if form.is_valid() else None
    return form, delegation


@login_required
def logistics(request, number):
    meeting = _meeting(request, number)
    form, delegation = _filtered(request, meeting)
    with_contacts = request.user.has_perm("delegations.view_emergency_contacts")
    report = queries.logistics_report(
        queries.logistics_registrations(meeting, delegation=delegation),
        with_emergency_contacts=with_contacts,
    )
    return render(
        request,
        "delegations/logistics.html",
        {
            "meeting": meeting,
            "form": form,
            "delegation": delegation,
            "report": report,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def logistics_csv(request, number):
    """One row per registered person, streamed; emergency contacts for the secretariat."""
    meeting = _meeting(request, number)
    _form, delegation = _filtered(request, meeting)
    with_contacts = request.user.has_perm("delegations.view_emergency_contacts")
    header = [
        _("Delegation"),
        _("Name"),
        _("Arrival date"),
        _("Arrival flight"),
        _("Departure date"),
        _("Departure flight"),
        _("Accommodation"),
        _("Dietary needs"),
        _("Accessibility needs"),
    ]
    if with_contacts:
        header.append(_("Emergency contact"))

    def records():
        for registration in queries.logistics_registrations(
            meeting, delegation=delegation
        ).iterator(chunk_size=500):
            participant = registration.participant
            record = [
                participant.delegation.name,
                participant.full_name,
                registration.arrival_date.isoformat() if registration.arrival_date else "",
                registration.arrival_flight,
                registration.departure_date.isoformat() if registration.departure_date else "",
                registration.departure_flight,
                registration.accommodation,
                registration.dietary_needs,
                registration.accessibility_needs,
            ]
            if with_contacts:
                record.append(registration.emergency_contact)
            yield record

    response = StreamingHttpResponse(
        csv_lines(header, records()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="logistics-{meeting.number}.csv"'
    return response


@require_POST
@login_required
def logistics_pdf(request, number):
    """Render the report as a PDF in the background; the document's page shows progress."""
    meeting = _meeting(request, number)
    form = LogisticsFilterForm(request.POST, meeting=meeting)
    delegation = form.cleaned_data["delegation"] if form.is_valid() else None
    document = services.documents.request_logistics_report(
        meeting,
        delegation=delegation,
        with_emergency_contacts=request.user.has_perm("delegations.view_emergency_contacts"),
        actor=request.user,
    )
    return redirect(document)
