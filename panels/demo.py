"""Demo data of the panels app: the 2024 ASCN Conference and its panels, Panel 3 in full.

Panel 3's objectives and the speakers' points come from the 2024 Luang Prabang story
(../shared/seed/); the people are the invented demo accounts. Panel 1's title is
sourced; Panel 2's is not known and says so.
"""

from datetime import date, datetime

from django.db import transaction

from ascn_portal.accounts.enums import Role
from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import create_account
from delegations.models import Participant
from meetings.models import AgendaSession, CoordinationSession, Meeting
from meetings.register.models import RegisteredDocument
from panels.enums import PanelStatus
from panels.models import Conference, Objective, Panel, Segment, Speaker, TalkingPoints
from panels.services import register_brief, save_brief_version
from pilots.models import Country, Organisation, PartnershipProject

CONFERENCE = "ASCN Conference on Smart Solutions for Solving Urban Issues"
PANEL_3 = "Forging Partnerships to Spearhead Smart and Sustainable Urban Development in ASEAN"
PANELS = [
    # number, title, agenda session title starts with
    (1, "Smart Cities in ASEAN: Progress, Challenges and Opportunities", "Conference Panel 1"),
    (2, "Title to be confirmed", "Conference Panel 2"),
    (3, PANEL_3, "Panel 3:"),
]
OBJECTIVES_3 = [
    "Offer references to ASEAN cities for solving smart-city development issues.",
    "Obtain references, recommendations and cooperation opportunities for urban "
    "challenges in Southeast Asia.",
    "Strengthen partnerships among countries and organisations in ASEAN to develop smart cities.",
]
SPEAKERS_3 = [
    {
        "email": "speaker@ascn.example",
        "organisation": "ESE Co. Ltd.",
        "topic": "A city-company partnership: the Banyumas smart city control centre",
        "cites_projects_of": "Banyumas",
        "minutes": 15,
        "bio_line": "Represents ESE Co. Ltd. (Korea), a smart-city platform company in "
        "inter-city and regional projects.",
        "questions": "What made the Banyumas partnership possible, and who does what?\n"
        "How can a proof of concept become a city-wide service?",
        "points": {
            "challenges": "Pilot budgets are small and short, so a city must find the money "
            "to run a service after the demonstration. River, weather and CCTV data sit with "
            "different agencies.",
            "opportunities": "With the Banyumas government: USD 660,000 for a smart city "
            "control centre with flood simulation and environmental monitoring of the "
            "Serayu river. K-City Network demonstrations in Viet Nam, Türkiye and the "
            "Philippines, and one with KOICA in Viet Nam.",
            "benefits": "Earlier flood warnings for riverside villages; one control room "
            "for disaster, traffic and environment data; local staff trained to run it.",
            "recommendations": "Agree on data sharing and the running budget before the "
            "pilot starts. Name a supporting ministry (here the Ministry of Agrarian Affairs "
            "and Spatial Planning) and a supervising body (the Banyumas government).",
        },
    },
    {
        "email": "priya.raman@unescap.example",
        "organisation": "UNESCAP",
        "topic": "Regional guidelines for smart city development",
        "minutes": 15,
        "bio_line": "Urban development officer at UNESCAP.",
        "questions": "How can ASEAN pilot cities use the regional guidelines?\n"
        "What would a collaborative partnership of dialogue partners look like?",
        "points": {
            "challenges": "Pilot cities work with several dialogue partners at once; "
            "programmes overlap and their results are hard to compare.",
            "opportunities": "Regional guidelines for smart city development that cities "
            "in ASEAN can use as a common reference.",
            "benefits": "Partners align their support and cities learn from each other's pilots.",
            "recommendations": "A collaborative partnership among the ASEAN dialogue "
            "partners that support the pilot cities, with shared monitoring through the "
            "ASCN.",
        },
    },
]
RUN_OF_SHOW_3 = [
    ("Opening and the panel's objectives", 5, None),
    ("ESE Co. Ltd.: the Banyumas partnership", 15, "speaker@ascn.example"),
    ("UNESCAP: regional guidelines", 15, "priya.raman@unescap.example"),
    ("Moderated discussion", 25, None),
    ("Questions from the floor", 10, None),
    ("Closing remarks", 5, None),
]


# The sources describe how Panel 3 was prepared, not what it concluded: the note says so
# rather than inventing an outcome.
OUTCOME_NOTE = (
    "Demo entry. The sources describe the panel's preparation, not its conclusions. As "
    "prepared in the coordination sessions of 9 and 12 July 2024, ESE Co. Ltd. presented "
    "its partnership with Banyumas (a smart city control centre with flood simulation and "
    "environmental monitoring of the Serayu river) and UNESCAP its regional smart-city "
    "guidelines, against the panel's three objectives. The recommendations on effective "
    "partnership schemes go to the ASCN Shepherd's report."
)


@transaction.atomic
def load():
    meeting = Meeting.objects.get(number=7)
    conference = Conference.objects.update_or_create(
        meeting=meeting,
        defaults={
            "title": CONFERENCE,
            "description": "The first ASCN Conference, initiated by Lao PDR as ASEAN Chair "
            "2024 and co-hosted by Indonesia as ASCN Shepherd.",
        },
    )[0]
    conference.initiated_by.set(Country.objects.filter(code="LA"))
    conference.co_hosted_by.set(Country.objects.filter(code="ID"))
    conference.partner_organisations.set(
        Organisation.objects.filter(name__in=["UNESCAP", "ESE Co. Ltd."])
    )
    moderator = User.objects.filter(email="moderator@ascn.example").first()
    panels = {}
    for number, title, session_title in PANELS:
        panels[number] = Panel.objects.update_or_create(
            conference=conference,
            number=number,
            defaults={
                "title": title,
                "agenda_session": AgendaSession.objects.filter(
                    meeting=meeting, title__startswith=session_title
                ).first(),
            },
        )[0]
    panel = panels[3]
    Panel.objects.filter(pk=panel.pk).update(
        theme="Speakers bring points on their partnership programmes: challenges, "
        "opportunities, benefits, and recommendations for effective partnership schemes.",
        moderator=moderator,
        status=PanelStatus.COLLECTING,
        points_due=date(2024, 7, 19),
        introduction="Partnerships carry the ASCN's pilot cities from plans to working "
        "services. This panel hears a company and an international organisation on what "
        "makes such partnerships work.",
        closing_remarks="The moderator sums up the recommendations for effective "
        "partnership schemes for the ASCN Shepherd's report.",
        outcome_note=OUTCOME_NOTE,
    )
    panel.refresh_from_db()
    # Prepared online on 9 and 12 July 2024 (the coordination demo).
    panel.coordination_sessions.set(
        CoordinationSession.objects.filter(meeting=meeting, title__startswith="Online coordination")
    )
    if not panel.objectives.exists():
        Objective.objects.bulk_create(
            Objective(panel=panel, position=n, text=text) for n, text in enumerate(OBJECTIVES_3, 1)
        )
    speakers = {}
    for position, data in enumerate(SPEAKERS_3, 1):
        speakers[data["email"]] = _speaker(panel, position, data)
    if not panel.segments.exists():
        Segment.objects.bulk_create(
            Segment(
                panel=panel, position=n, title=title, minutes=minutes, speaker=speakers.get(email)
            )
            for n, (title, minutes, email) in enumerate(RUN_OF_SHOW_3, 1)
        )
    if not panel.brief_versions.exists():
        version = save_brief_version(panel, actor=moderator)
        # Shared with the speakers in July 2024; the demo sends no e-mail for it.
        version.shared_at = version.published_at
        version.save(update_fields=["shared_at"])
        register_brief(version, actor=moderator)
    return conference


def _speaker(panel, position, data):
    participant = (
        Participant.objects.filter(
            delegation__meeting=panel.conference.meeting, email=data["email"]
        )
        .select_related("organisation")
        .first()
    )
    user = User.objects.filter(email=data["email"]).first()
    if user is None:
        user = create_account(
            data["email"],
            full_name=participant.full_name if participant else data["email"],
            password=None,
            role=Role.SPEAKER,
        )
    speaker = Speaker.objects.update_or_create(
        panel=panel,
        user=user,
        defaults={
            "participant": participant,
            "name": participant.full_name if participant else user.full_name,
            "organisation": Organisation.objects.filter(name=data["organisation"]).first(),
            "topic": data["topic"],
            "position": position,
            "minutes": data["minutes"],
            "bio_line": data["bio_line"],
            "questions": data["questions"],
            "confirmed_at": datetime(2024, 7, 10, 9, 0, tzinfo=panel.conference.meeting.zone),
        },
    )[0]
    points = TalkingPoints.objects.update_or_create(
        speaker=speaker,
        defaults={
            **data["points"],
            "submitted_at": datetime(2024, 7, 12, 15, 0, tzinfo=panel.conference.meeting.zone),
        },
    )[0]
    if "cites_projects_of" in data:
        points.projects.set(PartnershipProject.objects.filter(city__name=data["cites_projects_of"]))
    return speaker


def link_slides() -> None:
    """After the register's demo: ESE's Banyumas presentation is its speaker's slides on
    Panel 3, submitted by them (the moderator's composer shows who has uploaded)."""
    speaker = Speaker.objects.filter(
        panel__conference__meeting__number=7, panel__number=3, user__email="speaker@ascn.example"
    ).first()
    document = RegisteredDocument.objects.filter(
        meeting__number=7, series="CRP", organisation__name="ESE Co. Ltd."
    ).first()
    if speaker is None or document is None or speaker.slides_id is not None:
        return
    speaker.slides = document
    speaker.save(update_fields=["slides"])
    document.submitted_by = speaker.user
    document.save(update_fields=["submitted_by"])
