"""Small builders shared by the rule modules."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from functools import cache
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
        bad = ctx.distinct(table, field) - allowed  # the file's few distinct values, tested once each
        if blank_ok:
            bad -= {""}
        if not bad:
            return
        for row, value in zip(ctx.ret.rows(table), ctx.column(table, field), strict=False):
            if value in bad:
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
        if also is None and not any(
            (required if value == "" else d(value) is None) for value in ctx.distinct(table, field)
        ):
            return  # every distinct value is a real date (or an allowed blank)
        for row, value in zip(ctx.ret.rows(table), ctx.column(table, field), strict=False):
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
    for f in fields:  # a plain loop: this runs for every row of several tables
        if getattr(row, f) != "":
            return True
    return False


def all_filled(row: Any, *fields: str) -> bool:
    for f in fields:
        if getattr(row, f) == "":
            return False
    return True


#: A UK postcode's form once every space is removed (outward code, inward code), or the special GIR 0AA.
_UK_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}|GIR0AA)$")


@cache
def uk_postcode(value: str) -> str | None:
    """The postcode without spaces, in capitals, when it has a UK postcode's form; otherwise None. Every space is
    removed first, as the DfE tool does before it looks a postcode up in the ONS directory."""
    compact = value.replace(" ", "").upper()
    return compact if _UK_POSTCODE.match(compact) else None
