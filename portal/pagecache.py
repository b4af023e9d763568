"""Whole pages kept per viewer, and rebuilt as soon as anything they are built from changes.

The busiest pages cost 10–300 ms of Python to build and under a millisecond to serve from the
cache (bench/RESULTS.md). `cached_page` keeps a view's answer under a key made of:

- the viewer: the session's user id, authentication backend and session hash, or "anonymous";
- the URL (scheme, host, path and query) and the htmx headers that change what a view returns;
- the minute, so that what depends on the clock (overdue, closing, "in 3 days") is never more
  than a minute old, and a change lost with a crashed process costs a minute at most;
- the portal's settings.

With the page it keeps the versions of the data it was built from: one version per app,
changed by every INSERT, UPDATE or DELETE that reaches one of the app's tables
(`_watch_writes`, installed on every database connection), whether it came from a service,
the admin, a bulk update, an import or raw SQL. The version changes at once, and again when the
transaction commits, so no other process keeps what it read before the commit under the new
version. A page is served only while every version is the one it was built from; the page
and the versions are read in one round trip.

A hit runs none of the view's code, permission checks included: the page was kept by a full
run for the same user and session under the same data, and whatever those checks read
(groups, roles, line managers, the account itself) is data, so a change to it is a new
version. A password change or a deactivated account changes `auth`; a new session is a new
viewer.

Only a 200 answer to a GET is kept, and only when no flash message was waiting or added and
the view did not change the session. The CSRF tokens in a kept page are replaced by a
placeholder and masked afresh for each request, so a page never hands one visitor's token to
another.

The cache is `CACHES["pages"]` (PAGE_CACHE_URL: Redis in production, shared by every web and
worker process; local memory when one process runs everything). If it fails, pages are built
as if there were no cache, and the failure is logged. PORTAL_PAGE_CACHE=0 turns it off.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from functools import partial, wraps
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

logger = logging.getLogger(__name__)
T = TypeVar("T")

CACHE_ALIAS = "pages"
# Pages live for two minutes at most: the minute in their key retires them after one anyway.
PAGE_TIMEOUT = 120
# Shared values (`memoized`) have no minute in their key: an hour, or until their data changes.
VALUE_TIMEOUT = 3600
# Each process keeps copies of the pages it served last, up to this many bytes (LocalCopies).
LOCAL_COPIES_BYTES = 32 * 1024 * 1024
# Apps whose tables never feed a cached page: sessions are written on almost every request,
# the admin's log and allauth's addresses and tokens on logins.
UNWATCHED_APPS = frozenset({"sessions", "admin", "contenttypes", "account", "socialaccount"})
# The outbox is written for every e-mail sent, and no page shows it (the admin's is not cached).
UNWATCHED_TABLES = frozenset({"portal_notification"})
# What pages show or check beyond their data (SECRET_KEY: sessions signed with an old key).
FINGERPRINTED_SETTINGS = ("PORTAL_", "SSO_", "SITE_URL", "LANGUAGE_CODE", "TIME_ZONE", "SECRET_KEY")
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Trigger-Name", "HX-Boosted")
CSRF_PLACEHOLDER = b"__portal_csrf_token__"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
# Logging in stamps last_login: the account did not change in any way a page shows.
_LAST_LOGIN_ONLY = re.compile(
    r'UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"\."id" = %s\s*\Z'
)

_tables: dict[str, str] | None = None
_version_keys: list[str] | None = None
_settings_fingerprint: str | None = None


def cache():
    return caches[CACHE_ALIAS]


# --- when the cache fails ----------------------------------------------------------------------
# After a failure this process leaves the cache alone for a few seconds: a Redis that hangs
# costs its timeout once, not in every request or every write. The changes written meanwhile
# are recorded as soon as the cache answers again (`_record_missed_changes`); until then the
# minute in every page's key keeps what other processes serve at most a minute old.

RETRY_AFTER_SECONDS = 5.0
_unavailable_until = 0.0
_missed_changes: set[str] = set()


def available() -> bool:
    return time.monotonic() >= _unavailable_until


def failed(what: str, *args) -> None:
    """Log the failure, and leave the cache alone for RETRY_AFTER_SECONDS."""
    global _unavailable_until
    _unavailable_until = time.monotonic() + RETRY_AFTER_SECONDS
    logger.warning(
        "The page cache is unavailable (left alone for %s s): " + what, RETRY_AFTER_SECONDS, *args
    )


def reset() -> None:
    """Forget this process's copies and any failure (tests start each from nothing)."""
    global _unavailable_until
    _unavailable_until = 0.0
    _missed_changes.clear()
    _local.clear()


# --- versions --------------------------------------------------------------------------------


def watched_apps() -> list[str]:
    return sorted(set(tables().values()))


def tables() -> dict[str, str]:
    """Each watched table, many-to-many tables included, and the app it belongs to."""
    global _tables
    if _tables is None:
        _tables = {
            model._meta.db_table: model._meta.app_label
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label not in UNWATCHED_APPS
            and model._meta.db_table not in UNWATCHED_TABLES
        }
    return _tables


def _version_key(app_label: str) -> str:
    return f"pagecache:version:{app_label}"


def versions(found: dict | None = None) -> list[str]:
    """The current version of every watched app's data (from `found`, a read of the version
    keys with others, when given); an app with none yet gets one."""
    keys = version_keys()
    if found is None:
        found = cache().get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        # add, not set: another process may have given it one a moment ago.
        cache().add(key, uuid.uuid4().hex, timeout=None)
    if missing:
        found = {**found, **cache().get_many(missing)}
    return [str(found[key]) for key in keys]


def version_keys() -> list[str]:
    global _version_keys
    if _version_keys is None:
        _version_keys = [_version_key(label) for label in watched_apps()]
    return _version_keys


def bump(app_label: str) -> None:
    """A new version of an app's data: every page built from it is built afresh."""
    if not available():
        _missed_changes.add(app_label)
        return
    try:
        _record_missed_changes()
        cache().set(_version_key(app_label), uuid.uuid4().hex, timeout=None)
    except Exception:
        _missed_changes.add(app_label)
        failed("could not record a change to %s", app_label)


def _record_missed_changes() -> None:
    """New versions for the apps changed while the cache did not answer."""
    while _missed_changes:
        app_label = next(iter(_missed_changes))
        cache().set(_version_key(app_label), uuid.uuid4().hex, timeout=None)
        _missed_changes.discard(app_label)


def data_changed(app_label: str, connection) -> None:
    bump(app_label)
    if connection.in_atomic_block:
        # Again on commit (once per app and transaction): until then other processes read
        # the old rows, and may have cached them under the version bumped a moment ago.
        pending = connection.__dict__.setdefault("_pagecache_on_commit", {})
        callback = pending.get(app_label)
        queued = callback is not None and any(
            entry[1] is callback for entry in connection.run_on_commit
        )
        if not queued:
            pending[app_label] = callback = partial(bump, app_label)
            connection.on_commit(callback)


def written_app(sql: str) -> str | None:
    """The watched app whose table this statement writes, if any."""
    match = _WRITE.match(sql)
    if match is None or _LAST_LOGIN_ONLY.match(sql):
        return None
    return tables().get(match.group(1))


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    app_label = written_app(sql) if isinstance(sql, str) else None
    if app_label is not None:
        data_changed(app_label, context["connection"])
    return result


def watch_connection(connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch every database connection, those already open too (PortalConfig.ready)."""
    connection_created.connect(watch_connection, dispatch_uid="portal.pagecache")
    setting_changed.connect(_forget_settings, dispatch_uid="portal.pagecache.settings")
    for connection in connections.all(initialized_only=True):
        watch_connection(connection)


# --- keys ------------------------------------------------------------------------------------


def _forget_settings(**kwargs) -> None:
    global _settings_fingerprint, _tables, _version_keys
    _settings_fingerprint = None
    if kwargs.get("setting") == "INSTALLED_APPS":
        _tables = _version_keys = None


def settings_fingerprint() -> str:
    global _settings_fingerprint
    if _settings_fingerprint is None:
        # Only settings with plain values: a repr naming a memory address differs between
        # processes, and their entries would not be shared.
        names = [name for name in dir(settings) if name.startswith(FINGERPRINTED_SETTINGS)]
        values = sorted((name, repr(getattr(settings, name))) for name in names)
        _settings_fingerprint = hashlib.sha256(repr(values).encode()).hexdigest()
    return _settings_fingerprint


def viewer(request) -> tuple:
    """Who the session says this is, without loading the account (a hit needs no query)."""
    session = request.session
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return ("anonymous",)
    return (str(user_id), session.get(BACKEND_SESSION_KEY), session.get(HASH_SESSION_KEY))


def page_key(request, view_name: str) -> str:
    """Where the page is kept; the entry holds the versions it was built from."""
    parts = (
        view_name,
        viewer(request),
        # The scheme and host too: a page may hold absolute links (a calendar feed's address).
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        tuple(request.headers.get(name, "") for name in HTMX_HEADERS),
        int(timezone.now().timestamp() // 60),
        settings_fingerprint(),
    )
    return "pagecache:page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def lookup(request, view_name: str) -> tuple[str, list[str], tuple | None]:
    """The page's key, the data's current versions, and the page kept under that key if it
    was built from those versions. A page this process served last is taken from its own
    copy, and only the versions are read from the shared cache."""
    key = page_key(request, view_name)
    local = _local.get(key)
    if local is not None:
        _record_missed_changes()
        current = versions()
        if local[0] == current:
            return key, current, local
    current, entry = _read(key)
    if entry is not None:
        _local.put(key, entry)
    return key, current, entry


class LocalCopies:
    """This process's copies of the pages it served last, least recently used out first.

    Served only under the same rule as the shared cache's (the versions read from it now
    must be the ones the copy was built from), so a copy is never staler than the shared
    page; it saves moving a large page (the HR figures page is 270 kB) across the network on
    every request."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        size = len(entry[1])
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[1])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


_local = LocalCopies(max_bytes=LOCAL_COPIES_BYTES)


def _read(key: str) -> tuple[list[str], tuple | None]:
    """The current versions, and what is kept under `key` if it was built from them: one
    round trip to the cache."""
    _record_missed_changes()
    found = cache().get_many([key, *version_keys()])
    current = versions(found)
    entry = found.get(key)
    if entry is not None and entry[0] != current:
        entry = None
    return current, entry


def memoized(name: str, build: Callable[[], T], *, args: tuple = (), by_day: bool = False) -> T:
    """A value every viewer shares (an aggregate over many rows, a report's figures), built
    once and kept while the data it is built from is unchanged; `by_day`: rebuilt each day
    too, for a value that depends on the date. Picklable values only."""
    if not settings.PORTAL_PAGE_CACHE or not available():
        return build()
    day = timezone.localdate().isoformat() if by_day else None
    parts = (name, args, day, settings_fingerprint())
    key = "pagecache:value:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    try:
        current, entry = _read(key)
    except Exception:
        failed("building %s", name)
        return build()
    if entry is not None:
        return entry[1]
    value = build()
    try:
        cache().set(key, (current, value), timeout=VALUE_TIMEOUT)
    except Exception:
        failed("could not keep %s", name)
    return value


# --- the decorator ---------------------------------------------------------------------------


def _messages(request):
    return getattr(request, "_messages", None)


def _messages_waiting(request) -> bool:
    storage = _messages(request)
    return storage is not None and len(storage) > 0


def _storable(request, response, user_id) -> bool:
    storage = _messages(request)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and not request.session.modified
        and not (storage is not None and getattr(storage, "_queued_messages", None))
        # The session still belongs to the account it named (it was not flushed on the way).
        and str(getattr(request.user, "pk", None)) == str(user_id)
    )


def _entry(response, built_from: list[str]) -> tuple:
    content = _CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    return built_from, content, list(response.items())


def _response(request, entry) -> HttpResponse:
    _built_from, content, headers = entry
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def cached_page(view):
    """Serve the view's page from the cache while nothing it is built from has changed."""
    view_name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PORTAL_PAGE_CACHE or request.method != "GET" or _messages_waiting(request):
            return view(request, *args, **kwargs)
        if not available():
            return view(request, *args, **kwargs)
        try:
            key, current, entry = lookup(request, view_name)
        except Exception:
            failed("building %s", request.path)
            return view(request, *args, **kwargs)
        if entry is not None:
            return _response(request, entry)
        user_id = viewer(request)[0]
        response = view(request, *args, **kwargs)
        if not getattr(response, "is_rendered", True):
            response.render()  # a TemplateResponse: rendered here rather than by the handler
        if _storable(request, response, None if user_id == "anonymous" else user_id):
            try:
                entry = _entry(response, current)
                _local.put(key, entry)
                cache().set(key, entry, timeout=PAGE_TIMEOUT)
            except Exception:
                failed("could not keep %s", request.path)
        return response

    return wrapper
