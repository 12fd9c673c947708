"""The secretariat's page of a meeting's outcome report: /meetings/<number>/report/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ascn_portal.core.documents import in_language
from ascn_portal.core.permissions import get_visible_or_404
from meetings.agenda.models import Meeting
from meetings.report import queries, services
from meetings.report.forms import OutcomeReportForm

# The versions listed under the latest one; older ones stay in the register.
EARLIER_VERSIONS_SHOWN = 10


@login_required
def outcome_report(request, number):
    """Write the introduction and conclusions; "Compile" saves what is on the screen
    first, then makes a new version, so nothing typed is lost either way."""
    meeting = get_visible_or_404(Meeting.objects.all(), request.user, number=number)
    if not request.user.has_perm("meetings.compile_outcome_report", meeting):
        raise Http404
    report = queries.report_of(meeting)
    form = OutcomeReportForm(request.POST or None, instance=report)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.save_texts(
                report,
                introduction=form.cleaned_data["introduction"],
                conclusions=form.cleaned_data["conclusions"],
                actor=request.user,
            )
            if request.POST.get("action") == "compile":
                version = services.compile_report(report, actor=request.user)
                messages.success(
                    request,
                    _("Version %(number)s is being compiled.") % {"number": version.number},
                )
            else:
                messages.success(request, _("The introduction and conclusions are saved."))
            return redirect(report)
        status = 400
    versions = (
        list(
            report.versions.select_related("document", "published_by")[: EARLIER_VERSIONS_SHOWN + 1]
        )
        if report.pk is not None
        else []
    )
    latest = versions[0] if versions else None
    return render(
        request,
        "meetings/report/outcome_report.html",
        {
            "meeting": meeting,
            "report": report,
            "form": form,
            "latest": latest,
            "latest_document": in_language(latest.document, translation.get_language())
            if latest and latest.document
            else None,
            "earlier": versions[1:],
            "cycle": queries.cycle_of(meeting),
        },
        status=status,
    )
