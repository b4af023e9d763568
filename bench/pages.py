"""Times the main pages at demo scale: median of repeated requests, and their query counts.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/pages.py [--technicians N]

Seeds the demo data (idempotent) into the database of DATABASE_URL, then requests each page
as the persona who uses it. Run it on a throwaway database; it is not part of the test suite.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from actionplan.models import ActionPlan  # noqa: E402
from technicians.models import Technician  # noqa: E402


def measure(client: Client, path: str, repeat: int) -> tuple[float, int, int]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(timings), len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--technicians", type=int, default=1250)
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()
    setup_test_environment()
    call_command("seed_demo", technicians=options.technicians, verbosity=0)

    users = get_user_model().objects
    hr = Client()
    hr.force_login(users.get(email="hr@example.ac.uk"))
    technician = Client()
    technician.force_login(users.get(email="technician@example.ac.uk"))
    profile = Technician.objects.filter(visibility="internal", is_active=True).first()
    plan = ActionPlan.objects.order_by("pk").first()
    pages = [
        ("public page (anonymous)", Client(), "/meet-our-technicians/"),
        ("directory", technician, "/technicians/"),
        ("directory search", technician, "/technicians/?q=microscopy"),
        ("directory, HR (every profile)", hr, "/technicians/?sort=department"),
        ("a profile", technician, f"/technicians/{profile.pk}/"),
        ("dashboard", technician, "/"),
        ("action plan", technician, f"/action-plans/{plan.pk}/"),
        ("staff list export", hr, "/technicians/export.csv"),
        ("action plan export", technician, f"/action-plans/{plan.pk}/export.csv"),
    ]
    print(f"{Technician.objects.count()} technicians, {connection.vendor}")
    print(f"{'page':<32} {'median':>9} {'queries':>8} {'status':>7}")
    for label, client, path in pages:
        median, queries, status = measure(client, path, options.repeat)
        print(f"{label:<32} {median * 1000:7.1f}ms {queries:>8} {status:>7}")


if __name__ == "__main__":
    main()
