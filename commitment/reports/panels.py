"""The annual report's dashboard panel, for HR and the steering group: the latest report and
this year's headline figures (registered in PortalConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from commitment import permissions
from commitment.reports import selectors
from portal import registry
from portal.periods import academic_year_label

# This year's figures change slowly; working them out on every dashboard view would cost
# every section's queries. They are kept this long (the figures page is always fresh).
HEADLINES_CACHE_SECONDS = 600
PER_SECTION = 2


def this_years_headlines(year: int) -> list[tuple[str, str, float]]:
    """(section, label, value) for academic year `year`, from every registered section."""
    key = f"portal.reports.headlines.{year}"
    found = cache.get(key)
    if found is None:
        # The first two of each section: a section lists what needs attention first.
        found = [
            (section.title, label, value)
            for section in registry.report_sections()
            for label, value in section.headlines(section.figures(year))[:PER_SECTION]
        ]
        cache.set(key, found, HEADLINES_CACHE_SECONDS)
    return found


def _context(request) -> dict[str, Any]:
    year = selectors.current_year()
    reports = list(selectors.all_reports()[:1])
    return {
        "report_panel": {
            "year": year,
            "label": academic_year_label(year),
            "latest": reports[0] if reports else None,
            "latest_ready": selectors.latest_ready(),
            "headlines": this_years_headlines(year),
            "can_request": permissions.can_request_annual_report(request.user),
        }
    }


PANEL = registry.Panel(
    name="portal.annual_report",
    template="commitment/annual_report_panel.html",
    applies=permissions.can_read_annual_report,
    context=_context,
    order=60,
)
