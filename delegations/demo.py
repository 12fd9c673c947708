"""Demo data of the delegations app: the 7th meeting's delegations from the 2024 story.

Organisations are the real ones of the story; the people are invented, except that
the demo accounts of load_demo take part under their own e-mail addresses.
"""

import secrets
from datetime import date, datetime, time

from django.db import transaction

from ascn_portal.accounts.models import User
from ascn_portal.core.tokens import hash_token
from delegations.enums import DelegationKind, DelegationRole, ParticipantStatus
from delegations.models import Delegation, Invitation, Participant, Registration
from meetings.models import Meeting
from pilots.models import Country, Organisation, OrganisationKind, PilotCity

K = OrganisationKind
ORGANISATIONS = [
    (
        "Ministry of Home Affairs, Directorate General of Regional Administration",
        K.NATIONAL_AGENCY,
        "ID",
    ),
    ("Ministry of Foreign Affairs", K.NATIONAL_AGENCY, "ID"),
    ("Permanent Mission of Indonesia to ASEAN", K.NATIONAL_AGENCY, "ID"),
    ("Banyuwangi Regency Government", K.CITY_GOVERNMENT, "ID"),
    ("Makassar City Government", K.CITY_GOVERNMENT, "ID"),
    ("DKI Jakarta Provincial Government", K.CITY_GOVERNMENT, "ID"),
    ("Sumedang Regency Government", K.CITY_GOVERNMENT, "ID"),
    ("Parahyangan Center for International Studies (PACIS)", K.ACADEMIA, "ID"),
    ("ASEAN Secretariat, Connectivity Division", K.ASEAN_SECRETARIAT, None),
    ("UNESCAP", K.INTERNATIONAL, None),
    ("ESE Co. Ltd.", K.PRIVATE_SECTOR, "KR"),
]

# The pilot city each city government's people represent (indexes of ORGANISATIONS).
CITY_OF_ORGANISATION = {3: "Banyuwangi", 4: "Makassar", 5: "DKI Jakarta", 6: "Sumedang"}

S, R = ParticipantStatus, DelegationRole
# delegation, organisation, name, position, e-mail, role, status
PARTICIPANTS = [
    (
        "Indonesia",
        0,
        "Budi Santoso",
        "National Representative of Indonesia",
        "nr.indonesia@ascn.example",
        R.NATIONAL_REPRESENTATIVE,
        S.REGISTERED,
    ),
    (
        "Indonesia",
        1,
        "Sari Kusuma",
        "Director of ASEAN Functional Cooperation",
        "sari.kusuma@kemlu.example",
        R.MEMBER,
        S.REGISTERED,
    ),
    (
        "Indonesia",
        2,
        "Agus Pratama",
        "Counsellor",
        "agus.pratama@ptri.example",
        R.MEMBER,
        S.INVITED,
    ),
    (
        "Indonesia",
        3,
        "Dewi Lestari",
        "Chief Smart City Officer, Banyuwangi",
        "delegate@ascn.example",
        R.CITY_REPRESENTATIVE,
        S.REGISTERED,
    ),
    (
        "Indonesia",
        4,
        "Andi Rahman",
        "Head of Communication and Informatics, Makassar",
        "andi.rahman@makassar.example",
        R.CITY_REPRESENTATIVE,
        S.INVITED,
    ),
    (
        "Indonesia",
        5,
        "Rina Hapsari",
        "Smart City Coordinator, Jakarta",
        "rina.hapsari@jakarta.example",
        R.CITY_REPRESENTATIVE,
        S.NOMINATED,
    ),
    (
        "Indonesia",
        6,
        "Yusuf Hidayat",
        "Head of Regional Planning, Sumedang (candidate)",
        "yusuf.hidayat@sumedang.example",
        R.OBSERVER,
        S.DECLINED,
    ),
    (
        "PACIS",
        7,
        "Ratna Wijaya",
        "Chair of PACIS, moderator of Panel 3",
        "moderator@ascn.example",
        R.HEAD,
        S.REGISTERED,
    ),
    (
        "ESE Co. Ltd.",
        10,
        "Minjun Park",
        "Speaker, Panel 3",
        "speaker@ascn.example",
        R.HEAD,
        S.REGISTERED,
    ),
    (
        "UNESCAP",
        9,
        "Priya Raman",
        "Urban development officer",
        "priya.raman@unescap.example",
        R.HEAD,
        S.INVITED,
    ),
]


@transaction.atomic
def load():
    meeting = Meeting.objects.get(number=7)
    countries = {country.code: country for country in Country.objects.all()}
    countries["KR"] = Country.objects.get_or_create(
        code="KR", defaults={"iso3": "KOR", "name": "Republic of Korea"}
    )[0]
    organisations = [
        Organisation.objects.get_or_create(
            name=name, country=countries.get(code) if code else None, defaults={"kind": kind}
        )[0]
        for name, kind, code in ORGANISATIONS
    ]
    nr = User.objects.filter(email="nr.indonesia@ascn.example").first()
    delegations = {}
    for country in Country.objects.asean_members():
        delegations[country.name] = Delegation.objects.update_or_create(
            meeting=meeting,
            country=country,
            defaults={
                "name": country.name,
                "quota": 15,
                "national_representative": nr if country.code == "ID" else None,
            },
        )[0]
    for name, kind in (
        ("PACIS", DelegationKind.ACADEMIA),
        ("ESE Co. Ltd.", DelegationKind.PRIVATE_SECTOR),
        ("UNESCAP", DelegationKind.INTERNATIONAL),
    ):
        delegations[name] = Delegation.objects.update_or_create(
            meeting=meeting, name=name, defaults={"country": None, "quota": 3, "kind": kind}
        )[0]
    users = {user.email: user for user in User.objects.filter(email__endswith="@ascn.example")}
    cities = {city.name: city for city in PilotCity.objects.filter(country__code="ID")}
    for delegation, org, name, position, email, role, status in PARTICIPANTS:
        participant = Participant.objects.update_or_create(
            delegation=delegations[delegation],
            email=email,
            defaults={
                "full_name": name,
                "position": position,
                "organisation": organisations[org],
                "role": role,
                "status": status,
                "user": users.get(email),
                "pilot_city": cities.get(CITY_OF_ORGANISATION.get(org)),
            },
        )[0]
        # Those who answered did so through a link of 2024: the record shows it, used.
        answered = status in (ParticipantStatus.REGISTERED, ParticipantStatus.DECLINED)
        if answered and not participant.invitations.exists():
            sent = datetime.combine(meeting.start_date, time.min, tzinfo=meeting.zone)
            Invitation.objects.create(
                participant=participant,
                token_hash=hash_token(secrets.token_urlsafe(32)),
                expires_at=sent,
                used_at=sent,
            )
        if status == ParticipantStatus.REGISTERED:
            Registration.objects.get_or_create(
                participant=participant,
                defaults={
                    # Travel and needs for the logistics report; invented, as it says.
                    "arrival_date": date(2024, 7, 28),
                    "arrival_flight": "QV 512",
                    "departure_date": date(2024, 8, 2),
                    "departure_flight": "QV 513",
                    "accommodation": "Demo entry: hotel in Luang Prabang",
                    "dietary_needs": "Halal" if delegation == "Indonesia" else "",
                    "emergency_contact": "Demo entry: the delegation's liaison officer",
                    "consent_data_processing": True,
                },
            )
        if status == ParticipantStatus.INVITED and not participant.invitations.exists():
            # A link that was sent in 2024; nobody knows its token.
            Invitation.objects.create(
                participant=participant,
                token_hash=hash_token(secrets.token_urlsafe(32)),
                expires_at=datetime.combine(
                    meeting.registration_closes or meeting.start_date, time.max, tzinfo=meeting.zone
                ),
            )
    return len(delegations)
