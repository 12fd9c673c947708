"""Writing and compiling a meeting's outcome report."""

from django.db import transaction
from django.utils.translation import gettext as _

from ascn_portal.core.actors import Actor
from ascn_portal.core.audit import log_action
from ascn_portal.core.enums import DocumentKind
from ascn_portal.core.versions import DocumentRequest, publish_version
from meetings.register.services import register_generated
from meetings.report.models import OutcomeReport, OutcomeReportVersion
from meetings.report.queries import report_content


def save_texts(
    report: OutcomeReport, *, introduction: str, conclusions: str, actor: Actor
) -> OutcomeReport:
    """Keep the secretariat's introduction and conclusions. Side effects: the report
    row (those two fields), an audit entry, in one transaction."""
    with transaction.atomic():
        report.introduction = introduction
        report.conclusions = conclusions
        report.full_clean(exclude=["meeting", "registered_as"], validate_unique=False)
        if report.pk is None:
            report.save()
        else:
            report.save(update_fields=["introduction", "conclusions", "updated_at"])
        log_action(report, "meetings.outcome_report.edit", actor=actor)
    return report


def title_of(report: OutcomeReport) -> str:
    return _("Report of the %(meeting)s") % {"meeting": report.meeting.title}


def compile_report(report: OutcomeReport, *, actor: Actor) -> OutcomeReportVersion:
    """Compile the report as its next numbered version, from what the meeting holds now.

    Side effects: the report row if it had none, an OutcomeReportVersion, its PDF in
    each interface language (rendered in the background), its place in the meeting's
    register (a new symbol the first time, a revision of it after), an audit entry; all
    in one transaction.
    """

    def register(version: OutcomeReportVersion) -> None:
        register_generated(
            report.meeting,
            version.document,  # publish_version has just asked for it
            kept_on=(report, "registered_as"),
            title=lambda: title_of(report),
            actor=actor,
        )

    with transaction.atomic():
        if report.pk is None:
            report.save()
        return publish_version(
            OutcomeReportVersion,
            report,
            content=report_content(report),
            document=lambda version: DocumentRequest(
                about=report,
                kind=DocumentKind.OUTCOME_REPORT,
                title=title_of(report),
                template_name="pdf/meetings/outcome_report.html",
                context={**report_content(report), "title": title_of(report)},
                view_permission="meetings.read_outcome_report",
            ),
            action="meetings.outcome_report.compile",
            actor=actor,
            on_published=register,
        )
