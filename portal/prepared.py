"""Queries compiled once and run many times: `PreparedLookup`.

The ORM compiles a queryset's SQL afresh every time it runs it. For a query every request
makes with only a key changing (the signed-in user, loaded with their technician, its
department, their groups and team: three tables and two subqueries), compiling costs about ten
times running it (2 ms of CPU against 0.2 ms): reading the groups and the team with the user
would have cost more than the two queries it saves. A `PreparedLookup` compiles its
queryset once per process and database connection, then runs the same SQL with the new key,
and builds the model instances (related objects and annotations included) exactly as the
queryset would.

It is for lookups by one value whose queryset never changes shape: the SQL is kept for the life
of the process, so the queryset must not depend on the time, the settings of the moment, or
anything but the value looked up.
"""

from __future__ import annotations

import copy
import datetime
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Value
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=models.Model)

# Stands in for the (integer) value while the SQL is compiled; found again among the parameters.
_STAND_IN = -1_730_591_826  # within a 32-bit integer column's range, or the ORM finds nothing
_INT32 = range(-(2**31), 2**31)


@dataclass
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    position: int  # where the value goes among the parameters
    compiler: Any
    init_list: list[str]
    model_slice: slice
    related_populators: list[Any]
    annotation_col_map: dict[str, int]


class PreparedLookup(Generic[M]):
    """`PreparedLookup(lambda value: Model.objects.select_related(…).filter(pk=value))`:
    `.get(value)` is the one object `build(value)` finds, or None."""

    def __init__(self, build: Callable[[Any], models.QuerySet[M]]) -> None:
        self._build = build
        self._alias: str | None = None  # the queryset's database, found when first built
        # Per connection: a connection belongs to one thread, and so does its compiler.
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, value: int) -> M | None:
        if value not in _INT32:
            # Beyond a 32-bit key (a made-up URL): the ORM's own answer, which knows each
            # column's range, rather than the database's error for a value it cannot hold.
            found = list(self._build(value)[:2])
            if len(found) > 1:
                raise found[0].MultipleObjectsReturned("A prepared lookup found more than one row.")
            return found[0] if found else None
        connection = connections[self._alias] if self._alias else None
        compiled = self._compiled.get(connection) if connection is not None else None
        if compiled is None:
            queryset = self._build(_STAND_IN)
            self._alias = queryset.db
            connection = connections[self._alias]
            compiled = self._compile(queryset, connection)
            with self._lock:
                self._compiled[connection] = compiled
        params = list(compiled.params)
        params[compiled.position] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(2)
        if len(rows) > 1:
            raise compiled.compiler.query.model.MultipleObjectsReturned(
                "A prepared lookup found more than one row."
            )
        objects = [self._instance(compiled, row, self._alias) for row in rows]
        return objects[0] if objects else None

    @staticmethod
    def _compile(queryset: models.QuerySet[M], connection: Any) -> _Compiled:
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()  # also works out select, klass_info and annotations
        positions = [index for index, param in enumerate(params) if param == _STAND_IN]
        if len(positions) != 1:
            raise ValueError("A prepared lookup's queryset must use its value exactly once.")
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        model_slice = slice(select_fields[0], select_fields[-1] + 1)
        _keep_converters(compiler)
        return _Compiled(
            sql=sql,
            params=tuple(params),
            position=positions[0],
            compiler=compiler,
            init_list=[column[0].target.attname for column in compiler.select[model_slice]],
            model_slice=model_slice,
            related_populators=get_related_populators(klass_info, compiler.select, queryset.db),
            annotation_col_map=dict(compiler.annotation_col_map or {}),
        )

    @staticmethod
    def _instance(compiled: _Compiled, raw_row: tuple, db: str) -> M:
        """What the queryset's own iteration (ModelIterable) builds from the row."""
        compiler = compiled.compiler
        [row] = compiler.results_iter([[raw_row[: compiler.col_count]]])
        obj = compiler.query.model.from_db(db, compiled.init_list, row[compiled.model_slice])
        for populator in compiled.related_populators:
            populator.populate(row, obj)
        for name, position in compiled.annotation_col_map.items():
            setattr(obj, name, row[position])
        return obj


# --- several values, many rows -------------------------------------------------------------

# A stand-in per kind of value, found again among the compiled parameters: each is a value no
# real record holds (a 32-bit integer the ORM passes on as it is, a day and an instant in the
# year 1111, a string of control characters).
_STAND_INS: dict[type, Callable[[int], Any]] = {
    int: lambda index: _STAND_IN - 1 - index,
    datetime.date: lambda index: datetime.date(1111, 1, 1) + datetime.timedelta(days=index),
    datetime.datetime: lambda index: (
        datetime.datetime(1111, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(seconds=index)
    ),
    str: lambda index: f"\x1e{index}\x1f",
}
# For a query whose integer goes to a small-integer column (a financial year): the ORM finds
# nothing for a value beyond a column's range (EmptyResultSet), so the stand-in must fit it.
_SMALL_STAND_INS: dict[type, Callable[[int], Any]] = {
    **_STAND_INS,
    int: lambda index: 32_766 - index,
}


@dataclass
class _CompiledQuery:
    kinds: tuple[type, ...]
    queryset: Any
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    # Where each value goes among the parameters, and how the database wants it written.
    positions: dict[str, list[tuple[int, Callable[[Any], Any] | None]]]


class PreparedQuery(Generic[M]):
    """`PreparedQuery(lambda technician, today: Booking.objects.filter(…).select_related(…))`:
    `.list(technician=7, today=date)` is `list(build(technician=7, today=date))`, compiled
    once per process and connection for each kind of values (int, date, datetime, str).

    The rows become objects through Django's own iteration, so models with `select_related`
    and annotations, `values()`, `values_list()` and `prefetch_related` give exactly what the
    queryset gives. Only the SQL is kept: the queryset must take the same shape whatever the
    values (no `if` on them, no list of varying length), and use each value as it is, as the
    database writes it (SQLite writes dates as text), or as a `contains`, `startswith` or
    `endswith` lookup (and their `i…` forms) makes it a pattern. On PostgreSQL a value the SQL
    does not hold in one of those ways is an error; on another database the queryset simply
    runs.
    A `Prefetch` queryset must not use the values: only the main query's SQL takes them."""

    def __init__(self, build: Callable[..., models.QuerySet[M]]) -> None:
        self._build = build
        self._compiled: weakref.WeakKeyDictionary[Any, _CompiledQuery | None] = (
            weakref.WeakKeyDictionary()
        )
        self._alias: str | None = None
        self._lock = threading.Lock()

    def list(self, **values: Any) -> list[M]:
        kinds = tuple(_kind_of(value) for value in values.values())
        if any(type(value) is int and value not in _INT32 for value in values.values()):
            return list(self._build(**values))  # as PreparedLookup.get: the ORM's answer
        connection = connections[self._alias] if self._alias else None
        compiled = self._compiled.get(connection, False) if connection is not None else False
        if compiled is False or (compiled is not None and compiled.kinds != kinds):
            compiled = self._compile(values, kinds)
        if compiled is None:  # a database whose SQL does not hold the values as given
            return list(self._build(**values))
        params = list(compiled.params)
        for name, places in compiled.positions.items():
            for position, adapt in places:
                params[position] = adapt(values[name]) if adapt else values[name]
        pinned = copy.copy(compiled.compiler)  # its converters kept (`_keep_converters`)
        pinned.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        return list(_running(compiled.queryset, pinned))

    def _compile(self, values: dict[str, Any], kinds: tuple[type, ...]) -> _CompiledQuery | None:
        for stand_in_of in (_STAND_INS, _SMALL_STAND_INS):
            stand_ins = {
                name: stand_in_of[kind](index)
                for index, (name, kind) in enumerate(zip(values, kinds, strict=True))
            }
            queryset = self._build(**stand_ins)
            self._alias = queryset.db
            connection = connections[self._alias]
            compiler = queryset.query.get_compiler(connection=connection)
            try:
                sql, params = compiler.as_sql()  # also works out select, klass_info, annotations
            except EmptyResultSet:
                if int not in kinds or stand_in_of is _SMALL_STAND_INS:
                    raise
                continue  # an integer beyond a column's range: again with small stand-ins
            break
        positions = {
            name: _places(params, stand_in, _adapter(connection, type(stand_in)), connection)
            for name, stand_in in stand_ins.items()
        }
        compiled: _CompiledQuery | None = None
        if all(positions.values()):
            _keep_converters(compiler)
            compiled = _CompiledQuery(kinds, queryset, compiler, sql, tuple(params), positions)
        elif connection.vendor == "postgresql":
            missing = ", ".join(name for name, found in positions.items() if not found)
            raise ValueError(f"A prepared query must use each value as it is given: {missing}.")
        with self._lock:
            self._compiled[connection] = compiled
        return compiled


def _running(queryset: models.QuerySet, compiler: Any) -> models.QuerySet:
    """A new `queryset` whose query is compiled by `compiler`. What `QuerySet._clone` makes,
    but for the query, copied shallowly: running it only reads the query, and cloning it
    copies every part of it (its joins, its conditions) for each run."""
    query = copy.copy(queryset.query)
    query.get_compiler = lambda *args, **kwargs: compiler
    running = queryset.__class__(
        model=queryset.model, query=query, using=queryset._db, hints=queryset._hints
    )
    running._prefetch_related_lookups = queryset._prefetch_related_lookups[:]
    running._known_related_objects = queryset._known_related_objects
    running._iterable_class = queryset._iterable_class
    running._fields = queryset._fields
    return running


def _keep_converters(compiler: Any) -> None:
    """The functions that turn each column's value into Python (the backend's and the
    fields'), worked out once: the ORM asks the backend and every field again for each query
    it reads, as many times as the query has columns."""
    converters = compiler.get_converters(
        [column[0] for column in compiler.select[: compiler.col_count]]
    )
    compiler.get_converters = lambda expressions: converters


def _adapter(connection: Any, kind: type) -> Callable[[Any], Any] | None:
    """How the ORM writes a value of `kind` for this database (SQLite: dates as text)."""
    if kind is datetime.date:
        return connection.ops.adapt_datefield_value
    if kind is datetime.datetime:
        return connection.ops.adapt_datetimefield_value
    return None


# The patterns the ORM's `contains`, `startswith` and `endswith` lookups (and their `i…`
# forms) make of a string (django.db.models.lookups.PatternLookup.param_pattern).
_LIKE_PATTERNS = ("%%%s%%", "%s%%", "%%%s")


def _places(
    params: Any, stand_in: Any, adapt: Callable[[Any], Any] | None, connection: Any
) -> list[tuple[int, Callable[[Any], Any] | None]]:
    """The parameters that are `stand_in`, as given, as the database writes it, or (a string)
    as a pattern lookup writes it."""
    written = adapt(stand_in) if adapt else stand_in
    patterns = {}
    if type(stand_in) is str:
        patterns = {
            pattern % connection.ops.prep_for_like_query(stand_in): _like(connection, pattern)
            for pattern in _LIKE_PATTERNS
        }
    places = []
    for index, param in enumerate(params):
        if type(param) is type(stand_in) and param == stand_in:
            places.append((index, None))
        elif type(stand_in) is int and isinstance(param, int) and param == stand_in:
            places.append((index, type(param)))  # as the ORM wrote it: psycopg's Int2 and such
        elif adapt and type(param) is type(written) and param == written:
            places.append((index, adapt))
        elif type(param) is str and param in patterns:
            places.append((index, patterns[param]))
    return places


def _like(connection: Any, pattern: str) -> Callable[[str], str]:
    """How a pattern lookup writes a value: its `%` and `_` escaped, then the pattern."""
    return lambda value: pattern % connection.ops.prep_for_like_query(value)


def with_known(records: list[M], **related: Any) -> list[M]:
    """`records` with each named relation set to the object given, with no query, as a related
    manager gives them (`with_known(rows, technician=technician)` after a prepared query by the
    technician's key)."""
    for record in records:
        for field, value in related.items():
            setattr(record, field, value)
    return records


def _kind_of(value: Any) -> type:
    kind = type(value)
    if kind not in _STAND_INS:
        raise TypeError(f"A prepared query takes ints, dates, datetimes and strings, not {kind}.")
    return kind


# --- values of the code, written into the SQL ------------------------------------------------

_PLAIN_WORD = re.compile(r"[A-Za-z0-9_-]+")


class Fixed(Value):
    """A value of the code (a status), written into the query's text rather than sent apart:
    `Booking.objects.filter(status=Fixed(Booking.Status.REQUESTED))`.

    PostgreSQL plans a prepared statement once for any values (its generic plan) when that
    plan looks no dearer than those it made for the values given. A value sent apart is
    "some value" to the generic plan: for a status few rows hold (a booking waiting for
    approval, or on a waiting list) it guesses as many rows as an average status has, finds
    the plan dearer, and plans the statement afresh at every run (half a millisecond, more
    than running it). Written into the text, the value's statistics count. Only for a value
    of the code: letters, digits, `_` and `-`, never anything from a request."""

    def as_sql(self, compiler, connection):
        text = str(self.value)
        if not isinstance(self.value, str) or not _PLAIN_WORD.fullmatch(text):
            raise ValueError(f"Only a plain word of the code is written into SQL, not {text!r}.")
        return f"'{text}'", []
