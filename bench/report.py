"""Times rendering the annual report at demo scale, with its pages and peak memory.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/report.py [--technicians N]

Seeds the demo data (idempotent) into the database of DATABASE_URL, then renders the report
of this academic year as the worker does (figures, charts, HTML, PDF) a few times: the first
run includes WeasyPrint's start-up (fonts), the median is what a warm worker takes. Peak
memory is the process's maximum resident set size. Not part of the test suite.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from commitment.reports import document, rendering  # noqa: E402
from commitment.reports.selectors import current_year  # noqa: E402
from technicians.models import Technician  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--technicians", type=int, default=1250)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--output", default="", help="Also write the PDF here.")
    options = parser.parse_args()
    call_command("seed_demo", technicians=options.technicians, verbosity=0)
    year = options.year or current_year()
    print(f"{Technician.objects.filter(is_active=True).count()} active technicians, year {year}")
    print(f"memory before rendering: {peak_mb():.0f} MB")

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        document.build(year, with_charts=False)
    print(f"figures only: {time.perf_counter() - started:.2f} s, {len(queries)} queries")

    timings = []
    result = None
    for _ in range(options.repeat):
        started = time.perf_counter()
        result = rendering.render_pdf(year)
        timings.append(time.perf_counter() - started)
    print(
        f"render: first {timings[0]:.2f} s, median {statistics.median(timings):.2f} s "
        f"({options.repeat} runs), {result.pages} pages, {len(result.pdf) / 1024:.0f} KB"
    )
    print(f"peak memory: {peak_mb():.0f} MB")
    if options.output:
        Path(options.output).write_bytes(result.pdf)
        print(f"written to {options.output}")


if __name__ == "__main__":
    main()
