"""manage.py seed_demo [--technicians N]: load the demo data (deterministic, idempotent).

Creates 6 faculties and 40 departments, about 60 skills, N technicians in all (1,250 by
default, three of them the demo logins' own profiles) with line managers, apprentices and
skills, and one login per role (see demo_logins), then a demo action plan
(`actionplan.demo.seed_demo_plan`). Running it again creates nothing new. Never run it on a
production database: the demo logins have a published password.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from technicians import demo


def seed_other_apps(stdout) -> None:
    """The other apps' demo data (each app's `demo.seed_demo_<thing>(stdout)`)."""
    from actionplan.demo import seed_demo_plan

    seed_demo_plan(stdout)


class Command(BaseCommand):
    help = "Load the demo data: departments, skills, technicians and one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--technicians",
            type=int,
            default=demo.DEFAULT_TECHNICIANS,
            help=f"how many technicians in all (default {demo.DEFAULT_TECHNICIANS}, at least "
            "the demo logins' three)",
        )

    def handle(self, *args, technicians: int, **options):
        if technicians < 0:
            raise CommandError("--technicians must be 0 or more.")
        started = time.monotonic()
        demo.seed_demo(technicians=technicians, stdout=self.stdout)
        seed_other_apps(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )
