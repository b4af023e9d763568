"""Pointing the web side's Celery app at another broker (or in-process) for one test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from config.celery import app


def _reset_pools() -> None:
    # The app caches its connection and producer pools for the broker it saw first; the
    # pools themselves are kombu's, shared by URL, so they are dropped here, not closed.
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def celery_config(**changes: Any) -> Iterator[None]:
    """Change `config.celery.app.conf` for the duration (e.g. broker_url, task_always_eager)."""
    saved = {name: app.conf[name] for name in changes}
    _reset_pools()
    app.conf.update(changes)
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_pools()
