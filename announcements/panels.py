"""The dashboard panel: announcements of the last week for this person's audience."""

from __future__ import annotations

from typing import Any

from announcements import permissions, selectors
from portal.registry import Panel
from technicians.permissions import technician_of


def _context(request) -> dict[str, Any]:
    user = request.user
    return {
        "announcements": selectors.on_dashboard(
            technician_of(user), sees_all=permissions.can_write_announcement(user)
        ),
        "can_write": permissions.can_write_announcement(user),
    }


PANEL = Panel(
    name="announcements.recent",
    template="announcements/panels/recent.html",
    applies=permissions.can_read_announcements,
    context=_context,
    order=15,
)
