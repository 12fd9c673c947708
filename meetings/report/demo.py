"""Demo data of the outcome report: a compiled report of the 7th meeting.

The introduction and conclusions say only what the 2024 Luang Prabang story says
(../shared/seed/); the rest of the report is gathered from the demo's own data.
"""

from ascn_portal.accounts.models import User
from meetings.agenda.models import Meeting
from meetings.report import queries, services

INTRODUCTION = (
    "The 7th ASCN Annual Meeting was held in Luang Prabang, Lao PDR, from 29 July to 2 "
    "August 2024, under Lao PDR's ASEAN chairmanship. Inside it, the first ASCN Conference "
    "on Smart Solutions for Solving Urban Issues was initiated by Lao PDR and co-hosted by "
    "Indonesia, the ASCN Shepherd for 2023-2025, appointed at the 6th Annual Meeting in "
    "Bali.\n\nIndonesia's Ministry of Home Affairs prepared the conference at a "
    "coordination meeting on 24-26 June 2024 and online sessions on 9 and 12 July 2024."
)

CONCLUSIONS = (
    "Demo entry. Panel 3 heard partners on what makes partnerships with pilot cities "
    "work, among them ESE Co. Ltd.'s USD 660,000 control centre project with Banyumas. "
    "The action items recorded in the published minutes are followed on the meeting's "
    "action board."
)


def load() -> int:
    """Write and compile the 7th meeting's outcome report, once. Returns its versions."""
    meeting = Meeting.objects.get(number=7)
    report = queries.report_of(meeting)
    if report.pk is None or not report.versions.exists():
        secretariat = User.objects.get(email="secretariat@ascn.example")
        services.save_texts(
            report, introduction=INTRODUCTION, conclusions=CONCLUSIONS, actor=secretariat
        )
        services.compile_report(report, actor=secretariat)
    return report.versions.count()
