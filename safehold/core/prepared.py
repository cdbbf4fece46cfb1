"""Querysets of a fixed shape, compiled to SQL once per database connection and then run with new values.

Building a queryset (``filter``, ``select_related``, ``annotate``) and compiling it to SQL is most of the CPU time of
a page that reads a dozen small tables: the ORM redoes the same work on every request for SQL that differs only in
a child's or a team's id. A :class:`Prepared` query is written as an ordinary queryset by a ``build`` function; the
first call on a connection builds it with a *placeholder* for each parameter, compiles it and keeps the SQL and the
compiler; every later call puts the real values where the placeholders were and runs the same SQL through the ORM's
own iterable, so the rows come back exactly as the queryset would give them (model instances with their
``select_related`` rows, or tuples for ``values_list``). See docs/adr/0006-prepared-queries.md.

The rules that keep this correct:

* **Parameters are declared with their kind**: ``int`` (an id), ``tuple`` (ids, for an ``__in`` list: each length
  is compiled separately), ``dt.date`` or ``dt.datetime``. Each placeholder is a value no row can have (negative
  ids inside the 32-bit range, dates in the year 1111); a real value is adapted for the database as the ORM adapts
  it. Compiling fails loudly if a placeholder does not reach the compiled parameters as the ORM would pass it, or
  appears in the SQL text itself.
* **The shape is fixed by ``shape``**, never by a parameter: ``build`` receives the shape's keywords as well, and
  each distinct shape is compiled separately. ``build`` must not branch on a parameter's value (it only ever sees
  the placeholder).
* **Only what the SQL returns**: no ``prefetch_related``, nothing evaluated lazily afterwards by the queryset.
* Compiled state belongs to one connection (one thread), so no two threads share a compiler.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.sql.query import Query

#: Placeholder ids, well inside the 32-bit range of an integer column: parameter ``i`` is ``±(_ID_BASE + 1000 * i)``
#: (and, in a tuple, ``± j`` more for its ``j``-th element).
_ID_BASE = 1_700_000_001
_MAX_TUPLE = 1000
#: A tuple longer than this runs as a plain queryset, unprepared: each length is compiled separately, and a long
#: list (every worker in the LA) changes too often to be worth keeping.
MAX_PREPARED_IDS = 200
#: Placeholder dates and times: a day per parameter in the year 1111, or in 2999.
_DAY_BASE = dt.date(1111, 1, 1)
_LATE_DAY_BASE = dt.date(2999, 1, 1)
#: Ids reach the database as signed 64-bit integers; a larger one matches no row.
_ID_RANGE = range(-(2**63), 2**63)

_KINDS: tuple[type, ...] = (int, tuple, dt.date, dt.datetime)


class PreparedQueryError(RuntimeError):
    """A prepared query's ``build`` does not carry each parameter to the SQL as a parameter."""


class OutOfRange(ValueError):
    """An id no database row can have (beyond 64 bits): the caller decides what that means (a 404, say)."""


class _PreparedQuery(Query):
    """A compiled query whose compiler is kept: the ORM's iterables ask the query for a compiler each time."""

    prepared_compiler: Any

    def get_compiler(self, using: Any = None, connection: Any = None, elide_empty: bool = True) -> Any:
        return self.prepared_compiler


_compiler_classes: dict[type, type] = {}


def _prepared_compiler_class(base: type) -> type:
    """``base`` (the backend's compiler class) with ``as_sql`` answering the kept SQL and the call's parameters."""
    cls = _compiler_classes.get(base)
    if cls is None:

        def as_sql(self: Any, with_limits: bool = True, with_col_aliases: bool = False) -> tuple[str, tuple[Any, ...]]:
            return self.prepared_sql, self.prepared_params

        cls = type(f"Prepared{base.__name__}", (base,), {"as_sql": as_sql})
        _compiler_classes[base] = cls
    return cls


#: A compiled query: its SQL and parameters, and how to run it with new parameters (None: it can have no rows).
_Plan = tuple[str, tuple[Any, ...], Callable[[tuple[Any, ...]], Any]]


@dataclass
class _Compiled:
    run: Callable[[tuple[Any, ...]], Any] | None  # None: the query can have no rows (an empty ``__in`` list)
    #: For each compiled parameter: (name, index in a tuple or None) of the call's value that replaces it, or None
    #: and the value to keep.
    slots: tuple[tuple[tuple[str, int | None] | None, Any], ...]
    #: How each parameter's value is passed to the database (resolved once, not on every call).
    adapters: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


def _placeholder(kind: type, i: int, length: int, positive: bool) -> Any:
    """Parameter ``i``'s placeholder in one of two sets: negative ids and the year 1111, or positive ids and the
    year 2999 (compiling with both shows a placeholder's value never changes the SQL)."""
    sign = 1 if positive else -1
    if kind is int:
        return sign * (_ID_BASE + _MAX_TUPLE * i)
    if kind is tuple:
        return tuple(sign * (_ID_BASE + _MAX_TUPLE * i + j) for j in range(length))
    day = (_LATE_DAY_BASE if positive else _DAY_BASE) + dt.timedelta(days=i)
    if kind is dt.date:
        return day
    return dt.datetime(day.year, day.month, day.day, 11, 11, 11, 111111, tzinfo=dt.UTC)


def _same(value: Any) -> Any:
    return value


def _adapter(kind: type, connection: Any) -> Callable[[Any], Any]:
    """How the ORM passes a value of this kind to the database (as a lookup on a field of that kind does)."""
    if kind is dt.datetime:
        return connection.ops.adapt_datetimefield_value  # type: ignore[no-any-return]
    if kind is dt.date:
        return connection.ops.adapt_datefield_value  # type: ignore[no-any-return]
    return _same


class Prepared:
    """A queryset built by ``build(**params, **shape)``, compiled once per connection and shape.

    ``Prepared(build, child_id=int)(child_id=42)`` returns the list the queryset would.
    """

    def __init__(self, build: Callable[..., Any], **params: type) -> None:
        for name, kind in params.items():
            if kind not in _KINDS:
                raise ValueError(f"{name}: a parameter is an int, a tuple of ints, a date or a datetime")
        self.build = build
        self.params = params
        self.__name__ = getattr(build, "__name__", "prepared")

    def _value(self, name: str, kind: type, value: Any) -> Any:
        if kind is tuple:
            if isinstance(value, str | bytes) or not isinstance(value, Iterable):
                raise TypeError(f"{self.__name__}: {name} must be ids, not {type(value).__name__}")
            value = tuple(value)
            if any(type(v) is not int for v in value):  # noqa: E721
                raise TypeError(f"{self.__name__}: {name} must be ints")
            if any(v not in _ID_RANGE for v in value):
                raise OutOfRange(f"{self.__name__}: {name} holds an id out of the 64-bit range")
            return value
        if kind is dt.datetime:
            if not isinstance(value, dt.datetime) or value.tzinfo is None:
                raise TypeError(f"{self.__name__}: {name} must be an aware datetime")
            return value
        # bool is an int, a datetime is a date, and a model is neither: each would mislead.
        if type(value) is not kind:
            raise TypeError(f"{self.__name__}: {name} must be {'an int' if kind is int else 'a date'}")
        if kind is int and value not in _ID_RANGE:
            raise OutOfRange(f"{self.__name__}: {name} is out of the 64-bit range")
        return value

    def __call__(self, *, shape: tuple[tuple[str, Hashable], ...] = (), using: str = "default", **values: Any) -> Any:
        if set(values) != set(self.params):
            raise TypeError(f"{self.__name__} takes the parameters {sorted(self.params)}, not {sorted(values)}")
        values = {
            name: None if values[name] is None else self._value(name, kind, values[name])
            for name, kind in self.params.items()
        }
        if any(self.params[n] is tuple and v is not None and len(v) > MAX_PREPARED_IDS for n, v in values.items()):
            return self._unprepared(self.build(**values, **dict(shape)), using)
        # None (a parameter this shape does not use) and each tuple's length are part of the shape.
        form = tuple(
            None if value is None else len(value) if self.params[name] is tuple else True
            for name, value in values.items()
        )
        connection = connections[using]
        store: dict[Any, _Compiled] = connection.__dict__.setdefault("safehold_prepared", {})
        key = (self, shape, form)
        compiled = store.get(key)
        if compiled is None:
            compiled = store[key] = self._compile(dict(shape), values, using)
        if compiled.run is None:
            return self._empty()
        params = []
        for slot, kept in compiled.slots:
            if slot is None:
                params.append(kept)
            else:
                name, j = slot
                params.append(compiled.adapters[name](values[name] if j is None else values[name][j]))
        return compiled.run(tuple(params))

    def _empty(self) -> Any:
        return []

    def _unprepared(self, built: Any, using: str) -> Any:
        return list(built.using(using))

    def _plan(self, built: Any, using: str) -> _Plan | None:
        """The queryset's SQL, and a runner that feeds the kept compiler new parameters (None if it has no rows)."""
        qs: Any = built.using(using)
        if qs._prefetch_related_lookups:
            raise PreparedQueryError(f"{self.__name__}: a prepared query cannot prefetch")
        compiler = qs.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. an empty __in list: the ORM would not ask the database either
            return None
        compiler.__class__ = _prepared_compiler_class(type(compiler))
        compiler.prepared_sql = sql
        query = qs.query
        query.__class__ = _PreparedQuery
        query.prepared_compiler = compiler

        def run(params: tuple[Any, ...]) -> list[Any]:
            compiler.prepared_params = params
            return list(qs._iterable_class(qs))

        return sql, tuple(params), run

    def _compile(self, shape: dict[str, Hashable], values: dict[str, Any], using: str) -> _Compiled:
        """Build and compile with each set of placeholders; both must give the same SQL, with every placeholder a
        parameter in the same places. A value that changed the SQL (a comparison the ORM drops, or answers with
        "no rows", for some values: a negative id against a positive-only field, say) would freeze the first
        call's answer for every value: that is refused here."""
        connection = connections[using]
        compiled: list[_Compiled] = []
        texts: list[str] = []
        for positive in (False, True):
            placeholders: dict[str, Any] = {
                name: None
                if values[name] is None
                else _placeholder(kind, i, len(values[name]) if kind is tuple else 0, positive)
                for i, (name, kind) in enumerate(self.params.items())
            }
            plan = self._plan(self.build(**placeholders, **shape), using)
            if plan is None:
                compiled.append(_Compiled(run=None, slots=()))
                texts.append("")
                continue
            sql, params, run = plan
            compiled.append(_Compiled(run=run, slots=self._slots(placeholders, sql, params, connection)))
            texts.append(sql)
        first, second = compiled
        if texts[0] != texts[1] or [s for s, _ in first.slots] != [s for s, _ in second.slots]:
            raise PreparedQueryError(f"{self.__name__}: a parameter's value changes the SQL: make it part of the shape")
        first.adapters = {name: _adapter(kind, connection) for name, kind in self.params.items()}
        return first

    def _slots(
        self, placeholders: dict[str, Any], sql: str, params: tuple[Any, ...], connection: Any
    ) -> tuple[tuple[tuple[str, int | None] | None, Any], ...]:
        """Where each placeholder is in the compiled parameters (each must be there, none in the SQL text)."""
        wanted: dict[tuple[type, Any], tuple[str, int | None]] = {}
        for name, kind in self.params.items():
            if placeholders[name] is None:
                continue
            if kind is tuple:
                for j, element in enumerate(placeholders[name]):
                    wanted[(int, element)] = (name, j)
            else:
                adapted = _adapter(kind, connection)(placeholders[name])
                wanted[(type(adapted), adapted)] = (name, None)
        slots = tuple((wanted.get((type(p), p)), None if (type(p), p) in wanted else p) for p in params)
        found = {slot for slot, _ in slots if slot is not None}
        missing = sorted(f"{name}[{j}]" if j is not None else name for name, j in set(wanted.values()) - found)
        if missing:
            raise PreparedQueryError(f"{self.__name__}: {missing} did not reach the SQL as parameters")
        if any(str(value) in sql for _, value in wanted):
            raise PreparedQueryError(f"{self.__name__}: a parameter was written into the SQL text")
        return slots


class PreparedCounts(Prepared):
    """:func:`safehold.core.queries.counts` prepared: ``build`` returns ``{name: queryset}``; a call returns
    ``{name: count}`` from one statement compiled once per connection and shape."""

    def _unprepared(self, built: Any, using: str) -> Any:
        from safehold.core.queries import counts

        return counts(**{name: qs.using(using) for name, qs in built.items()})

    def _plan(self, built: Any, using: str) -> _Plan | None:
        from safehold.core.queries import counts_sql, run_counts

        names = list(built)
        sql, params = counts_sql(built)

        def run(params: tuple[Any, ...]) -> dict[str, int]:
            return run_counts(using, sql, params, names)

        return sql, tuple(params), run
