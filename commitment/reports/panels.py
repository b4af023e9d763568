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


def this_years_headlines(year: int) -> list[tuple[str, str, str]]:
    """(pillar, label, text) for academic year `year`: the report's own headline figures
    (`commitment.kpis`, the same as the report's summary), the first two of each pillar."""
    from commitment import kpis

    key = f"commitment.kpis.headlines.{year}"
    found = cache.get(key)
    if found is None:
        shown: dict[str, int] = {}
        found = []
        for figure in kpis.compute(kpis.section_figures(year), None):
            shown[figure.kpi.pillar] = shown.get(figure.kpi.pillar, 0) + 1
            if shown[figure.kpi.pillar] <= PER_SECTION:
                found.append((figure.pillar_label, figure.label, figure.text))
        cache.set(key, found, HEADLINES_CACHE_SECONDS)
    return found


def _context(request) -> dict[str, Any]:
    year = selectors.current_year()
    return {
        "report_panel": {
            "year": year,
            "label": academic_year_label(year),
            "latest": selectors.newest_report(),
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
