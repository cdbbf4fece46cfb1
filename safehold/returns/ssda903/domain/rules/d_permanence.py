"""Adoption details against the episodes (601, 602) and the previous permanence table (631–635)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import code_list, d
from safehold.returns.ssda903.domain.tables import Episode

ADOPTED = ("E11", "E12")
AD1_FIELDS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")


def _adoptions_in_year(ctx: Context) -> dict[str, list[Episode]]:
    """Each child's episodes that ended in the year because the child was adopted (E11, E12)."""
    out: dict[str, list[Episode]] = {}
    for e in ctx.rows_with("Episodes", "REC", ADOPTED):
        if e.REC in ADOPTED:
            dec = d(e.DEC)
            if dec is not None and ctx.start <= dec <= ctx.end:
                out.setdefault(e.CHILD, []).append(e)
    return out


@rule(
    "601",
    "The additional fields relating to adoption have not been completed although the episode data shows that the "
    "child was adopted during the year.",
    tables=("Episodes", "AD1"),
    fields=AD1_FIELDS + ("REC", "DEC"),
)
def rule_601(ctx: Context) -> Iterator[Hit]:
    """A child adopted in the year (an episode ending E11/E12 in the year) needs every AD1 field.

    A child with no AD1 row at all has none of them completed, so is flagged too (on the episode); the DfE
    tool looks only at children who have an AD1 row (docs/returns/903-agreement.md)."""
    ad1 = ctx.rows_by_child("AD1")
    for child, episodes in _adoptions_in_year(ctx).items():
        rows = ad1.get(child, [])
        incomplete = [a for a in rows if any(getattr(a, f) == "" for f in AD1_FIELDS)]
        if rows and not incomplete:
            continue
        for a in incomplete:
            yield "AD1", a
        for e in episodes:
            yield "Episodes", e


@rule(
    "602",
    "The episode data submitted for this child does not show that he/she was adopted during the year.",
    tables=("Episodes", "AD1"),
    fields=AD1_FIELDS,
)
def rule_602(ctx: Context) -> Iterator[Hit]:
    """An AD1 row with any adoption field filled in, for a child with no episode ending E11/E12 in the year."""
    adopted = _adoptions_in_year(ctx)
    for a in ctx.ret.ad1:
        if a.CHILD not in adopted and any(getattr(a, f) != "" for f in AD1_FIELDS):
            yield "AD1", a


code_list(
    "631", "Previous permanence option not a valid value.", "PrevPerm", "PREV_PERM", ("P1", "P2", "P3", "P4", "Z1")
)

_PARTIAL_DATE = re.compile(r"^(\d{1,2}|ZZ)/(\d{1,2}|ZZ)/(\d{4}|ZZZZ)$")


def latest_possible(value: str) -> tuple[bool, dt.date | None]:
    """Whether a DATE_PERM is valid (dd/mm/yyyy, where any part may be ZZ / ZZZZ when not known), and the
    latest real date it can stand for (None when the year is not known)."""
    m = _PARTIAL_DATE.match(value)
    if m is None:
        return False, None
    day_s, month_s, year_s = m.groups()
    year = 2000 if year_s == "ZZZZ" else int(year_s)  # a leap year: 29/02/ZZZZ is a real date
    month = 1 if month_s == "ZZ" else int(month_s)  # January has every day number
    day = 1 if day_s == "ZZ" else int(day_s)
    try:
        dt.date(year, month, day)
    except ValueError:
        return False, None
    if year_s == "ZZZZ":
        return True, None
    month = 12 if month_s == "ZZ" else month
    last_day = calendar.monthrange(year, month)[1]
    day = last_day if day_s == "ZZ" else min(day, last_day)
    return True, dt.date(year, month, day)


@rule(
    "632",
    "Date of previous permanence order not a valid value. NOTE: This rule may result in false negatives where the "
    "period of care started before the current collection year",
    tables=("Episodes", "PrevPerm"),
    fields=("DATE_PERM", "DECOM"),
)
def rule_632(ctx: Context) -> Iterator[Hit]:
    """DATE_PERM, when given, is dd/mm/yyyy with unknown parts written ZZ (ZZZZ for the year), and is before
    the start of the child's first episode in the return. A partly unknown date is taken at the latest day it
    can stand for, so an order that may have been made before care began is not flagged; with the year unknown
    only the format is checked."""
    for p in ctx.ret.prev_perm:
        if p.DATE_PERM == "":
            continue
        valid, latest = latest_possible(p.DATE_PERM)
        if not valid:
            yield "PrevPerm", p
            continue
        eps = ctx.episodes_by_child.get(p.CHILD)
        first = d(eps[0].DECOM) if eps else None  # sorted by start; an unreadable start sorts last
        if latest is not None and first is not None and latest >= first:
            yield "PrevPerm", p
            yield "Episodes", eps[0]  # type: ignore[index]


#: Local authority codes for LA_PERM: the English LA codes (including those of councils since reorganised,
#: as an order may predate the change, and the 2021/2023 unitaries 940–943), the other UK nations and 999
#: (not known). Source: DfE SSDA903 guidance, LA_PERM code list; DfE LA codes.
LA_PERM_CODES = frozenset(
    f"{n:03d}"
    for lo, hi in (
        (201, 213),
        (301, 320),
        (330, 336),
        (340, 344),
        (350, 359),
        (370, 373),
        (380, 384),
        (390, 394),
        (420, 420),
        (800, 803),
        (805, 808),
        (810, 813),
        (815, 816),
        (821, 823),
        (825, 826),
        (830, 831),
        (835, 837),
        (840, 841),
        (845, 846),
        (850, 852),
        (855, 857),
        (860, 861),
        (865, 874),
        (876, 896),
        (908, 909),
        (916, 916),
        (919, 919),
        (921, 921),
        (925, 926),
        (928, 929),
        (931, 931),
        (933, 933),
        (935, 938),
        (940, 943),
        (999, 999),
    )
    for n in range(lo, hi + 1)
) | frozenset(("WAL", "SCO", "NUK", "NIR"))

code_list(
    "633",
    "Local authority code where previous permanence option was arranged is not a valid value.",
    "PrevPerm",
    "LA_PERM",
    LA_PERM_CODES,
)

_SINCE = dt.date(2016, 4, 1)


@rule(
    "634",
    "There are entries for previous permanence options, but child has not started to be looked after from "
    "1 April 2016 onwards.",
    tables=("Episodes", "PrevPerm"),
    fields=("LA_PERM", "PREV_PERM", "DATE_PERM", "DECOM"),
)
def rule_634(ctx: Context) -> Iterator[Hit]:
    """Previous permanence is recorded only for children who started to be looked after on or after 1 April
    2016: flagged when every readable episode start is before then. The DfE tool compares with the start of
    the collection year instead of 1 April 2016 (docs/returns/903-agreement.md)."""
    for p in ctx.ret.prev_perm:
        if p.PREV_PERM == "" and p.LA_PERM == "" and p.DATE_PERM == "":
            continue
        last = ctx.last_episode(p.CHILD)
        started = d(last.DECOM) if last is not None else None
        if last is not None and started is not None and started < _SINCE:
            yield "PrevPerm", p
            yield "Episodes", last


@rule(
    "635",
    "There are entries for date of order and local authority code where previous permanence option was arranged "
    "but previous permanence code is Z1",
    tables=("PrevPerm",),
    fields=("LA_PERM", "DATE_PERM", "PREV_PERM"),
)
def rule_635(ctx: Context) -> Iterator[Hit]:
    """A date or LA of a previous order needs a previous permanence option other than Z1 (none): flagged when
    PREV_PERM is Z1 or blank while DATE_PERM or LA_PERM is filled in."""
    for p in ctx.ret.prev_perm:
        if (p.LA_PERM != "" or p.DATE_PERM != "") and p.PREV_PERM in ("", "Z1"):
            yield "PrevPerm", p
