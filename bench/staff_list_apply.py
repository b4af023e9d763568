"""HR's staff list at full size: preview and apply of every technician's row.

    DATABASE_URL=postgres://… .venv/bin/python bench/staff_list_apply.py

Exports the directory as HR does, changes the job title of one row in twenty and adds
twenty new people (a realistic month), then times the preview and the apply (which runs the
preview again under lock, writes, and keeps the search vectors current). Prints JSON.
"""

import csv
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from technicians import staff_list  # noqa: E402
from technicians.staff_list import (  # noqa: E402
    EXPORT_COLUMNS,
    preview_staff_import,
    staff_export_rows,
)


def staff_list_text() -> tuple[str, int]:
    rows = [list(row) for row in staff_export_rows()]
    columns = list(EXPORT_COLUMNS)
    title = columns.index("job_title")
    number = columns.index("staff_number")
    email = columns.index("email")
    stamp = time.strftime("%H%M%S")
    for index, row in enumerate(rows):
        if index % 20 == 0:
            row[title] = f"{row[title].split(' (')[0]} ({stamp})"
    for index in range(20):
        new = list(rows[index])
        new[number] = f"BENCH{stamp}{index:02d}"
        new[email] = f"bench.{stamp}.{index}@example.ac.uk"
        rows.append(new)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue(), len(rows)


def main() -> None:
    started = time.perf_counter()
    text, rows = staff_list_text()
    exported = time.perf_counter() - started

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as preview_queries:
        preview = preview_staff_import(text)
    previewed = time.perf_counter() - started

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as apply_queries:
        result = staff_list.apply_staff_import(text, fingerprint=preview.fingerprint)
    applied = time.perf_counter() - started
    json.dump(
        {
            "rows": rows,
            "export_seconds": round(exported, 2),
            "preview_seconds": round(previewed, 2),
            "preview_queries": len(preview_queries),
            "apply_seconds": round(applied, 2),
            "apply_queries": len(apply_queries),
            "summary": result.summary(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
