"""Small builders shared by the rule modules."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from safehold.returns.ssda903.domain.dates import parse
from safehold.returns.ssda903.domain.engine import YEARS, Context, Hit, rule

d = parse


def code_list(
    code: str,
    message: str,
    table: str,
    field: str,
    codes: Collection[str],
    *,
    blank_ok: bool = True,
    years: Collection[int] = YEARS,
) -> None:
    """Register rule ``code``: ``field`` must be one of ``codes`` (or blank, when ``blank_ok``)."""
    allowed = frozenset(codes)

    def check(ctx: Context) -> Iterator[Hit]:
        for row in ctx.ret.rows(table):
            value = getattr(row, field)
            if value in allowed or (blank_ok and value == ""):
                continue
            yield table, row

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=(table,), fields=(field,), years=years)(check)


def valid_date(
    code: str,
    message: str,
    table: str,
    field: str,
    *,
    required: bool = False,
    also: Callable[[Context, Any], bool] | None = None,
) -> None:
    """Register rule ``code``: ``field`` must be a real dd/mm/yyyy date (blank allowed unless ``required``)."""

    def check(ctx: Context) -> Iterator[Hit]:
        for row in ctx.ret.rows(table):
            value = getattr(row, field)
            if value == "":
                if required:
                    yield table, row
                continue
            if d(value) is None or (also is not None and also(ctx, row)):
                yield table, row

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=(table,), fields=(field,))(check)


def filled(row: Any, *fields: str) -> bool:
    """Any of ``fields`` is filled in."""
    return any(getattr(row, f) != "" for f in fields)


def all_filled(row: Any, *fields: str) -> bool:
    return all(getattr(row, f) != "" for f in fields)
