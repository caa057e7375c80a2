"""Queries asked on every request, their SQL compiled by the ORM once per connection.

For the small queries of a page (a championship, its classes, its entries) the ORM spends
longer building and compiling the SQL, about 0.2 to 0.5 ms each, than the database spends
answering it on loopback. A ``PreparedQuery`` is written as a queryset like any other; the
ORM compiles it once per database connection with a marker value where the argument goes,
and each call then runs that SQL with the argument and converts the values exactly as
``values_list`` would (the same converters: durations and booleans on SQLite, JSON fields).

On PostgreSQL the database's share shrinks too: planning the joins of the season's results
took longer than running them. There a prepared query binds its argument server-side, so
that psycopg prepares the statement once it has run ``prepare_threshold`` times on a kept
connection (``DATABASE_PREPARED_STATEMENTS``, settings.py); every other query keeps Django's
client-side binding.

Only ``values_list`` querysets of plain fields are accepted, and the marker must appear in
the compiled parameters, so that a query the ORM compiles differently fails loudly here
rather than answering with another query's rows.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesListIterable

# A value no row holds (ids are positive); only its place among the parameters matters.
MARK = -7_340_033
# PostgreSQL's "cached plan must not change result type" (feature_not_supported).
STALE_PLAN = "0A000"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]  # where the argument goes among the parameters
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]

    def rows(
        self, rows: Sequence[Sequence[Any]], connection: BaseDatabaseWrapper
    ) -> list[tuple[Any, ...]]:
        if not self.converters:
            return [tuple(row) for row in rows]
        return [self.convert(row, connection) for row in rows]

    def convert(self, row: Sequence[Any], connection: BaseDatabaseWrapper) -> tuple[Any, ...]:
        values = list(row)
        for position, functions, expression in self.converters:
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        return tuple(values)


class PreparedQuery:
    """``build(argument)`` as SQL compiled once per connection; ``rows(argument)`` runs it.

    ``build`` must return a ``values_list`` queryset that uses its argument as a filter
    value (an id by default, or a string with ``mark="?"``); with ``mark=None`` it takes no
    argument."""

    def __init__(self, build: Callable[[Any], QuerySet[Any]], mark: Any = MARK) -> None:
        self.build = build
        self.mark = mark
        # Per connection: each thread has its own, and its converters are bound to it.
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = (
            weakref.WeakKeyDictionary()
        )

    def rows(self, argument: Any = None, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        return rows_together([(self, argument)], using)[0]

    def first(self, argument: Any = None, using: str = DEFAULT_DB_ALIAS) -> tuple[Any, ...] | None:
        rows = self.rows(argument, using)
        return rows[0] if rows else None

    def _run(self, cursor: CursorWrapper, argument: Any, compiled: _Compiled) -> None:
        params = list(compiled.params)
        for slot in compiled.slots:
            params[slot] = argument
        cursor.execute(compiled.sql, params)

    @staticmethod
    def _cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
        """Django's cursor or, on PostgreSQL, one that binds server-side and so can be prepared,
        opened as Django opens its own: a kept connection that fails its health check is
        replaced (the database restarted), errors are Django's, and tests count the query."""
        if connection.vendor != "postgresql":
            return connection.cursor()
        from django.db.backends.postgresql.base import (
            TIMESTAMPTZ_OID,
            ServerBindingCursor,
            register_tzloader,
        )
        from psycopg.pq import Format

        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            raw = ServerBindingCursor(connection.connection)
        # As Django's create_cursor does: datetimes in the connection's time zone.
        tzloader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if connection.timezone != tzloader.timezone:
            register_tzloader(connection.timezone, raw)
        connection.validate_thread_sharing()
        if connection.queries_logged:
            return connection.make_debug_cursor(raw)
        return connection.make_cursor(raw)

    def _compiled_for(self, connection: BaseDatabaseWrapper, using: str) -> _Compiled:
        return self._compiled.get(connection) or self._compile(connection, using)

    def _compile(self, connection: BaseDatabaseWrapper, using: str) -> _Compiled:
        queryset = self.build() if self.mark is None else self.build(self.mark)
        query = queryset.query
        if queryset._iterable_class is not ValuesListIterable or query.annotation_select:
            raise TypeError("a PreparedQuery is a values_list() of plain fields")
        compiler = query.get_compiler(using=using, connection=connection)
        sql, params = compiler.as_sql()
        slots = tuple(
            i for i, p in enumerate(params) if type(p) is type(self.mark) and p == self.mark
        )
        if self.mark is not None and not slots:
            raise ValueError(f"the query does not use its argument: {sql}")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(fields).items()
        )
        compiled = _Compiled(sql, tuple(params), slots, converters)
        self._compiled[connection] = compiled
        return compiled


def rows_together(
    calls: Sequence[tuple[PreparedQuery, Any]], using: str = DEFAULT_DB_ALIAS
) -> list[list[tuple[Any, ...]]]:
    """The rows of each (query, argument), in order. On PostgreSQL they go to the server
    together in one round trip (psycopg's pipeline mode): a season's four queries each cost
    a round trip, about as much as the smaller ones took to run."""
    connection = connections[using]
    try:
        return _rows_together(connection, calls, using)
    except NotSupportedError as error:
        if getattr(error.__cause__, "sqlstate", None) != STALE_PLAN or connection.in_atomic_block:
            raise
        # A migration changed a column these statements read since this connection prepared
        # them, and PostgreSQL refuses their old plans: start afresh on a new connection.
        connection.close()
        return _rows_together(connection, calls, using)


def _rows_together(
    connection: BaseDatabaseWrapper, calls: Sequence[tuple[PreparedQuery, Any]], using: str
) -> list[list[tuple[Any, ...]]]:
    compiled = [query._compiled_for(connection, using) for query, _ in calls]
    cursors: list[CursorWrapper] = []
    try:
        cursors.extend(PreparedQuery._cursor(connection) for _ in calls)
        with connection.wrap_database_errors, _together(connection, len(calls)):
            for cursor, (query, argument), each in zip(cursors, calls, compiled, strict=True):
                query._run(cursor, argument, each)
        return [
            each.rows(cursor.fetchall(), connection)
            for cursor, each in zip(cursors, compiled, strict=True)
        ]
    finally:
        for cursor in cursors:
            cursor.close()


def _together(connection: BaseDatabaseWrapper, queries: int) -> AbstractContextManager[Any]:
    if connection.vendor == "postgresql" and queries > 1:
        from psycopg import Pipeline

        if Pipeline.is_supported():  # libpq 14 or later, as psycopg[binary] ships
            return connection.connection.pipeline()
    return nullcontext()


def concrete_attnames(model: type[Model]) -> tuple[str, ...]:
    """The columns ``Model.from_db`` takes, in order: a prepared row back into an instance."""
    return tuple(field.attname for field in model._meta.concrete_fields)
