"""What the import commands share (manage.py import_actions, import_registrations): read the
file, preview it with the page's checks, report each bad line, apply what was previewed
unless --dry-run, and turn every refusal into a CommandError saying nothing was imported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from portal.imports.pending import StalePreview
from portal.imports.reading import ImportFileError, Preview, read_upload_text

# apply(text, fingerprint=..., file_name=...) -> the applied result
Apply = Callable[..., Preview]


class ImportCommand(BaseCommand):
    def user_with_email(self, email: str):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user has the email address {email}.")
        return user

    def run_import(
        self,
        file: Path,
        *,
        preview: Callable[[str], Preview],
        apply: Apply,
        dry_run: bool,
    ) -> Preview:
        """The previewed (dry run) or applied result; CommandError when nothing was imported."""
        try:
            with file.open("rb") as handle:
                text = read_upload_text(handle)
            result = preview(text)
            self.report_errors(result)
            if result.is_valid and not dry_run:
                result = apply(text, fingerprint=result.fingerprint, file_name=file.name)
                self.report_errors(result)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        except (ImportFileError, PermissionDenied, StalePreview) as error:
            raise CommandError(f"{str(error).rstrip('.')}. Nothing was imported.") from None
        if not result.is_valid:
            raise CommandError(f"{len(result.errors)} bad line(s): nothing was imported.")
        return result

    def report_errors(self, result: Preview) -> None:
        for error in result.errors:
            self.stderr.write(str(error))
