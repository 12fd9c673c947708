"""Check the stored files against the database, after a restore or a bucket copy."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ascn_portal.core.storage import verify_documents


class Command(BaseCommand):
    help = "Check that every ready document's file is in storage at its recorded size."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checksum",
            action="store_true",
            help="Also read each file and compare its SHA-256 (slower).",
        )

    def handle(self, *args: Any, checksum: bool = False, **options: Any) -> None:
        checked, problems = verify_documents(checksum=checksum)
        for problem in problems:
            self.stderr.write(f"document {problem.document_id}: {problem.problem}: {problem.name}")
        summary = f"{checked} document files checked, {len(problems)} with problems"
        if problems:
            raise CommandError(summary)
        self.stdout.write(summary)
