"""The dashboard's panels as a page shows them (config.views.home).

A panel registered with `shared_by` shows everyone it applies to the same thing: it is written
once a day for all of them, with no request, and kept under the versions of its data
(portal.versions), so a write to that data shows at the next visit. Every other panel is
written for the viewer, inside the page's own request context (`{% panel %}`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from portal import registry, versions


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict[str, Any]
    html: SafeString | None = None  # a shared panel, written already


def shown_panels(request: Any) -> list[ShownPanel]:
    """The panels that apply to the signed-in user, in order, ready for `{% panel %}`."""
    today = timezone.localdate()
    return [
        ShownPanel(panel.template, {}, shared_html(panel, today=today))
        if panel.shared_by
        else ShownPanel(panel.template, panel.context(request))
        for panel in registry.panels_for(request.user)
    ]


def shared_html(panel: registry.Panel, *, today: datetime.date) -> SafeString:
    """The panel as everyone it applies to sees it today: written without a request (no
    viewer's data can get in) and kept under its versions and the day."""
    return versions.cached(
        f"dashboard.panel:{panel.name}:{today.isoformat()}",
        depends_on=panel.shared_by,
        compute=lambda: mark_safe(render_to_string(panel.template, panel.context(None))),  # noqa: S308 (a template's output)
    )
