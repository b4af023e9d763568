"""manage.py import_actions PLAN_ID FILE [--dry-run] [--as EMAIL]: import a plan's actions
from CSV, with the same checks and the same services as the import page (actionplan.importing).

Every change goes through the action services. The command line is trusted (whoever runs it
holds the server already): without --as it applies as `portal.actors.COMMAND_LINE`, and the
history and the import run name nobody. With --as EMAIL it applies as that portal user, checked
like on the import page (a member of the steering group), and the history names them. Every
imported change's history says "Imported from a CSV file".
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from actionplan import importing
from actionplan.models import ActionPlan
from portal.actors import COMMAND_LINE
from portal.imports import ImportFileError, read_upload_text
from portal.imports.pending import StalePreview


class Command(BaseCommand):
    help = "Import a plan's actions from a CSV file in the format of the plan's export."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, change nothing")
        parser.add_argument(
            "--as",
            dest="as_email",
            default="",
            help="record the change against this steering group member (optional: without "
            "it the command line applies it, and the history names nobody)",
        )

    def handle(self, *args, plan_id: int, file: Path, dry_run: bool, as_email: str, **options):
        plan = ActionPlan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"No action plan has the id {plan_id}.")
        user = COMMAND_LINE
        if as_email:
            user = get_user_model().objects.filter(email__iexact=as_email).first()
            if user is None:
                raise CommandError(f"No user has the e-mail address {as_email}.")
        try:
            with file.open("rb") as handle:
                text = read_upload_text(handle)
            result = importing.preview_import(plan, text)
            self.report_errors(result)
            if result.is_valid and not dry_run:
                result = importing.apply_import(
                    user, plan, text, fingerprint=result.fingerprint, file_name=file.name
                )
                self.report_errors(result)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        except (ImportFileError, PermissionDenied, StalePreview) as error:
            reason = str(error).rstrip(".")
            raise CommandError(f"{reason}. Nothing was imported.") from None
        if not result.is_valid:
            raise CommandError(f"{len(result.errors)} bad line(s): nothing was imported.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb}: {len(result.new)} new, {len(result.changed)} changed, "
            f"{len(result.unchanged)} unchanged."
        )

    def report_errors(self, result: importing.ActionImport) -> None:
        for error in result.errors:
            self.stderr.write(str(error))
