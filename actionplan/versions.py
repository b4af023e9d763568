"""The "action-plans" data version (portal.versions): moved on when a plan, an action or a
progress update is saved or deleted. A published plan's table of actions, the same for every
reader but for the owners' names, is written once a day and kept under it. Single rows go
through the services and the admin (signals); the bulk paths (the next plan's copies, the
demo's updates, an anonymised person's evidence names) bump it themselves."""

from __future__ import annotations

from portal import versions

PLANS = "action-plans"


def plans_changed() -> None:
    versions.bump(PLANS)


def connect_signals() -> None:
    from actionplan.models import Action, ActionPlan, ActionUpdate

    versions.track(PLANS, ActionPlan, Action, ActionUpdate)
