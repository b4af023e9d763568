"""manage.py import_technicians FILE [--dry-run] [--partial]: HR's staff list from the command line.

The same checks and the same apply as the import page (technicians.staff_list): the apply does
exactly what the preview printed, or nothing if the directory changed in between. Exits
non-zero, changing nothing, when the file has any invalid row. `--partial`: the file is only
part of the staff list; it adds and updates, and marks nobody as a leaver. A file in the HR
system's own format is read through the column mapping saved on the staff list page.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.imports import ImportFileError, read_upload_text
from portal.imports.pending import StalePreview
from technicians.staff_list import (
    NeedsMapping,
    StaffImportRefused,
    StaffPreview,
    apply_staff_import,
    preview_staff_import,
)


class Command(BaseCommand):
    help = (
        "Import HR's full staff list from a CSV file: create and update technicians by staff "
        "number, and mark active technicians missing from the file as leavers."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the staff list, a UTF-8 CSV file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show what would change, without changing anything",
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="the file is only part of the staff list: add and update, mark nobody as a leaver",
        )

    def handle(self, *args, file: str, dry_run: bool = False, partial: bool = False, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                text = read_upload_text(handle)
            preview = preview_staff_import(text, partial=partial)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
        except NeedsMapping as error:
            raise CommandError(
                f"{path}: {error} Upload it once on the staff list page (/technicians/import/) "
                "to map its columns. Nothing was imported."
            ) from None
        except ImportFileError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        self.report(preview, verbose=options.get("verbosity", 1) >= 2)
        if not preview.is_valid:
            raise CommandError(
                f"{path}: {len(preview.errors)} problem(s) found: nothing was imported."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        try:
            result = apply_staff_import(
                text, fingerprint=preview.fingerprint, file_name=path.name, partial=partial
            )
        except StaffImportRefused as refused:
            self.report_errors(refused.preview)
            raise CommandError(f"{path}: {refused}") from None
        except StalePreview as stale:
            raise CommandError(f"{path}: {stale}. Nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(f"Staff list imported: {result.summary()}."))

    def report(self, preview: StaffPreview, *, verbose: bool) -> None:
        self.stdout.write(f"{preview.total_rows} rows read: {preview.summary()}.")
        for warning in preview.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        self.report_errors(preview)
        if not verbose:
            return
        for row in preview.to_create:
            self.stdout.write(
                f"Line {row.line}: create {row.staff_number} {row.name}, {row.job_title}, "
                f"{row.department}"
            )
        for row in preview.to_update:
            changes = "; ".join(str(change) for change in row.changes)
            self.stdout.write(f"Line {row.line}: update {row.staff_number} {row.name}: {changes}")
        for leaver in preview.leavers:
            self.stdout.write(f"Leaver: {leaver.staff_number} {leaver.name}, {leaver.department}")

    def report_errors(self, preview: StaffPreview) -> None:
        for error in preview.errors:
            self.stderr.write(str(error))
