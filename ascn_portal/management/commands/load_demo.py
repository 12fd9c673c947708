"""Load the demo data of the embedded mode, into an empty database only.

Run again (``make run`` does, at every start), it changes nothing: people's work since
the first load (a participant replaced, a project's progress, a speaker's points) is
theirs, and the demo never puts its own values back over it.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ascn_portal.accounts.enums import Role
from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import create_account
from delegations import demo as delegations_demo
from meetings.agenda import demo as meetings_demo
from meetings.coordination import demo as coordination_demo
from meetings.models import Meeting
from meetings.register import demo as register_demo
from meetings.report import demo as report_demo
from panels import demo as panels_demo
from pilots import demo as pilots_demo

DEMO_PASSWORD = "ascn-demo-2024"

# One account per role. The people are invented; their organisations are the real ones
# of the 2024 Luang Prabang story (../shared/seed/).
DEMO_ACCOUNTS = [
    {
        "email": "secretariat@ascn.example",
        "full_name": "Nadia Rahman",
        "role": Role.SECRETARIAT,
        "language": "en",
        "time_zone": "Asia/Jakarta",
        "note": "ASEAN Secretariat, Connectivity Division",
    },
    {
        "email": "nr.indonesia@ascn.example",
        "full_name": "Budi Santoso",
        "role": Role.NATIONAL_REPRESENTATIVE,
        "language": "id",
        "time_zone": "Asia/Jakarta",
        "note": "Ministry of Home Affairs, Indonesia (National Representative and Shepherd)",
    },
    {
        "email": "delegate@ascn.example",
        "full_name": "Dewi Lestari",
        "role": Role.DELEGATE,
        "language": "en",
        "time_zone": "Asia/Jakarta",
        "note": "Banyuwangi Regency, Indonesia",
    },
    {
        "email": "moderator@ascn.example",
        "full_name": "Ratna Wijaya",
        "role": Role.MODERATOR,
        "language": "en",
        "time_zone": "Asia/Jakarta",
        "note": "Parahyangan Center for International Studies (PACIS), Panel 3 moderator",
    },
    {
        "email": "speaker@ascn.example",
        "full_name": "Minjun Park",
        "role": Role.SPEAKER,
        "language": "en",
        "time_zone": "Asia/Seoul",
        "note": "ESE Co. Ltd., Korea, Panel 3 speaker",
    },
    {
        "email": "focal.makassar@ascn.example",
        "full_name": "Nurul Hidayah",
        "role": Role.DELEGATE,
        "language": "id",
        "time_zone": "Asia/Makassar",
        "note": "Makassar City Government, the city's focal point in the pilot-city registry",
    },
    {
        "email": "admin@ascn.example",
        "full_name": "Portal Administrator",
        "role": "",
        "language": "en",
        "time_zone": "UTC",
        "note": "Django administration (superuser)",
        "is_staff": True,
        "is_superuser": True,
    },
]


class Command(BaseCommand):
    help = "Load the demo accounts (one per role) and the 2024 Luang Prabang story."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even on an https (production) site. Demo passwords are public.",
        )

    def handle(self, *args, force=False, **options):
        if settings.SECURE and not force:
            raise CommandError(
                "SITE_URL is https, so this looks like production; demo accounts have a "
                "public password. Use --force if you really mean it."
            )
        if self._holds_data():
            self.stdout.write(
                "The database already holds accounts or meetings: the demo loads into an "
                "empty database only, so nothing was changed."
            )
            return
        with transaction.atomic():
            for account in DEMO_ACCOUNTS:
                self._upsert(account)
            cities = pilots_demo.load()
            meeting = meetings_demo.load()
            delegations_demo.load()
            # After the delegations: it reuses their organisations and people.
            sessions = coordination_demo.load()
            panels_demo.load()
            documents = register_demo.load()
            panels_demo.link_slides()
            # Last: it compiles what everything above holds.
            report_demo.load()
        self.stdout.write(
            f"Pilot cities: {len(cities)} cities of the registry and their partnership projects."
        )
        self.stdout.write(
            f"Meetings: the ASCN Annual Meeting series, the agenda and the delegations of "
            f"{meeting.title}, and its {sessions} coordination sessions with their minutes."
        )
        self.stdout.write(f"Document register: {documents} documents of {meeting.title}.")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for account in DEMO_ACCOUNTS:
            role = Role(account["role"]).label if account["role"] else "Administrator"
            self.stdout.write(f"  {account['email']:<28} {role!s:<24} {account['note']}")

    @staticmethod
    def _holds_data():
        """Anyone's account or any meeting: the data migrations' reference rows
        (member states, focus areas) do not count."""
        return User.objects.exists() or Meeting.objects.exists()

    @staticmethod
    def _upsert(account):
        fields = {
            "full_name": account["full_name"],
            "role": account["role"],
            "language": account["language"],
            "time_zone": account["time_zone"],
            "is_staff": account.get("is_staff", False),
            "is_superuser": account.get("is_superuser", False),
        }
        user = User.objects.filter(email=account["email"]).first()
        if user is None:
            create_account(account["email"], password=DEMO_PASSWORD, **fields)
            return
        for name, value in fields.items():
            setattr(user, name, value)
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
