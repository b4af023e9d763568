"""Why a plan or action history row was written, kept in simple-history's change reason.

The services write a reason with `format_reason(Reason.X, ref)`; the timeline reads it back with
`parse_reason`. Both use the one table below, so what is written is always what can be read.
A reason may name a row (`ref`): the progress update that changed an action, or the plan a new
plan follows or an action was carried over from. An ordinary edit has no reason.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Reason(enum.Enum):
    PROGRESS_UPDATE = "progress_update"  # ref: the ActionUpdate
    NEXT_PLAN = "next_plan"  # ref: the plan this one follows
    CARRIED_OVER = "carried_over"  # ref: the plan the action was copied from
    IMPORT = "import"
    DEMO = "demo"


# reason -> (how it is stored, with {ref} where it names a row; what the timeline says)
# The stored forms are those the history already holds: do not change them.
_REASONS: dict[Reason, tuple[str, str]] = {
    Reason.PROGRESS_UPDATE: ("update:{ref}", "Progress update."),
    Reason.NEXT_PLAN: ("next plan after {ref}", "Started as the next plan."),
    Reason.CARRIED_OVER: ("continues plan {ref}", "Carried over from the previous plan."),
    Reason.IMPORT: ("import", "Imported from a CSV file."),
    Reason.DEMO: ("demo data", "Demo data."),
}
_PATTERNS = {
    reason: re.compile(re.escape(stored).replace(re.escape("{ref}"), r"(?P<ref>\d+)") + r"\Z")
    for reason, (stored, _words) in _REASONS.items()
}


@dataclass(frozen=True)
class ParsedReason:
    reason: Reason
    ref: int | None = None

    @property
    def words(self) -> str:
        return _REASONS[self.reason][1]


def format_reason(reason: Reason, ref: int | None = None) -> str:
    """The change reason to store; `ref` is required exactly when the reason names a row."""
    stored = _REASONS[reason][0]
    if ("{ref}" in stored) != (ref is not None):
        raise ValueError(f"{reason.name} {'needs' if ref is None else 'takes no'} ref")
    return stored.format(ref=ref)


def parse_reason(text: str | None) -> ParsedReason | None:
    """The reason a stored change reason says, or None (no reason, or free text)."""
    for reason, pattern in _PATTERNS.items():
        match = pattern.match(text or "")
        if match:
            ref = match.groupdict().get("ref")
            return ParsedReason(reason, int(ref) if ref is not None else None)
    return None


def describe(text: str | None) -> str:
    """What the timeline says about a stored change reason: empty for an ordinary edit, the
    text itself if it is not one of ours."""
    parsed = parse_reason(text)
    return parsed.words if parsed else (text or "")
