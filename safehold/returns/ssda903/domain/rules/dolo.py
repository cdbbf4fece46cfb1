"""DoLo rules (2026/27 onwards): deprivation of liberty orders (rules 700–710)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d

Y2027 = (2027,)


@rule("700", "The start date of the DoLO is not a valid date.", tables=("DoLo",), fields=("DOLO_START",), years=Y2027)
def rule_700(ctx: Context) -> Iterator[Hit]:
    for r in ctx.ret.dolo:
        if d(r.DOLO_START) is None:
            yield "DoLo", r


@rule("701", "The end date of the DoLO is not a valid date.", tables=("DoLo",), fields=("DOLO_END",), years=Y2027)
def rule_701(ctx: Context) -> Iterator[Hit]:
    for r in ctx.ret.dolo:
        if r.DOLO_END and d(r.DOLO_END) is None:
            yield "DoLo", r


@rule(
    "702",
    "The date that the DoLO ended is before the date that it started.",
    tables=("DoLo",),
    fields=("DOLO_START", "DOLO_END"),
    years=Y2027,
)
def rule_702(ctx: Context) -> Iterator[Hit]:
    """Worked example: start 01/05/2026, end 01/05/2026 is flagged (an order must last beyond its first day)."""
    for r in ctx.ret.dolo:
        start, end = d(r.DOLO_START), d(r.DOLO_END)
        if start is not None and end is not None and end <= start:
            yield "DoLo", r


@rule(
    "703",
    "The date that the DoLO started is after the end of the collection year.",
    tables=("DoLo",),
    fields=("DOLO_START",),
    years=Y2027,
)
def rule_703(ctx: Context) -> Iterator[Hit]:
    for r in ctx.ret.dolo:
        start = d(r.DOLO_START)
        if start is not None and start > ctx.end:
            yield "DoLo", r


@rule(
    "704",
    "The date that the DoLO ended is before the start or after the end of the collection year.",
    tables=("DoLo",),
    fields=("DOLO_END",),
    years=Y2027,
)
def rule_704(ctx: Context) -> Iterator[Hit]:
    for r in ctx.ret.dolo:
        end = d(r.DOLO_END)
        if end is not None and not (ctx.start <= end <= ctx.end):
            yield "DoLo", r


@rule(
    "705",
    "A DoLO cannot start when the previous DoLO is still open.",
    tables=("DoLo",),
    fields=("DOLO_START", "DOLO_END"),
    years=Y2027,
)
def rule_705(ctx: Context) -> Iterator[Hit]:
    far = dt.date.min
    for rows in ctx.rows_by_child("DoLo").values():
        ordered = sorted(rows, key=lambda r: (d(r.DOLO_END) or d(r.DOLO_START) or far, d(r.DOLO_START) or far))
        for prev, r in zip(ordered, ordered[1:], strict=False):
            start, prev_end = d(r.DOLO_START), d(prev.DOLO_END)
            if prev.DOLO_END == "" or (start is not None and prev_end is not None and start < prev_end):
                yield "DoLo", r


@rule(
    "706",
    "There is an open DoLO in last year's return and there is no corresponding DoLO recorded at the start of "
    "this year..",
    tables=("DoLo",),
    fields=("DOLO_START",),
    years=Y2027,
    needs_previous=True,
)
def rule_706(ctx: Context) -> Iterator[Hit]:
    """An order open at the end of last year must appear this year with the same start date."""
    assert ctx.previous is not None
    now = {(r.CHILD, d(r.DOLO_START)) for r in ctx.ret.dolo}
    for r in ctx.previous.dolo:
        if r.DOLO_END == "" and (r.CHILD, d(r.DOLO_START)) not in now:
            yield "DoLo", r


@rule(
    "707",
    "Child ceased to be looked after but there is a DoLO without an end date.",
    tables=("DoLo", "Episodes"),
    fields=("DOLO_END",),
    years=Y2027,
)
def rule_707(ctx: Context) -> Iterator[Hit]:
    """An open order for a child whose latest episode has ended."""
    for r in ctx.ret.dolo:
        if r.DOLO_END or r.DOLO_START == "":
            continue
        last = ctx.last_episode(r.CHILD)
        if last is not None and last.DEC:
            yield "DoLo", r


@rule("708", "Dates of DoLOs are before child's date of birth.", tables=("DoLo",), fields=("DOLO_START",), years=Y2027)
def rule_708(ctx: Context) -> Iterator[Hit]:
    for r in ctx.ret.dolo:
        start, dob = d(r.DOLO_START), d(r.DOB)
        if start is not None and dob is not None and start <= dob:
            yield "DoLo", r


def _overlapping(ctx: Context) -> Iterator[tuple[object, object]]:
    for r in ctx.ret.dolo:
        start, end = d(r.DOLO_START), d(r.DOLO_END)
        if start is None or end is None:
            continue
        for e in ctx.episodes_by_child.get(r.CHILD, []):
            decom, dec = d(e.DECOM), d(e.DEC)
            if decom is not None and (dec is None or start <= dec) and end >= decom:
                yield r, e


@rule(
    "709",
    "Child with a DoLO is in an unexpected placement type.",
    tables=("DoLo", "Episodes"),
    fields=("DOLO_START", "PLACE"),
    years=Y2027,
)
def rule_709(ctx: Context) -> Iterator[Hit]:
    for r, e in _overlapping(ctx):
        if e.PLACE not in ("K2", "Z12", "Z13"):  # type: ignore[attr-defined]
            yield "DoLo", r
            yield "Episodes", e


@rule(
    "710",
    "Child with a DoLO can not be placed in secure children's homes, with parents, young offender "
    "institutions, or supported accommodation.",
    tables=("DoLo", "Episodes"),
    fields=("DOLO_START", "PLACE"),
    years=Y2027,
)
def rule_710(ctx: Context) -> Iterator[Hit]:
    for r, e in _overlapping(ctx):
        if e.PLACE in ("K1", "P1", "R5", "K3"):  # type: ignore[attr-defined]
            yield "DoLo", r
            yield "Episodes", e
