"""manage.py import_registrations FILE [--dry-run] [--as EMAIL]: import registrations from CSV,
with the same checks and services as HR's import page (registration.importing). Applying
names the HR user making the change with --as; a dry run needs nobody."""

from pathlib import Path

from django.core.management.base import CommandError

from portal.imports.commands import ImportCommand
from registration import importing

NEEDS_AS = "Say who is importing with --as EMAIL (a member of HR). Nothing was imported."


class Command(ImportCommand):
    help = "Import professional registrations from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, change nothing")
        parser.add_argument("--as", dest="as_email", default="", help="the HR user importing")

    def handle(self, *args, file: Path, dry_run: bool, as_email: str, **options):
        user = self.user_with_email(as_email) if as_email else None

        def apply(text: str, **kwargs):
            if user is None:
                raise CommandError(NEEDS_AS)
            return importing.apply_import(user, text, **kwargs)

        result = self.run_import(
            file, preview=importing.preview_import, apply=apply, dry_run=dry_run
        )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {result.summary()}.")
