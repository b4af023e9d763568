"""Shared aggregates computed once for every viewer, and never stale.

Some figures are the same for everyone who sees them: the skills at risk on the dashboards of
HR and the steering group, the career ladder every pathway page reads. They are computed once
and kept in the "shared" cache under a key that holds the versions of the data they come from
(`DataVersion` rows, one per kind of data). The app that owns the data moves its version on
(`bump`) inside the same transaction as every write, single rows through model signals, bulk
paths by calling `bump` themselves. A reader reads the versions first (one query), then the
cache: a copy computed before a write sits under the old version and is never read again.

Within a request, the versions are read once, all of them (`per_request`, which
`portal.middleware.DataVersionsMiddleware` opens around every request): a page that shows
several shared figures pays one query for their versions. A write's `bump` drops that reading,
so the same request reads its own writes.

The cache is an accelerator only: if it is unreachable (a Redis paused for a failover), the
figures are computed from the database as if nothing were cached; a page is never wrong and
never fails because of it.

Each process also keeps the copies it has read or computed (`_LocalCopies`), under the same
keys: a key names the versions, so a kept copy is never stale either, and a page that shows
shared figures asks Redis only for those it has not seen since they last changed. A copy is
kept pickled, as Redis keeps it, so every reader gets objects of its own to change.
"""

from __future__ import annotations

import logging
import pickle
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal.models import DataVersion

logger = logging.getLogger(__name__)

T = TypeVar("T")
CACHE_ALIAS = "shared"
# A copy lives this long: a version that never moves is recomputed this often.
TIMEOUT_SECONDS = 15 * 60
_MISSING = object()

_TABLE = DataVersion._meta.db_table


class _Reading:
    """Every version, read at the first need within a request (None: not read yet)."""

    versions: dict[str, int] | None = None


_this_request: ContextVar[_Reading | None] = ContextVar("portal_data_versions", default=None)


@contextmanager
def per_request() -> Iterator[None]:
    """Read the versions at most once inside this block (until a write moves one on)."""
    token = _this_request.set(_Reading())
    try:
        yield
    finally:
        _this_request.reset(token)


def bump(*names: str) -> None:
    """Move on the version of each kind of data named: call it in the transaction of the
    write (a rolled-back write leaves the version where it was). A version first counted
    starts at a random number, so a database rebuilt from nothing (or a test's rolled-back
    transaction) never meets a copy cached under an earlier life's numbers."""
    with connection.cursor() as cursor:
        for name in sorted(set(names)):  # always the same order: two writers never deadlock
            cursor.execute(
                f"INSERT INTO {_TABLE} (name, version) VALUES (%s, %s) "  # noqa: S608 (our table)
                f"ON CONFLICT (name) DO UPDATE SET version = {_TABLE}.version + 1",
                [name, random.randrange(1, 2**62)],  # noqa: S311 (not a secret)
            )
    reading = _this_request.get()
    if reading is not None:
        reading.versions = None  # read again: this request sees its own write


class _Bumper:
    """A signal receiver moving one version on (a class: the receiver must outlive `track`)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, sender=None, action: str | None = None, **kwargs) -> None:
        if action is None or action in {"post_add", "post_remove", "post_clear"}:
            bump(self.name)


def track(name: str, *models_: type[models.Model], links: Iterable[Any] = ()) -> None:
    """Move `name` on whenever a row of `models_` is saved or deleted through the ORM, and
    whenever the many-to-many `links` (fields such as `Announcement.departments`) change.
    A bulk write (`QuerySet.update`, `bulk_create`) sends no signal: it calls `bump`."""
    bumper = _Bumper(name)
    for model in models_:
        uid = f"versions:{name}:{model._meta.label_lower}"
        post_save.connect(bumper, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(bumper, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    for link in links:
        through = link.through
        uid = f"versions:{name}:{through._meta.label_lower}"
        m2m_changed.connect(bumper, sender=through, weak=False, dispatch_uid=uid)


def current(names: Iterable[str]) -> tuple[int, ...]:
    """The versions of `names`, in that order (0: never written). One query, or none when
    this request has read them already."""
    names = list(names)
    reading = _this_request.get()
    if reading is None:
        found = dict(DataVersion.objects.filter(name__in=names).values_list("name", "version"))
    else:
        if reading.versions is None:
            reading.versions = _every_version()
        found = reading.versions
    return tuple(found.get(name, 0) for name in names)


def _every_version() -> dict[str, int]:
    """Every version, in plain SQL: a constant query that half the requests make, which the
    ORM would compile afresh each time."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, version FROM {_TABLE}")  # noqa: S608 (our table)
        return dict(cursor.fetchall())


class _LocalCopies:
    """The last `size` copies this process has read or computed, pickled, each until its
    timeout (the shared cache's own), the least recently read dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._copies: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()  # threaded servers and workers share the process

    def get(self, key: str) -> Any:
        with self._lock:
            kept = self._copies.get(key)
            if kept is None:
                return _MISSING
            expires, data = kept
            if expires <= time.monotonic():
                del self._copies[key]
                return _MISSING
            self._copies.move_to_end(key)
        return pickle.loads(data)  # noqa: S301 (written by this process, below)

    def set(self, key: str, value: Any) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._copies[key] = (time.monotonic() + TIMEOUT_SECONDS, data)
            self._copies.move_to_end(key)
            while len(self._copies) > self.size:
                self._copies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()


local_copies = _LocalCopies(size=256)


def clear_copies() -> None:
    """Forget every copy, the shared cache's and this process's: the figures are computed
    again at their next read (tests measuring that path; a deployment never needs it)."""
    caches[CACHE_ALIAS].clear()
    local_copies.clear()
    _kept_objects.clear()


# key: (the versions it was made under, the object)
_kept_objects: dict[str, tuple[tuple[int, ...], Any]] = {}


def kept_object(key: str, *, depends_on: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()`, made once in this process for the versions of `depends_on` and given to
    every caller as it is, not a copy: for an object nobody changes once it is made, whose
    making costs more than a copy's unpickling would save (a list box's options, written once
    and marked per box). Only the newest versions' object is kept for each key."""
    versions = current(tuple(depends_on))
    kept = _kept_objects.get(key)
    if kept is not None and kept[0] == versions:
        return kept[1]
    value = compute()
    _kept_objects[key] = (versions, value)
    return value


def cached(key: str, *, depends_on: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()`, kept in the shared cache under `key` and the versions of `depends_on`
    (and in this process: `local_copies`)."""
    depends_on = tuple(depends_on)
    versions = current(depends_on)
    full_key = "portal:shared:{}:{}".format(
        key,
        ".".join(f"{name}={version}" for name, version in zip(depends_on, versions, strict=True)),
    )
    value = local_copies.get(full_key)
    if value is not _MISSING:
        return value
    value = _from_shared_cache(key, full_key, compute)
    local_copies.set(full_key, value)
    return value


def _from_shared_cache(key: str, full_key: str, compute: Callable[[], T]) -> T:
    cache = caches[CACHE_ALIAS]
    try:
        value = cache.get(full_key, _MISSING)
    except Exception:  # an unreachable cache: compute, as if nothing were cached
        logger.warning("shared cache unreachable: computing %s", key, exc_info=True)
        return compute()
    if value is not _MISSING:
        return value
    value = compute()
    try:
        cache.set(full_key, value, TIMEOUT_SECONDS)
    except Exception:
        logger.warning("shared cache unreachable: %s not kept", key, exc_info=True)
    return value
