"""manage.py import_registrations FILE [--dry-run] [--as EMAIL]: import registrations from CSV,
with the same checks and services as HR's import page (registration.importing). Applying
names the HR user making the change with --as; a dry run needs nobody."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from portal.imports import ImportFileError, read_upload_text
from portal.imports.pending import StalePreview
from registration import importing

NEEDS_AS = "Say who is importing with --as EMAIL (a member of HR). Nothing was imported."


class Command(BaseCommand):
    help = "Import professional registrations from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, change nothing")
        parser.add_argument("--as", dest="as_email", default="", help="the HR user importing")

    def handle(self, *args, file: Path, dry_run: bool, as_email: str, **options):
        user = None
        if as_email:
            user = get_user_model().objects.filter(email__iexact=as_email).first()
            if user is None:
                raise CommandError(f"No user has the e-mail address {as_email}.")
        try:
            with file.open("rb") as handle:
                text = read_upload_text(handle)
            result = importing.preview_import(text)
            self.report_errors(result)
            if result.is_valid and not dry_run:
                if user is None:
                    raise CommandError(NEEDS_AS)
                result = importing.apply_import(
                    user, text, fingerprint=result.fingerprint, file_name=file.name
                )
                self.report_errors(result)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        except (ImportFileError, PermissionDenied, StalePreview) as error:
            raise CommandError(f"{str(error).rstrip('.')}. Nothing was imported.") from None
        if not result.is_valid:
            raise CommandError(f"{len(result.errors)} bad line(s): nothing was imported.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb}: {len(result.new)} new, {len(result.changed)} changed, "
            f"{len(result.unchanged)} unchanged."
        )

    def report_errors(self, result) -> None:
        for error in result.errors:
            self.stderr.write(str(error))
