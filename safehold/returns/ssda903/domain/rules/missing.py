"""Missing (M) and away without authorisation (A) rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import code_list, d, valid_date

valid_date(
    "1004",
    "The start date of the missing episode or episode that the child was away from placement without "
    "authorisation is not a valid date.",
    "Missing",
    "MIS_START",
    required=True,
)
valid_date(
    "1005",
    "The end date of the missing episode or episode that the child was away from placement without "
    "authorisation is not a valid date.",
    "Missing",
    "MIS_END",
)
code_list("1006", "Missing type invalid.", "Missing", "MISSING", ("M", "A"))


@rule(
    "564",
    "Child was missing or away from placement without authorisation and the date started is blank.",
    tables=("Missing",),
    fields=("MISSING", "MIS_START"),
)
def rule_564(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        if m.MISSING.upper() in ("M", "A") and m.MIS_START == "":
            yield "Missing", m


@rule(
    "565",
    "The date that the child started to be missing or away from placement without authorisation has been "
    "completed but whether the child was missing or away from placement without authorisation has not been "
    "completed.",
    tables=("Missing",),
    fields=("MISSING", "MIS_START"),
)
def rule_565(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        if m.MIS_START and m.MISSING == "":
            yield "Missing", m


@rule(
    "566",
    "The date that the child's episode of being missing or away from placement without authorisation ended "
    "has been completed but whether the child was missing or away without authorisation has not been completed.",
    tables=("Missing",),
    fields=("MISSING", "MIS_END"),
)
def rule_566(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        if m.MIS_END and m.MISSING == "":
            yield "Missing", m


@rule(
    "567",
    "The date that the missing episode or episode that the child was away from placement without "
    "authorisation ended is before the date that it started.",
    tables=("Missing",),
    fields=("MIS_START", "MIS_END"),
)
def rule_567(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        start, end = d(m.MIS_START), d(m.MIS_END)
        if start is not None and end is not None and start > end:
            yield "Missing", m


@rule(
    "570",
    "The date that the child started to be missing or away from placement without authorisation is after the "
    "end of the collection year.",
    tables=("Missing",),
    fields=("MIS_START",),
)
def rule_570(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        start = d(m.MIS_START)
        if start is not None and start > ctx.end:
            yield "Missing", m


@rule(
    "571",
    "The date that the child ceased to be missing or away from placement without authorisation is before the "
    "start or after the end of the collection year.",
    tables=("Missing",),
    fields=("MIS_END",),
)
def rule_571(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        end = d(m.MIS_END)
        if end is not None and not (ctx.start <= end <= ctx.end):
            yield "Missing", m


@rule(
    "574",
    "A new missing/away from placement without authorisation period cannot start when the previous "
    "missing/away from placement without authorisation period is still open. Missing/away from placement without "
    "authorisation periods should also not overlap.",
    tables=("Missing",),
    fields=("MIS_START", "MIS_END"),
)
def rule_574(ctx: Context) -> Iterator[Hit]:
    """Order each child's periods by end (an open one by its start); a period is flagged when the one before it is
    open or ends after it starts."""
    far = dt.date.min
    for rows in ctx.rows_by_child("Missing").values():
        if len(rows) < 2:
            continue  # a single period has none before it
        ordered = sorted(rows, key=lambda m: (d(m.MIS_END) or d(m.MIS_START) or far, d(m.MIS_START) or far))
        for prev, m in zip(ordered, ordered[1:], strict=False):
            start, prev_end = d(m.MIS_START), d(prev.MIS_END)
            if prev.MIS_END == "" or (start is not None and prev_end is not None and start < prev_end):
                yield "Missing", m


@rule(
    "575",
    "If the placement from which the child goes missing/away from placement without authorisation ends, the "
    "missing/away from placement without authorisation period in the missing module must also have an end date.",
    tables=("Episodes", "Missing"),
    fields=("MIS_END",),
)
def rule_575(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        start = d(m.MIS_START)
        if m.MIS_END or start is None:
            continue
        for e in ctx.episodes_by_child.get(m.CHILD, []):
            decom, dec = d(e.DECOM), d(e.DEC)
            if decom is not None and dec is not None and decom <= start <= dec:
                yield "Missing", m
                break


def _periods_of_care(ctx: Context, child: str) -> list[tuple[dt.date, dt.date | None]]:
    """The child's periods of care: runs of episodes each starting on or before the previous one's end (worked
    out once per child and shared by the rules here; callers do not change the list)."""
    cache: dict[str, list[tuple[dt.date, dt.date | None]]] = ctx.memo("missing.periods_of_care", dict)
    got = cache.get(child)
    if got is None:
        got = cache[child] = _work_out_periods_of_care(ctx, child)
    return got


def _work_out_periods_of_care(ctx: Context, child: str) -> list[tuple[dt.date, dt.date | None]]:
    out: list[tuple[dt.date, dt.date | None]] = []
    for e in ctx.episodes_by_child.get(child, []):
        decom, dec = d(e.DECOM), d(e.DEC)
        if decom is None:
            continue
        if out and out[-1][1] is not None and decom <= out[-1][1]:  # type: ignore[operator]
            out[-1] = (out[-1][0], dec)
        elif out and out[-1][1] is None:
            out[-1] = (out[-1][0], dec)
        else:
            out.append((decom, dec))
    return out


@rule(
    "577",
    "Child ceased to be looked after but there is a missing/away from placement without authorisation period "
    "without an end date.",
    tables=("Episodes", "Missing"),
    fields=("MIS_END",),
)
def rule_577(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        start = d(m.MIS_START)
        if m.MIS_END or start is None:
            continue
        for poc_start, poc_end in _periods_of_care(ctx, m.CHILD):
            if poc_end is not None and poc_start <= start <= poc_end:
                yield "Missing", m
                break


@rule(
    "578",
    "The date that the child started to be missing is after the child ceased to be looked after.",
    tables=("Episodes", "Missing"),
    fields=("MIS_START",),
)
def rule_578(ctx: Context) -> Iterator[Hit]:
    """A period starting after the end of the period of care that began before it."""
    for m in ctx.ret.missing:
        start = d(m.MIS_START)
        if start is None:
            continue
        pocs = [p for p in _periods_of_care(ctx, m.CHILD) if p[0] <= start]
        if pocs and pocs[-1][1] is not None and start > pocs[-1][1]:  # type: ignore[operator]
            yield "Missing", m


@rule(
    "581",
    "Child is missing but has not yet started to be looked after.",
    tables=("Episodes", "Missing"),
    fields=("MIS_START",),
)
def rule_581(ctx: Context) -> Iterator[Hit]:
    """A missing period must start within one of the child's episodes."""
    for m in ctx.ret.missing:
        start = d(m.MIS_START)
        eps = ctx.episodes_by_child.get(m.CHILD, [])
        if start is None or not eps:
            continue
        if not any(
            (decom := d(e.DECOM)) is not None and decom <= start and (e.DEC == "" or start <= (d(e.DEC) or start))
            for e in eps
        ):
            yield "Missing", m


@rule("586", "Dates of missing periods are before child's date of birth.", tables=("Missing",), fields=("MIS_START",))
def rule_586(ctx: Context) -> Iterator[Hit]:
    for m in ctx.ret.missing:
        start, dob = d(m.MIS_START), d(m.DOB)
        if start is not None and dob is not None and start <= dob:
            yield "Missing", m


@rule(
    "580",
    "Child is missing when cease being looked after but reason episode ceased not 'E8'.",
    tables=("Episodes", "Missing"),
    fields=("REC",),
)
def rule_580(ctx: Context) -> Iterator[Hit]:
    """A missing period ending on the 18th birthday, the day the episode ended, means the episode ended E8."""
    for m in ctx.ret.missing:
        dob, end = d(m.DOB), d(m.MIS_END)
        if dob is None or end is None or add_years(dob, 18) != end:
            continue
        for e in ctx.episodes_by_child.get(m.CHILD, []):
            if d(e.DEC) == end and e.REC != "E8":
                yield "Episodes", e
