"""Demo data of coordination: the three 2024 sessions that prepared Indonesia's part in
the 7th ASCN Annual Meeting, with their published minutes and action items.

Source: the 2024 Luang Prabang story (../shared/seed/). Who convened which session,
who attended, and what was discussed (the Shepherd role, the Conference and Panel 3,
ESE Co. Ltd.'s Banyumas partnership and K-City Network, UNESCAP's regional guideline)
follow the story. Clock times, the venue in Jakarta, the video links, the decisions'
wording, the action items and the people are invented; the demo accounts of load_demo
take part under their own e-mail addresses so that each role sees something.

Runs after delegations.demo.load(), whose organisations and guests it reuses. Safe to
run again: a session whose minutes are published is left as it is.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from ascn_portal.accounts.models import User
from meetings.agenda.models import Meeting
from meetings.coordination.enums import ActionItemStatus, CoordinationMode
from meetings.coordination.models import (
    ActionItem,
    AgendaPoint,
    Attendance,
    CoordinationGuest,
    CoordinationSession,
    Minutes,
)
from meetings.coordination.services import minutes
from meetings.coordination.services import sessions as coordination
from pilots.models import Country, Organisation, OrganisationKind

JAKARTA = ZoneInfo("Asia/Jakarta")
K = OrganisationKind

MOHA = "Ministry of Home Affairs, Directorate General of Regional Administration"
MOFA = "Ministry of Foreign Affairs"
PTRI = "Permanent Mission of Indonesia to ASEAN"
ASEC = "ASEAN Secretariat, Connectivity Division"
PACIS = "Parahyangan Center for International Studies (PACIS)"
BANYUWANGI = "Banyuwangi Regency Government"
MAKASSAR = "Makassar City Government"
JAKARTA_CITY = "DKI Jakarta Provincial Government"
SUMEDANG = "Sumedang Regency Government"
UNESCAP = "UNESCAP"
ESE = "ESE Co. Ltd."

# name: (kind, country code): created only if delegations.demo has not.
ORGANISATIONS = {
    MOHA: (K.NATIONAL_AGENCY, "ID"),
    MOFA: (K.NATIONAL_AGENCY, "ID"),
    PTRI: (K.NATIONAL_AGENCY, "ID"),
    ASEC: (K.ASEAN_SECRETARIAT, None),
    PACIS: (K.ACADEMIA, "ID"),
    BANYUWANGI: (K.CITY_GOVERNMENT, "ID"),
    MAKASSAR: (K.CITY_GOVERNMENT, "ID"),
    JAKARTA_CITY: (K.CITY_GOVERNMENT, "ID"),
    SUMEDANG: (K.CITY_GOVERNMENT, "ID"),
    UNESCAP: (K.INTERNATIONAL, None),
    ESE: (K.PRIVATE_SECTOR, "KR"),
}

SECRETARIAT = "secretariat@ascn.example"
NR = "nr.indonesia@ascn.example"
DELEGATE = "delegate@ascn.example"
MODERATOR = "moderator@ascn.example"
SPEAKER = "speaker@ascn.example"
# Each demo account's organisation, for attendance.
ACCOUNTS = {SECRETARIAT: ASEC, NR: MOHA, DELEGATE: BANYUWANGI, MODERATOR: PACIS, SPEAKER: ESE}

# People without an account (they are on the delegations' rosters).
SARI = ("Sari Kusuma", "sari.kusuma@kemlu.example", MOFA)
AGUS = ("Agus Pratama", "agus.pratama@ptri.example", PTRI)
ANDI = ("Andi Rahman", "andi.rahman@makassar.example", MAKASSAR)
RINA = ("Rina Hapsari", "rina.hapsari@jakarta.example", JAKARTA_CITY)
YUSUF = ("Yusuf Hidayat", "yusuf.hidayat@sumedang.example", SUMEDANG)
PRIYA = ("Priya Raman", "priya.raman@unescap.example", UNESCAP)

IN_PERSON, ONLINE = "in_person", "online"


def _jakarta(day, clock):
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def _closed(day):
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


SESSIONS = [
    {
        "title": "Coordination meeting on facilitating Indonesia's ASCN membership",
        "purpose": (
            "Prepare the Indonesian delegation to the 7th ASCN Annual Meeting and the "
            "Conference that Indonesia co-hosts, with the pilot cities and the candidate "
            "city of Sumedang."
        ),
        "starts_at": _jakarta(date(2024, 6, 24), "09:00"),
        "ends_at": _jakarta(date(2024, 6, 26), "16:00"),
        "mode": CoordinationMode.IN_PERSON,
        "place": "Ministry of Home Affairs, Jakarta",
        "video_link": "",
        "chair": NR,
        "organisations": [MOFA, PTRI, ASEC, PACIS, BANYUWANGI, MAKASSAR, JAKARTA_CITY, SUMEDANG],
        "people": [SECRETARIAT, DELEGATE, MODERATOR],
        "guests": [SARI, AGUS, ANDI, RINA, YUSUF],
        # account or guest, attendance
        "attendance": [
            (NR, IN_PERSON),
            (SECRETARIAT, IN_PERSON),
            (DELEGATE, IN_PERSON),
            (MODERATOR, IN_PERSON),
            (SARI, IN_PERSON),
            (AGUS, IN_PERSON),
            (ANDI, ONLINE),
            (RINA, IN_PERSON),
            (YUSUF, IN_PERSON),
        ],
        "points": [
            (
                "Indonesia's role as ASCN Shepherd, 2023-2025",
                "The Directorate General of Regional Administration, Indonesia's National "
                "Representative and ASCN Shepherd, recalled that the Shepherd keeps the "
                "development of the pilot cities going while the ASEAN chair changes.\n\n"
                "The Chair of PACIS shared recommendations on how Indonesia's role as "
                "Shepherd can strengthen the ASCN and support the Conference.",
                "Indonesia reports on the progress of the pilot cities at the 7th ASCN "
                "Annual Meeting.",
            ),
            (
                "The 7th ASCN Annual Meeting and the Conference on Smart Solutions for "
                "Solving Urban Issues",
                "Lao PDR, ASEAN Chair 2024, initiated the Conference; Indonesia co-hosts it. "
                "PACIS is invited to moderate Panel 3, Forging Partnerships to Spearhead "
                "Smart and Sustainable Urban Development in ASEAN.\n\n"
                "The Permanent Mission to ASEAN and the Ministry of Foreign Affairs "
                "described the coordination under way with the ASEAN Secretariat.",
                "Indonesia co-hosts the Conference and PACIS moderates Panel 3.\n"
                "The Ministry of Home Affairs shares the Conference programme with the "
                "ASEAN Secretariat.",
            ),
            (
                "Pilot-city updates: Banyuwangi, Makassar and DKI Jakarta",
                "Banyuwangi presented Smart Kampung, Makassar its Lorong Wisata and DKI "
                "Jakarta the JAKI application.",
                "Each pilot city sends a one-page update for the Shepherd's report.",
            ),
            (
                "Sumedang's candidacy",
                "Sumedang attended as a candidate member of the ASCN.",
                "The Ministry of Home Affairs supports Sumedang's application.",
            ),
        ],
        # title, point, owner account, owner organisation, due, later status and day
        "actions": [
            (
                "Send a one-page update on Smart Kampung for the Shepherd's report",
                3,
                DELEGATE,
                BANYUWANGI,
                date(2024, 7, 22),
                None,
            ),
            (
                "Share the Conference programme with the ASEAN Secretariat",
                2,
                NR,
                MOHA,
                date(2024, 7, 5),
                (ActionItemStatus.DONE, date(2024, 7, 4)),
            ),
            (
                "Confirm the speakers of Panel 3",
                2,
                MODERATOR,
                PACIS,
                date(2024, 7, 8),
                (ActionItemStatus.DONE, date(2024, 7, 8)),
            ),
            (
                "Prepare Sumedang's membership documents",
                4,
                None,
                SUMEDANG,
                date(2024, 7, 15),
                (ActionItemStatus.DONE, date(2024, 7, 10)),
            ),
        ],
    },
    {
        "title": "Online coordination: substance of the Panel 3 speakers",
        "purpose": (
            "Discuss in detail what the speakers of Panel 3 will bring to the Conference "
            "in Luang Prabang."
        ),
        "starts_at": _jakarta(date(2024, 7, 9), "14:00"),
        "ends_at": _jakarta(date(2024, 7, 9), "15:30"),
        "mode": CoordinationMode.ONLINE,
        "place": "",
        "video_link": "https://video.ascn.example/panel-3-speakers",
        "chair": MODERATOR,
        "organisations": [MOHA, MOFA, ASEC, PACIS, ESE],
        "people": [NR, SECRETARIAT, SPEAKER],
        "guests": [SARI],
        "attendance": [
            (MODERATOR, ONLINE),
            (NR, ONLINE),
            (SECRETARIAT, ONLINE),
            (SPEAKER, ONLINE),
            (SARI, ONLINE),
        ],
        "points": [
            (
                "The three objectives of Panel 3",
                "The moderator presented the panel's three objectives: to offer ASEAN "
                "cities references on smart-city issues; to obtain references, "
                "recommendations and cooperation opportunities for urban challenges in "
                "South-East Asia; and to strengthen partnerships among countries and "
                "organisations in ASEAN.",
                "Speakers frame their points as the challenges, opportunities and benefits "
                "of their partnership programmes, with recommendations for effective "
                "partnership schemes.",
            ),
            (
                "ESE Co. Ltd.: points for the presentation",
                "ESE Co. Ltd. described its partnership with Banyumas, worth USD 660,000: a "
                "smart city control centre, flood simulation and environmental monitoring "
                "of the Serayu river, supported by the Ministry of Agrarian Affairs and "
                "Spatial Planning and supervised by the Banyumas government.\n\n"
                "It also presented its K-City Network demonstrations in Viet Nam, Türkiye "
                "and the Philippines, with KOICA in Viet Nam, and its part in the Economic "
                "Innovation Partnership Program of Korea's Ministry of Economy and Finance.",
                "ESE Co. Ltd. presents the Banyumas partnership as its case.",
            ),
            (
                "Running order of the panel",
                "The moderator introduces the objectives; questions follow the presentations.",
                "",
            ),
        ],
        "actions": [
            (
                "Send the presentation slides to the moderator",
                2,
                SPEAKER,
                ESE,
                date(2024, 7, 24),
                (ActionItemStatus.DONE, date(2024, 7, 23)),
            ),
            (
                "Draft the moderator's questions for Panel 3",
                3,
                MODERATOR,
                PACIS,
                date(2024, 7, 19),
                (ActionItemStatus.DONE, date(2024, 7, 18)),
            ),
            (
                "Circulate a run of show to all speakers by e-mail",
                3,
                NR,
                MOHA,
                date(2024, 7, 26),
                (ActionItemStatus.DROPPED, date(2024, 7, 12)),
            ),
        ],
    },
    {
        "title": "Online coordination: UNESCAP's planned presentation",
        "purpose": "Hear what UNESCAP plans to present in Panel 3.",
        "starts_at": _jakarta(date(2024, 7, 12), "10:00"),
        "ends_at": _jakarta(date(2024, 7, 12), "11:00"),
        "mode": CoordinationMode.ONLINE,
        "place": "",
        "video_link": "https://video.ascn.example/panel-3-unescap",
        "chair": MODERATOR,
        "organisations": [MOHA, ASEC, PACIS, UNESCAP],
        "people": [NR, SECRETARIAT],
        "guests": [PRIYA],
        "attendance": [
            (MODERATOR, ONLINE),
            (NR, ONLINE),
            (SECRETARIAT, ONLINE),
            (PRIYA, ONLINE),
        ],
        "points": [
            (
                "UNESCAP's regional guideline for smart-city development",
                "UNESCAP will present its regional guideline for smart-city development, a "
                "reference for the smart cities of ASEAN.",
                "UNESCAP presents the regional guideline in Panel 3.",
            ),
            (
                "Collaborative partnership among ASEAN's dialogue partners",
                "UNESCAP will give its view on the need for collaborative partnership among "
                "the dialogue partners that have contributed to the pilot projects in the "
                "ASEAN member states.",
                "The moderator closes the panel on partnership among the dialogue partners.",
            ),
        ],
        "actions": [
            (
                "Send the title and abstract of the UNESCAP presentation",
                1,
                None,
                UNESCAP,
                date(2024, 7, 17),
                (ActionItemStatus.DONE, date(2024, 7, 16)),
            ),
        ],
    },
]


@transaction.atomic
def load():
    """Create the three sessions, publish their minutes in order, and close the items
    that were closed between them. Returns the number of sessions."""
    meeting = Meeting.objects.get(number=7)
    organisations = _organisations()
    users = {user.email: user for user in User.objects.filter(email__in=ACCOUNTS)}
    convener = organisations[MOHA]
    for spec in SESSIONS:
        session, created = CoordinationSession.objects.get_or_create(
            meeting=meeting,
            title=spec["title"],
            defaults={
                "purpose": spec["purpose"],
                "starts_at": spec["starts_at"],
                "ends_at": spec["ends_at"],
                "time_zone": "Asia/Jakarta",
                "mode": spec["mode"],
                "place": spec["place"],
                "video_link": spec["video_link"],
                "convening_organisation": convener,
                "chair": users.get(spec["chair"]),
            },
        )
        if created:
            Minutes.objects.create(session=session)
        if session.minutes_versions.exists():
            continue
        _fill(session, spec, organisations, users)
        chair = users.get(spec["chair"])
        coordination.send_invitations(session, actor=chair)
        minutes.approve_minutes(session, actor=chair)
        minutes.publish_minutes(session, actor=chair)
        # What happened before the next session: some items were closed.
        for title, _point, _owner, _org, _due, later in spec["actions"]:
            if later is not None:
                status, day = later
                ActionItem.objects.filter(session=session, title=title).update(
                    status=status, closed_at=_closed(day)
                )
    return len(SESSIONS)


def _organisations():
    countries = {country.code: country for country in Country.objects.all()}
    found = {}
    for name, (kind, code) in ORGANISATIONS.items():
        existing = Organisation.objects.filter(name=name).order_by("pk").first()
        found[name] = existing or Organisation.objects.create(
            name=name, kind=kind, country=countries.get(code) if code else None
        )
    return found


def _fill(session, spec, organisations, users):
    session.invited_organisations.set(organisations[name] for name in spec["organisations"])
    session.invited_people.set(users[email] for email in spec["people"] if email in users)
    for name, email, organisation in spec["guests"]:
        CoordinationGuest.objects.update_or_create(
            session=session,
            email=email,
            defaults={"name": name, "organisation": organisations[organisation]},
        )
    for who, status in spec["attendance"]:
        if isinstance(who, tuple):
            name, email, organisation = who
            person = None
        else:
            person = users.get(who)
            if person is None:
                continue
            name, email, organisation = person.full_name, person.email, ACCOUNTS[who]
        Attendance.objects.update_or_create(
            session=session,
            email=email,
            defaults={
                "person": person,
                "name": name,
                "organisation": organisations[organisation],
                "status": status,
            },
        )
    points = {}
    for position, (title, discussion, decisions) in enumerate(spec["points"], start=1):
        points[position] = AgendaPoint.objects.update_or_create(
            session=session,
            position=position,
            defaults={"title": title, "discussion": discussion, "decisions": decisions},
        )[0]
    for title, point, owner, organisation, due, _later in spec["actions"]:
        ActionItem.objects.update_or_create(
            session=session,
            title=title,
            defaults={
                "agenda_point": points[point],
                "owner_person": users.get(owner) if owner else None,
                "owner_organisation": organisations[organisation],
                "due_date": due,
                "status": ActionItemStatus.OPEN,
                "closed_at": None,
            },
        )
