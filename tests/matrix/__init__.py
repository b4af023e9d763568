"""The permission matrix of DESIGN.md: (URL, persona, expected status) for every URL of ours.

Each app's module here defines `setup(world)` (adds the objects its URLs need to `world`, a
namespace that already holds the personas) and `ROWS`, a list of `Row`. Statuses: 200 shown,
302 redirected (anonymous to the login page, or after a successful POST), 403 refused,
404 hidden.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Row:
    name: str  # the URL name, with its namespace: "technicians:detail"
    path: Callable[[Any], str]  # world -> path
    expect: dict[str, int]  # persona -> status; every persona of PERSONA_NAMES
    method: str = "get"
    data: Callable[[Any], dict] = field(default=lambda world: {})
    note: str = ""


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """Same status for every persona, with exceptions."""
    from tests.conftest import PERSONA_NAMES

    expect = dict.fromkeys(PERSONA_NAMES, status)
    expect.update(overrides)
    return expect


def staff(status: int = 200, **overrides: int) -> dict[str, int]:
    """Anonymous visitors go to the login page; everyone logged in gets `status`."""
    return everyone(status, anonymous=302, **overrides)
