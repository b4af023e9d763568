"""manage.py import_actions PLAN_ID FILE [--dry-run] [--as EMAIL]: import a plan's actions
from CSV, with the same checks and the same services as the import page (actionplan.importing).

Every change goes through the action services. The command line is trusted (whoever runs it
holds the server already): without --as it applies as `portal.actors.COMMAND_LINE`, and the
history and the import run name nobody. With --as EMAIL it applies as that portal user, checked
like on the import page (a member of the steering group), and the history names them. Every
imported change's history says "Imported from a CSV file".
"""

from pathlib import Path

from django.core.management.base import CommandError

from actionplan import importing
from actionplan.models import ActionPlan
from portal.actors import COMMAND_LINE
from portal.imports.commands import ImportCommand


class Command(ImportCommand):
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
        user = self.user_with_email(as_email) if as_email else COMMAND_LINE
        result = self.run_import(
            file,
            preview=lambda text: importing.preview_import(plan, text),
            apply=lambda text, **kwargs: importing.apply_import(user, plan, text, **kwargs),
            dry_run=dry_run,
        )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {result.summary()}.")
