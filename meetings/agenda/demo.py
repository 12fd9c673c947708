"""Demo data of the meetings app: the ASCN Annual Meeting series and the 7th's agenda.

Sources: ../shared/data/ascn_facts.json (dates, hosts, format) and the 2024 Luang
Prabang story. Panel titles other than Panel 3's are not in the sources and say so.
"""

from datetime import date, datetime

from django.db import transaction

from meetings.agenda.enums import MeetingFormat, MeetingStatus, SessionKind, Visibility
from meetings.agenda.models import AgendaSession, Meeting, Room
from meetings.agenda.services import publish_agenda
from pilots.models import Country

SERIES = [
    # number, title, city, country, first day, last day, zone, format
    (
        1,
        "ASCN Inaugural (1st Annual) Meeting",
        "Singapore",
        "SG",
        date(2018, 7, 8),
        date(2018, 7, 8),
        "Asia/Singapore",
        MeetingFormat.IN_PERSON,
    ),
    (
        2,
        "2nd ASCN Annual Meeting",
        "Bangkok",
        "TH",
        date(2019, 8, 22),
        date(2019, 8, 23),
        "Asia/Bangkok",
        MeetingFormat.IN_PERSON,
    ),
    (
        3,
        "3rd ASCN Annual Meeting",
        "Ha Noi",
        "VN",
        date(2020, 7, 17),
        date(2020, 7, 17),
        "Asia/Ho_Chi_Minh",
        MeetingFormat.VIRTUAL,
    ),
    (
        4,
        "4th ASCN Annual Meeting",
        "Bandar Seri Begawan",
        "BN",
        date(2021, 8, 30),
        date(2021, 8, 30),
        "Asia/Brunei",
        MeetingFormat.VIRTUAL,
    ),
    (
        5,
        "5th ASCN Annual Meeting",
        "Phnom Penh",
        "KH",
        date(2022, 8, 30),
        date(2022, 8, 30),
        "Asia/Phnom_Penh",
        MeetingFormat.VIRTUAL,
    ),
    (
        6,
        "6th ASCN Annual Meeting",
        "Bali",
        "ID",
        date(2023, 7, 12),
        date(2023, 7, 13),
        "Asia/Makassar",
        MeetingFormat.IN_PERSON,
    ),
    (
        7,
        "7th ASCN Annual Meeting",
        "Luang Prabang",
        "LA",
        date(2024, 7, 29),
        date(2024, 8, 2),
        "Asia/Vientiane",
        MeetingFormat.IN_PERSON,
    ),
    (
        8,
        "8th ASCN Annual Meeting",
        "Kuala Lumpur",
        "MY",
        date(2025, 9, 8),
        date(2025, 9, 12),
        "Asia/Kuala_Lumpur",
        MeetingFormat.IN_PERSON,
    ),
]

ROOMS_7TH = [("Plenary Hall", 300), ("Conference Hall", 250), ("Meeting Room 1", 60)]

P, A, NR = Visibility.PUBLIC, Visibility.PARTICIPANTS, Visibility.NATIONAL_REPRESENTATIVES
ASCN_CHAIR = "Dr. Viengnam Douangphachanh, ASCN Chair (Lao PDR)"
CONFERENCE = "ASCN Conference on Smart Solutions for Solving Urban Issues"

JUL_29, JUL_30, JUL_31 = date(2024, 7, 29), date(2024, 7, 30), date(2024, 7, 31)
AUG_1, AUG_2 = date(2024, 8, 1), date(2024, 8, 2)

# day, start, end, title, kind, room, chair, visibility
AGENDA_7TH = [
    (
        JUL_29,
        "14:00",
        "18:00",
        "Arrival and registration of delegations",
        SessionKind.SIDE_EVENT,
        "Plenary Hall",
        "",
        A,
    ),
    (JUL_29, "19:00", "21:00", "Welcome dinner hosted by Lao PDR", SessionKind.BREAK, "", "", A),
    (
        JUL_30,
        "09:00",
        "09:45",
        "Opening of the 7th ASCN Annual Meeting",
        SessionKind.OPENING,
        "Plenary Hall",
        ASCN_CHAIR,
        P,
    ),
    (JUL_30, "09:45", "10:15", "Coffee break", SessionKind.BREAK, "", "", A),
    (
        JUL_30,
        "10:15",
        "12:00",
        "Plenary: ASCN Shepherd progress report and ASEC monitoring and evaluation report",
        SessionKind.PLENARY,
        "Plenary Hall",
        ASCN_CHAIR,
        A,
    ),
    (JUL_30, "12:00", "13:30", "Lunch", SessionKind.BREAK, "", "", A),
    (
        JUL_30,
        "13:30",
        "15:00",
        "Plenary: ASEAN Smart City Investment Toolkit and UN-Habitat ASUS Phase I update",
        SessionKind.PLENARY,
        "Plenary Hall",
        ASCN_CHAIR,
        A,
    ),
    (
        JUL_30,
        "15:30",
        "17:00",
        "Closed-door meeting of National Representatives",
        SessionKind.CLOSED_DOOR,
        "Meeting Room 1",
        ASCN_CHAIR,
        NR,
    ),
    (
        JUL_31,
        "09:00",
        "09:30",
        f"Opening of the {CONFERENCE}",
        SessionKind.OPENING,
        "Conference Hall",
        "Lao PDR and Indonesia (co-host, ASCN Shepherd)",
        P,
    ),
    (
        JUL_31,
        "09:30",
        "10:45",
        "Conference Panel 1 (title to be confirmed)",
        SessionKind.CONFERENCE_PANEL,
        "Conference Hall",
        "",
        P,
    ),
    (JUL_31, "10:45", "11:00", "Coffee break", SessionKind.BREAK, "", "", A),
    (
        JUL_31,
        "11:00",
        "12:15",
        "Conference Panel 2 (title to be confirmed)",
        SessionKind.CONFERENCE_PANEL,
        "Conference Hall",
        "",
        P,
    ),
    (JUL_31, "12:15", "13:30", "Lunch", SessionKind.BREAK, "", "", A),
    (
        JUL_31,
        "13:30",
        "14:45",
        "Panel 3: Forging Partnerships to Spearhead Smart and "
        "Sustainable Urban Development in ASEAN",
        SessionKind.CONFERENCE_PANEL,
        "Conference Hall",
        "Chair of PACIS (moderator)",
        P,
    ),
    (
        JUL_31,
        "14:45",
        "15:15",
        f"Closing of the {CONFERENCE}",
        SessionKind.PLENARY,
        "Conference Hall",
        "Indonesia (ASCN Shepherd)",
        P,
    ),
    (
        AUG_1,
        "08:30",
        "12:30",
        "Site visit: heritage and urban management of Luang Prabang",
        SessionKind.SITE_VISIT,
        "",
        "Lao PDR",
        A,
    ),
    (
        AUG_1,
        "14:00",
        "16:00",
        "Bilateral meetings with dialogue partners",
        SessionKind.SIDE_EVENT,
        "Meeting Room 1",
        "",
        A,
    ),
    (
        AUG_2,
        "09:00",
        "11:00",
        "Wrap-up and departure of delegations",
        SessionKind.SIDE_EVENT,
        "Plenary Hall",
        ASCN_CHAIR,
        A,
    ),
]


@transaction.atomic
def load():
    """Create or refresh the series and the 7th meeting's rooms and agenda."""
    countries = {country.code: country for country in Country.objects.all()}
    for number, title, city, code, first, last, zone, format_ in SERIES:
        Meeting.objects.update_or_create(
            number=number,
            defaults={
                "title": title,
                "host_city": city,
                "host_country": countries[code],
                "chair_country": countries[code],
                "format": format_,
                "status": MeetingStatus.PUBLISHED if number == 7 else MeetingStatus.CLOSED,
                "start_date": first,
                "end_date": last,
                "time_zone": zone,
            },
        )
    # The 8th meeting is a closed record of its own, not a stub: where, and when one
    # could register.
    Meeting.objects.filter(number=8).update(
        venue="Kuala Lumpur, Malaysia",
        registration_opens=date(2025, 7, 1),
        registration_closes=date(2025, 8, 29),
        description=(
            "The 8th ASCN Annual Meeting, chaired by Malaysia as ASEAN Chair 2025. "
            "Demo entry: its record is kept closed here; the portal's story is the 7th."
        ),
    )
    meeting = Meeting.objects.get(number=7)
    Meeting.objects.filter(pk=meeting.pk).update(
        venue="Luang Prabang, Lao PDR",
        registration_opens=date(2024, 6, 1),
        registration_closes=date(2024, 7, 19),
        description=(
            "The 7th ASCN Annual Meeting, chaired by Lao PDR as ASEAN Chair 2024, with the "
            f"first {CONFERENCE}, co-hosted by Indonesia as ASCN Shepherd."
        ),
    )
    rooms = {
        name: Room.objects.update_or_create(
            meeting=meeting, name=name, defaults={"capacity": capacity}
        )[0]
        for name, capacity in ROOMS_7TH
    }
    for day, start, end, title, kind, room, chair, visibility in AGENDA_7TH:
        AgendaSession.objects.update_or_create(
            meeting=meeting,
            title=title,
            starts_at=_at(day, start, meeting.zone),
            defaults={
                "ends_at": _at(day, end, meeting.zone),
                "kind": kind,
                "room": rooms.get(room),
                "chair": chair,
                "visibility": visibility,
            },
        )
    if not meeting.versions.exists():
        publish_agenda(meeting, actor=None)
    return meeting


def _at(day, clock, zone):
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
