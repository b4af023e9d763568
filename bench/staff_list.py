"""Times the demo seed and a staff-list round trip (export, preview, apply) at demo scale.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/staff_list.py [N]

Uses the database of DATABASE_URL (migrate it first); run it on a throwaway database.
"""

import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from portal.csv_export import neutralise  # noqa: E402
from technicians import staff_list  # noqa: E402
from technicians.staff_list import (  # noqa: E402
    EXPORT_COLUMNS,
    preview_staff_import,
    staff_export_rows,
)


def timed(label, function):
    started = time.perf_counter()
    result = function()
    print(f"{label:<34} {time.perf_counter() - started:6.2f} s")
    return result


def export_text() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([neutralise(cell) for cell in row] for row in staff_export_rows())
    return buffer.getvalue()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1250
    timed(f"seed_demo --technicians {count}", lambda: call_command("seed_demo", technicians=count))
    timed("seed_demo again (no-op)", lambda: call_command("seed_demo", technicians=count))
    text = timed("export", export_text)
    preview = timed("preview of the export", lambda: preview_staff_import(text))
    print(f"  {preview.summary()}")
    result = timed("apply of the export (no-op)", lambda: staff_list.apply_staff_import(text))
    print(f"  {result.summary()}")


if __name__ == "__main__":
    main()
