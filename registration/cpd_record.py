"""The CPD record a technician downloads, as PDF (WeasyPrint) and CSV: the training ledger's
entries and their own CPD entries for a chosen period."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template.loader import render_to_string

from portal.csv_export import csv_response
from registration.selectors import CPDRecordEntry

CSV_HEADER = ["date", "source", "activity", "hours", "what I learned", "evidence"]


def _filename(technician, start: datetime.date, end: datetime.date, suffix: str) -> str:
    return f"cpd-record-{technician.staff_number}-{start:%Y%m%d}-{end:%Y%m%d}.{suffix}"


def csv_download(technician, entries: list[CPDRecordEntry], start, end):
    rows = (
        [e.date.isoformat(), e.source, e.activity, e.hours, e.learning, e.evidence] for e in entries
    )
    return csv_response(_filename(technician, start, end, "csv"), CSV_HEADER, rows)


def render_pdf(technician, entries: list[CPDRecordEntry], start, end, post_nominals: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "registration/cpd_record_pdf.html",
        {
            "technician": technician,
            "entries": entries,
            "start": start,
            "end": end,
            "post_nominals": post_nominals,
            "total_hours": sum((e.hours for e in entries), Decimal(0)),
        },
    )
    return HTML(string=html).write_pdf()


def pdf_filename(technician, start, end) -> str:
    return _filename(technician, start, end, "pdf")
