"""manage.py apply_retention [--dry-run]: anonymise the personal data of leavers who left
PORTAL_RETENTION_YEARS_AFTER_LEAVING years ago or more (the daily task does the same).
`--dry-run` lists who and what would change, changing nothing."""

from django.core.management.base import BaseCommand

from technicians import retention


class Command(BaseCommand):
    help = (
        "Anonymise leavers whose retention period (PORTAL_RETENTION_YEARS_AFTER_LEAVING years "
        "after they left) is over. --dry-run lists what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would change, changing nothing"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        done = retention.apply_retention(dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for item in done:
            self.stdout.write(
                f"{verb} #{item.technician_id} {item.name} (left {item.left_on:%d %B %Y}):"
            )
            for app, changes in item.changes.items():
                for change in changes:
                    self.stdout.write(f"  {app}: {change}")
        count = len(done)
        plural = "" if count == 1 else "s"
        years = retention.years()
        if dry_run:
            self.stdout.write(
                f"Dry run: {count} leaver{plural} due ({years} years after leaving); "
                "nothing was changed."
            )
        else:
            self.stdout.write(f"{count} leaver{plural} anonymised ({years} years after leaving).")
