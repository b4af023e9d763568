"""What each app plugs into the kernel, from its `AppConfig.ready()`.

The kernel never names an app. An app registers:

- named permission checks, read by the `{% can %}` tag and `portal.decorators`
  (`register_check("view_technician", can_view_technician)`);
- reminder producers, run by the periodic pass of `portal.reminders`
  (`register_reminder("actionplan.actions", queue_action_reminders)`);
- demo seeders, run in order by `manage.py seed_demo`
  (`register_seeder("technicians", seed_demo, order=10)`);
- dashboard panels, shown on `/` to the users they apply to
  (`register_panel(Panel(name=..., template=..., applies=..., context=...))`).

Registering the same name twice with the same function is harmless (`ready()` may run more
than once in tests); a different function under a taken name is a programming error.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Check = Callable[..., bool]
# producer(today) -> how many notifications it queued
ReminderProducer = Callable[[datetime.date], int]
# seeder(*, technicians: int, stdout) -> None; `technicians` is seed_demo's --technicians
Seeder = Callable[..., None]


@dataclass(frozen=True)
class SeederEntry:
    name: str
    seed: Seeder
    order: int


@dataclass(frozen=True)
class Panel:
    """One box of the dashboard.

    `applies(user)` says whether the user sees it; `context(request)` returns what its
    template needs (a constant number of queries); lower `order` comes first. Panels that
    need the person's attention use a low order so they come before what they can do.
    """

    name: str
    template: str
    applies: Callable[[Any], bool]
    context: Callable[[Any], dict[str, Any]] = field(default=lambda request: {})
    order: int = 100


class AlreadyRegistered(Exception):
    pass


_checks: dict[str, Check] = {}
_reminders: dict[str, ReminderProducer] = {}
_seeders: dict[str, SeederEntry] = {}
_panels: dict[str, Panel] = {}


def _put(table: dict[str, Any], name: str, value: Any, same: Callable[[Any, Any], bool]) -> None:
    existing = table.get(name)
    if existing is not None and not same(existing, value):
        raise AlreadyRegistered(f"{name!r} is already registered.")
    table[name] = value


# --- permission checks -------------------------------------------------------------------


def register_check(name: str, check: Check) -> None:
    _put(_checks, name, check, lambda a, b: a is b)


def register_checks(checks: dict[str, Check]) -> None:
    for name, check in checks.items():
        register_check(name, check)


def has_check(name: str) -> bool:
    return name in _checks


def get_check(name: str) -> Check:
    try:
        return _checks[name]
    except KeyError:
        raise KeyError(f"No permission check named {name!r} is registered.") from None


def check(name: str, user: Any, *args: Any) -> bool:
    return bool(get_check(name)(user, *args))


def checks() -> dict[str, Check]:
    return dict(_checks)


# --- reminder producers ------------------------------------------------------------------


def register_reminder(name: str, producer: ReminderProducer) -> None:
    _put(_reminders, name, producer, lambda a, b: a is b)


def reminders() -> dict[str, ReminderProducer]:
    return dict(_reminders)


# --- demo seeders ------------------------------------------------------------------------


def register_seeder(name: str, seed: Seeder, *, order: int = 100) -> None:
    _put(_seeders, name, SeederEntry(name, seed, order), lambda a, b: a.seed is b.seed)


def seeders() -> list[SeederEntry]:
    return sorted(_seeders.values(), key=lambda entry: (entry.order, entry.name))


# --- dashboard panels --------------------------------------------------------------------


def register_panel(panel: Panel) -> None:
    _put(_panels, panel.name, panel, lambda a, b: a.template == b.template)


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def panels_for(user: Any) -> list[Panel]:
    return [panel for panel in panels() if panel.applies(user)]
