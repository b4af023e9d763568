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

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, models
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=models.Model)

# Stands in for the (integer) value while the SQL is compiled; found again among the parameters.
_STAND_IN = -1_730_591_826  # within a 32-bit integer column's range, or the ORM finds nothing


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
