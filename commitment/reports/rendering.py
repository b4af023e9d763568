"""HTML to PDF with WeasyPrint: a cover, a contents page with page numbers, running headers,
tagged for accessibility (PDF/UA-1).

WeasyPrint needs Pango and HarfBuzz from the operating system. When they are missing the
import fails with OSError; `RenderingUnavailable` turns that into a sentence saying what to
install, which the report row keeps and the reports page shows (never a traceback).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from commitment.reports.document import ReportDocument, build

logger = logging.getLogger(__name__)

# Debian's names of the libraries WeasyPrint loads (its documentation lists the same).
SYSTEM_LIBRARIES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "libharfbuzz-subset0")
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class RenderingUnavailable(Exception):
    """The PDF cannot be made on this server; the message says what to do about it."""


def missing_libraries_message(error: BaseException) -> str:
    return (
        "The PDF could not be made because WeasyPrint's system libraries are missing on the "
        f"server that renders reports ({str(error)[:200]}). Install Pango and HarfBuzz "
        f"(on Debian or Ubuntu: apt-get install {' '.join(SYSTEM_LIBRARIES)}), restart the "
        "worker, then request the report again."
    )


def load_weasyprint():
    try:
        import weasyprint
    except (OSError, ImportError) as error:  # OSError: cffi could not load a library
        logger.error("WeasyPrint is unavailable: %s", error)
        raise RenderingUnavailable(missing_libraries_message(error)) from error
    return weasyprint


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    document: ReportDocument


def report_html(document: ReportDocument, *, version: int | None = None) -> str:
    return render_to_string(
        "commitment/reports/pdf/report.html", {"document": document, "version": version}
    )


def render_pdf(year: int, *, version: int | None = None, report=None) -> RenderedReport:
    """The report of academic year `year` as PDF bytes, with its page count. `report` (the
    AnnualReport row being made) says whether the steering chair approved it."""
    weasyprint = load_weasyprint()
    document = build(year, report=report)
    html = weasyprint.HTML(
        string=report_html(document, version=version), base_url=str(settings.BASE_DIR)
    )
    rendered = html.render(**PDF_OPTIONS)
    pdf = rendered.write_pdf(**PDF_OPTIONS)
    return RenderedReport(pdf=pdf, pages=len(rendered.pages), document=document)
