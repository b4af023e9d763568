"""One write a second through a service while the mixed load runs: HR edits a profile.

    DATABASE_URL=postgres://… .venv/bin/python bench/writer.py SECONDS

Each second a random current technician's bio is changed by `technicians.services.
update_profile`, as HR's edit form does it (the search vector and everything the service keeps
current included). Prints JSON: the writes made and the slowest write in ms.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from technicians.models import Technician  # noqa: E402
from technicians.services import update_profile  # noqa: E402


def main() -> None:
    seconds = float(sys.argv[1])
    rng = random.Random(7)
    hr = get_user_model().objects.get(email="hr@example.ac.uk")
    ids = list(Technician.objects.filter(is_active=True).values_list("pk", flat=True))
    writes, slowest = 0, 0.0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        started = time.monotonic()
        technician = Technician.objects.get(pk=rng.choice(ids))
        update_profile(technician, {"bio": f"Updated at {time.time():.0f}. " * 3}, by=hr)
        writes += 1
        took = time.monotonic() - started
        slowest = max(slowest, took)
        time.sleep(max(0.0, 1.0 - took))
    json.dump({"writes": writes, "slowest_ms": 1000 * slowest}, sys.stdout)


if __name__ == "__main__":
    main()
