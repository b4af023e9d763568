"""The evidence pack for a promotion case: an accessible PDF (WeasyPrint, tagged, with a
language, a title and real headings and table headers) of the person's band, the next band's
expectations met or not yet with what shows it, their validated skills, training, registrations,
CPD, actions owned and their own statement."""

from __future__ import annotations

from django.template.loader import render_to_string

from careers import selectors


def render_html(technician) -> str:
    return render_to_string("careers/evidence_pack.html", selectors.evidence(technician))


def render_pdf(technician) -> bytes:
    from weasyprint import HTML

    # pdf_variant "pdf/ua-1": a tagged PDF that screen readers can follow.
    return HTML(string=render_html(technician)).write_pdf(pdf_variant="pdf/ua-1")
