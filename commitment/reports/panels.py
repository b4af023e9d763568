"""The annual report's dashboard panel, for HR and the steering group: the latest report and
this year's headline figures as the worker last worked them out, with the figures page
(commitment.reports.stored), and when (registered in CommitmentConfig.ready())."""

from __future__ import annotations

from typing import Any

from commitment import permissions
from commitment.reports import selectors, stored
from portal import registry
from portal.periods import academic_year_label


def _context(request) -> dict[str, Any]:
    year = selectors.current_year()
    latest, latest_ready = selectors.newest_and_latest_ready()
    return {
        "report_panel": {
            "year": year,
            "label": academic_year_label(year),
            "latest": latest,
            "latest_ready": latest_ready,
            "figures": stored.figures_for_panel(year),
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
