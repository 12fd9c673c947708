"""Demo data of the pilots app: the 31 ASCN cities of 2024, Banyumas, and a few projects.

Sources: pilots/data/pilot_cities.json (the cities, copied with their sources from the
project's shared facts) and ASCN-FACTS.md §1.2, §3.4 and §4.3 (action-plan themes, the
first Chief Smart City Officers, partners and the ESE Co. Ltd. project with Banyumas).
Focus areas are given only where the facts name a city's projects or themes. Progress
updates whose note starts with “Demo entry” are invented to show the Shepherd
dashboard at work, and so is the Makassar project, whose title says so.
"""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ascn_portal.accounts.models import User
from pilots.enums import CityStatus, OrganisationKind, ProjectStatus
from pilots.models import (
    Country,
    FocusArea,
    Organisation,
    PartnershipProject,
    PilotCity,
    ProgressUpdate,
)

DATA = Path(__file__).resolve().parent / "data" / "pilot_cities.json"
FOCAL_POINT_EMAIL = "focal.makassar@ascn.example"

# Cities admitted after the 2018 Concept Note are member cities, not pilot cities.
MEMBERS_SINCE_2023 = {"Chiang Mai", "Khon Kaen", "Rayong", "Sihanoukville"}

SETNAS = (
    "https://setnasasean.id/siaran-pers/read/"
    "jakarta-makassar-dan-banyuwangi-siap-kembangkan-smart-cities-di-asean"
)
ANTARA_2024 = (
    "https://m.antaranews.com/amp/berita/4167270/"
    "ditjen-bina-adwil-matangkan-persiapan-ri-di-asean-smart-cities-network"
)
PACIS_8TH = (
    "https://pacis.unpar.ac.id/id/"
    "indonesia-kembali-terpilih-sebagai-ascn-shepherd-pada-pertemuan-tahunan-ascn-ke-8-di-malaysia"
)
PACIS_STORY = (
    "https://pacis.unpar.ac.id/id/memperkuat-peran-indonesia-sebagai-shepherd-asean-smart-city-"
    "persiapan-pertemuan-tahunan-ascn-dan-konferensi-smart-cities-di-luang-prabang-laos"
)
OWIKI = "http://w.owiki.org/wiki/ASEAN_Smart_Cities_Network"
GAZETTE = "https://cambodianewsgazette.com/h-e-prum-sokha-smart-city-means-livable-city/"
CHANNEL_ASIA = (
    "https://www.channelasia.tech/article/648512/top-10-smart-cities-southeast-asia/?pp=2"
)
WISE = (
    "https://thefederalnewswire.com/stories/630747903-u-s-asean-smart-cities-partnership-"
    "usascp-sharing-expertise-between-cities-to-benefit-the-people-of-asean"
)
K_CITY = (
    "http://ifg.cc/aktuelles/nachrichten/regionen/163-kr-suedkorea-south-korea/"
    "62751-korean-style-smart-city-to-be-introduced-in-ukraine-s-uman.html"
)

CIVIC, HEALTH, SAFETY = "civic_social", "health_wellbeing", "safety_security"
ENVIRONMENT, INFRASTRUCTURE, INNOVATION = (
    "quality_environment",
    "built_infrastructure",
    "industry_innovation",
)

# name: focus areas, Chief Smart City Officer, profile, further sources.
DETAILS = {
    "Bandar Seri Begawan": (
        [ENVIRONMENT],
        "Haji Ali Matyassin, Chairman, Bandar Seri Begawan Municipal Department (named 2018)",
        "Action-plan projects: the Kampong Ayer Revitalisation Project and the Clean Water "
        "River Management Project.",
        [
            "https://aseanaccess.com./news/348-heading-towards-development-of-asean-smart,"
            "-sustainable-city.html",
            OWIKI,
        ],
    ),
    "Battambang": (
        [CIVIC, ENVIRONMENT],
        "Soeum Bunrith, Deputy Governor, Battambang Province (named 2018)",
        "Social responsibility and a clean environment that keeps the province's specialties.",
        [GAZETTE, OWIKI],
    ),
    "Phnom Penh": (
        [ENVIRONMENT],
        "Seng Vannak, Chief of Administration (named 2018)",
        "A better environment and quality of life.",
        [GAZETTE, OWIKI],
    ),
    "Siem Reap": (
        [],
        "Ly Samreth (named 2018)",
        "A special tourism destination with cultural harmonisation.",
        [GAZETTE, OWIKI],
    ),
    "DKI Jakarta": (
        [INFRASTRUCTURE, INNOVATION],
        "",
        "OK Otrip (built infrastructure) and OK OCE (industry and innovation); later the "
        "JAKI app and its integration with JakLingko public transport.",
        [SETNAS, ANTARA_2024, PACIS_8TH],
    ),
    "Makassar": (
        [HEALTH],
        "",
        "Dottoro'ta home care and the Sipikatau integrated tax system (health and "
        "well-being); later Lorong Wisata, telemedicine and Smart E-Tax.",
        [SETNAS, PACIS_8TH],
    ),
    "Banyuwangi": (
        [HEALTH],
        "",
        "Smart Kampung: village e-services for health, education and tourism (health and "
        "well-being); later Homestay Naik Kelas, Jagoan Banyuwangi and a digital public "
        "service mall.",
        [SETNAS, ANTARA_2024, PACIS_8TH],
    ),
    "Mandalay": (
        [ENVIRONMENT, INFRASTRUCTURE],
        "Ye Myat Thu",
        "IoT water sensors, drone mapping for drainage and traffic control centres.",
        [CHANNEL_ASIA],
    ),
    "Singapore": (
        [INNOVATION],
        "",
        "National Digital Identity, e-payments and the Smart Nation programme.",
        [
            "https://knowledgehub.clc.gov.sg/publications-library/asean-smart-cities-network-s-"
            "(ascn)-role-in-facilitating-progressive-urban-development-in-the-region"
        ],
    ),
    "Phuket": (
        [ENVIRONMENT],
        "",
        "Thailand's first smart-city pilot of the Digital Economy Promotion Agency (DEPA), "
        "since 2016. Paired with a U.S. city under the USASCP Water Smart Engagements.",
        [CHANNEL_ASIA, WISE],
    ),
    "Sumedang": (
        [],
        "",
        "Kabupaten (regency) in West Java. Projects: WA KEPO, the Village E-Office SuperApp "
        "and the Jatinangor Digital Knowledge district plan.",
        [
            PACIS_8TH,
            "https://internationalmedia.id/2024/07/sumedang-bersiap-menjadi-anggota-asean.html",
        ],
    ),
}

# Sumedang is a candidate as of the story's coordination meeting of 24 to 26 June 2024
# (“calon anggota ASCN baru”); Kemendagri counts it among the 31 members from June 2024
# and it attended the 7th Annual Meeting as a member, which a later edit would record.
CANDIDATES_IN_THE_STORY = {"Sumedang"}

# Banyumas is not an ASCN city (ASCN-FACTS §4.3), but it hosts the ESE Co. Ltd. and
# K-City Network projects of the 2024 story, which the Shepherd follows. The registry
# keeps it as a candidate, the one status that claims no membership, and its profile
# says plainly that it is not a member.
BANYUMAS = {
    "name": "Banyumas",
    "country": "ID",
    "status": CityStatus.CANDIDATE,
    "focus_areas": [SAFETY, ENVIRONMENT],
    "profile": (
        "Kabupaten (regency) in Central Java. Not an ASCN member city: listed for the "
        "partnership projects it hosts. Selected for the K-City Network 2023 of Korea's "
        "Ministry of Land, Infrastructure and Transport; has a Smart City Council (Dewan "
        "Smart City)."
    ),
    "sources": [
        PACIS_STORY,
        K_CITY,
        "https://cilacap.inews.id/amp/320125/banyumas-jadi-smart-city-pertama-di-indonesia-"
        "yang-dapat-dukungan-dari-korea-selatan/2",
    ],
}

K = OrganisationKind
# name, kind, country code: the first is the same row the delegations demo uses.
PARTNERS = {
    "ese": ("ESE Co. Ltd.", K.PRIVATE_SECTOR, "KR"),
    "molit": ("Ministry of Land, Infrastructure and Transport (MOLIT)", K.DIALOGUE_PARTNER, "KR"),
    "state": ("U.S. Department of State", K.DIALOGUE_PARTNER, "US"),
    "habitat": ("UN-Habitat", K.INTERNATIONAL, None),
}
OTHER_COUNTRIES = {
    "KR": ("KOR", "Republic of Korea"),
    "US": ("USA", "United States"),
}

S = ProjectStatus


def _days_ago(days):
    return timezone.localdate() - timedelta(days=days)


# city, partner, title, fields, [(date or days ago, note, previous status, new status)]
PROJECTS = [
    (
        "Banyumas",
        "ese",
        "Smart city control centre with flood simulation and environmental monitoring of "
        "the Serayu river",
        {
            "scope": (
                "ESE's Integrated Smart Control Platform “Rino” for Banyumas: a smart city "
                "control centre, flood simulation and environmental monitoring of the Serayu "
                "river, starting with a 10-month proof of concept on disaster management "
                "(floods, landslides)."
            ),
            "value": Decimal("660000.00"),
            "currency": "USD",
            "supported_by": "Ministry of Agrarian Affairs and Spatial Planning",
            "supervised_by": "Banyumas Regency Government",
            "status": S.ONGOING,
            "source": "\n".join(
                [
                    PACIS_STORY,
                    "https://radarbanyumas.disway.id/read/79755/adisatrya-prakarsai-kerjasama-"
                    "banyumas-korea-smart-city-jadi-lebih-canggih",
                ]
            ),
        },
        [
            (
                date(2023, 7, 14),
                "Korean government and ESE Co. Ltd. representatives visited Banyumas on 13 "
                "and 14 July; the regent was invited to a kick-off in Seoul in early "
                "September.",
                S.PROPOSED,
                S.ONGOING,
            ),
            (
                date(2024, 7, 9),
                "Changho Lee (ESE Co. Ltd.) presented the project at the online coordination "
                "session for Panel 3 of the ASCN Conference: USD 660,000, supported by the "
                "Ministry of Agrarian Affairs and Spatial Planning and supervised by the "
                "Banyumas government.",
                S.ONGOING,
                "",
            ),
            (
                40,
                "Demo entry: the focal point confirmed that the proof of concept continues.",
                S.ONGOING,
                "",
            ),
        ],
    ),
    (
        "Banyumas",
        "molit",
        "K-City Network 2023: verification of Korean smart-city solutions",
        {
            "programme": "K-City Network",
            "scope": (
                "Banyumas was selected for the verification-based category of the K-City "
                "Network 2023, with Rangpur, Haiphong and Sakarya. The programme funds "
                "KRW 300–500 million per project; the amount for Banyumas is not in the "
                "sources."
            ),
            "status": S.ONGOING,
            "source": K_CITY,
        },
        [
            (
                date(2023, 6, 8),
                "Banyumas selected for the K-City Network 2023, verification-based category.",
                S.PROPOSED,
                S.ONGOING,
            ),
            (25, "Demo entry: verification report expected next quarter.", S.ONGOING, ""),
        ],
    ),
    (
        "Phuket",
        "state",
        "Water Smart Engagement: Phuket paired with a U.S. city",
        {
            "programme": "USASCP Water Smart Engagements (WiSE)",
            "scope": (
                "Pairs Phuket with a U.S. city to share expertise on water management. The "
                "U.S. city and the amount are not in the sources."
            ),
            "status": S.ONGOING,
            "source": WISE,
        },
        [
            (
                date(2020, 11, 14),
                "The USASCP fact sheet lists Phuket's pairing under the Water Smart Engagements.",
                S.ONGOING,
                "",
            ),
        ],
    ),
    (
        "Makassar",
        "habitat",
        "Lorong Wisata lanes: greening and water reuse (illustrative demo project)",
        {
            "scope": (
                "Invented for the demo: the partner, the scope and the progress are "
                "illustrative. Lorong Wisata itself is Makassar's own programme."
            ),
            "status": S.STALLED,
            "source": (
                "https://www.antaranews.com/berita/4235079/indonesia-perkuat-kemitraan-"
                "pemangku-kepentingan-wujudkan-kota-cerdas"
            ),
        },
        [
            (
                240,
                "Demo entry: the city and the partner agreed to prepare a proposal.",
                S.PROPOSED,
                S.ONGOING,
            ),
            (
                70,
                "Demo entry: no co-financing found; the work is on hold.",
                S.ONGOING,
                S.STALLED,
            ),
        ],
    ),
]


@transaction.atomic
def load():
    """Create or refresh the cities, the partners, the projects and their updates.

    Safe to run again: every row is found by its natural key and updated.
    """
    countries = {country.code: country for country in Country.objects.all()}
    for code, (iso3, name) in OTHER_COUNTRIES.items():
        countries[code] = Country.objects.get_or_create(
            code=code, defaults={"iso3": iso3, "name": name}
        )[0]
    areas = {area.code: area for area in FocusArea.objects.all()}
    cities = {}
    for entry in json.loads(DATA.read_text(encoding="utf-8"))["pilot_cities"]:
        name = entry["name"]
        focus, focal_point, profile, sources = DETAILS.get(name, ([], "", "", []))
        if name in CANDIDATES_IN_THE_STORY:
            status = CityStatus.CANDIDATE
        elif name in MEMBERS_SINCE_2023:
            status = CityStatus.MEMBER
        else:
            status = CityStatus.PILOT
        if entry.get("notes"):
            profile = " ".join(part for part in (profile, entry["notes"]) if part)
        cities[name] = _city(
            name,
            country=countries[entry["country_code"]],
            status=status,
            joined_year=entry["joined_year"],
            focal_point_name=focal_point,
            profile=profile,
            sources=[entry["source"], *entry.get("also_confirmed_by", []), *sources],
            focus_areas=[areas[code] for code in focus],
        )
    cities["Banyumas"] = _city(
        BANYUMAS["name"],
        country=countries[BANYUMAS["country"]],
        status=BANYUMAS["status"],
        joined_year=None,
        focal_point_name="",
        profile=BANYUMAS["profile"],
        sources=BANYUMAS["sources"],
        focus_areas=[areas[code] for code in BANYUMAS["focus_areas"]],
    )
    focal_point = User.objects.filter(email=FOCAL_POINT_EMAIL).first()
    if focal_point is not None:
        cities["Makassar"].focal_points.add(focal_point)

    partners = {
        key: Organisation.objects.get_or_create(
            name=name, country=countries.get(code) if code else None, defaults={"kind": kind}
        )[0]
        for key, (name, kind, code) in PARTNERS.items()
    }
    for city, partner, title, fields, updates in PROJECTS:
        project = PartnershipProject.objects.update_or_create(
            city=cities[city], title=title, defaults={"partner": partners[partner], **fields}
        )[0]
        for when, note, previous, new in updates:
            ProgressUpdate.objects.update_or_create(
                project=project,
                note=note,
                defaults={
                    "date": when if isinstance(when, date) else _days_ago(when),
                    "previous_status": previous,
                    "new_status": new,
                },
            )
    return cities


def _city(name, *, focus_areas, sources, **fields):
    city = PilotCity.objects.update_or_create(
        country=fields.pop("country"),
        name=name,
        defaults={"slug": slugify(name), "sources": "\n".join(sources), **fields},
    )[0]
    city.focus_areas.set(focus_areas)
    return city
