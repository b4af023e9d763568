"""How far a preview has read, and an apply has written, for the progress bar of an import
run by a worker.

`ColumnSet.rows` (every import reads its rows through it) calls `advance(done, total)` after
each row; outside a worker that is a no-op. `reporting(callback)` installs, for the duration,
a callback that receives (done, total) at most every `every` seconds, and always the last row.
The apply services call `applied(done, total)` as they write (`apply_previewed` after each
row, the staff list after each batch), heard by `reporting_applied(callback)` in the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Callback = Callable[[int, int], None]

_reporter: ContextVar[_Reporter | None] = ContextVar("import_progress", default=None)
_apply_reporter: ContextVar[_Reporter | None] = ContextVar("import_apply", default=None)


class _Reporter:
    def __init__(self, callback: Callback, every: float):
        self.callback = callback
        self.every = every
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self.last >= self.every:
            self.last = now
            self.callback(done, total)


def advance(done: int, total: int) -> None:
    """Rows `done` of `total` are read (cheap when nobody listens)."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(done, total)


def applied(done: int, total: int) -> None:
    """Rows `done` of `total` are written by the apply (cheap when nobody listens)."""
    reporter = _apply_reporter.get()
    if reporter is not None:
        reporter(done, total)


@contextmanager
def reporting(callback: Callback, *, every: float = 0.5) -> Iterator[None]:
    token = _reporter.set(_Reporter(callback, every))
    try:
        yield
    finally:
        _reporter.reset(token)


@contextmanager
def reporting_applied(callback: Callback, *, every: float = 0.5) -> Iterator[None]:
    token = _apply_reporter.set(_Reporter(callback, every))
    try:
        yield
    finally:
        _apply_reporter.reset(token)
