"""Query helpers that save database round trips on the busiest pages.

A page's database time on PostgreSQL is mostly round trips (each query waits for the server to be scheduled, more
so under load), not the queries' own work: several counts a page shows side by side are cheaper as one statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def counts(**querysets: QuerySet[Any]) -> dict[str, int]:
    """``{name: qs.count()}`` for each queryset, in one round trip (each count a scalar subquery of one SELECT).

    The SQL of each count is the ORM's own (``qs.values("pk")`` compiled with its parameters); only the outer
    ``SELECT (…), (…)`` is written here, which SQLite and PostgreSQL both accept without a FROM clause.
    """
    if not querysets:
        return {}
    aliases = {qs.db for qs in querysets.values()}
    if len(aliases) != 1:
        raise ValueError("counts() needs querysets on one database")
    sql, params = counts_sql(querysets)
    return run_counts(aliases.pop(), sql, params, list(querysets))


def run_counts(using: str, sql: str, params: Sequence[Any], names: list[str]) -> dict[str, int]:
    """Run a :func:`counts_sql` statement: ``{name: count}``."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {name: int(value) for name, value in zip(names, row, strict=True)}


def counts_sql(querysets: dict[str, QuerySet[Any]]) -> tuple[str, list[Any]]:
    """The statement :func:`counts` runs: one column per queryset, its count."""
    parts: list[str] = []
    params: list[Any] = []
    for i, qs in enumerate(querysets.values()):
        try:
            inner = qs if qs.query.is_sliced else qs.order_by()  # a slice keeps the order it was taken in
            sql, p = inner.values("pk").query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:  # e.g. pk__in=[]: nothing to count, and nothing to ask the database
            parts.append("0")
            continue
        # The ORM's own SQL with its parameters kept apart: nothing from the caller is pasted into the text.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS safehold_count_{i})")  # noqa: S608
        params.extend(p)
    return "SELECT " + ", ".join(parts), params
