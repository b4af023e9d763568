"""manage.py import_actions PLAN_ID FILE [--dry-run] [--as EMAIL]: import a plan's actions
from CSV, with the same checks as the import page (actionplan.importing)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from actionplan import importing
from actionplan.models import ActionPlan
from portal.imports import ImportFileError, decode_csv_text, read_upload_bytes


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
            help="the steering group member recorded in the history (default: nobody)",
        )

    def handle(self, *args, plan_id: int, file: Path, dry_run: bool, as_email: str, **options):
        plan = ActionPlan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"No action plan has the id {plan_id}.")
        user = None
        if as_email:
            user = get_user_model().objects.filter(email__iexact=as_email).first()
            if user is None:
                raise CommandError(f"No user has the e-mail address {as_email}.")
        try:
            text = decode_csv_text(read_upload_bytes(file.read_bytes()))
            if dry_run:
                result = importing.preview_import(plan, text)
            else:
                result = importing.apply_import(user, plan, text)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except (ImportFileError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.is_valid:
            raise CommandError(f"{len(result.errors)} bad line(s): nothing was imported.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb}: {len(result.new)} new, {len(result.changed)} changed, "
            f"{len(result.unchanged)} unchanged."
        )
