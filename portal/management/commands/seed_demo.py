"""manage.py seed_demo [--technicians N]: load the demo data (deterministic, idempotent).

Runs every demo seeder the apps registered (`portal.registry.register_seeder`), in their order:
the technicians first (6 faculties, 40 departments, about 60 skills, N technicians in all with
line managers, apprentices and skills, and one login per role: see demo_logins), then the
action plan, then the apps that build on them. Running it again creates nothing new. Never run
it on a production database: the demo logins have a published password.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import registry

DEFAULT_TECHNICIANS = 1250


class Command(BaseCommand):
    help = "Load the demo data of every app: departments, technicians, logins, action plan..."

    def add_arguments(self, parser):
        parser.add_argument(
            "--technicians",
            type=int,
            default=DEFAULT_TECHNICIANS,
            help=f"how many technicians in all (default {DEFAULT_TECHNICIANS}, at least "
            "the demo logins' three)",
        )

    def handle(self, *args, technicians: int, **options):
        if technicians < 0:
            raise CommandError("--technicians must be 0 or more.")
        started = time.monotonic()
        with transaction.atomic():  # all the demo data or none of it
            for entry in registry.seeders():
                entry.seed(technicians=technicians, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )
