"""Adoption rules: the adopters (AD1), decisions to place for adoption (PlacedAdoption) and how they fit the
child's episodes and last year's decisions.

Each rule reads its DfE text (the 2025/26 and 2026/27 rule lists; STATUTE.md §7); where the text leaves a choice
open, the docstring says which reading Safehold takes and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d, filled
from safehold.returns.ssda903.domain.tables import PlacedAdoption

PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")
ADOPTED = ("E11", "E12")
AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
COUPLE = ("MM", "FF", "MF")
SINGLE = ("M1", "F1")


def _adopters(code: str, message: str, legal_status: str, allowed: tuple[str, ...]) -> None:
    """Register rule ``code``: adopters with legal status ``legal_status`` must have a gender code in ``allowed``."""

    def check(ctx: Context) -> Iterator[Hit]:
        for a in ctx.ret.ad1:
            if a.LS_ADOPTR == legal_status and a.SEX_ADOPTR not in allowed:
                yield "AD1", a

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=("AD1",), fields=("LS_ADOPTR", "SEX_ADOPTR"))(check)


_adopters(
    "517",
    "If reporting legal status of adopters is L3 then the genders of adopters should be coded as MF. MF = the "
    "adopting couple are male and female.",
    "L3",
    ("MF",),
)
_adopters(
    "518",
    "If reporting legal status of adopters is L4 then the genders of adopters should be coded as MM or FF. MM = the "
    "adopting couple are both males. FF = the adopting couple are both females.",
    "L4",
    ("MM", "FF"),
)
_adopters(
    "519",
    "Data entered on the legal status of adopters shows civil partnership couple, but data entered on genders of "
    "adopters does not show it as a couple.",
    "L2",
    COUPLE,
)
_adopters(
    "520",
    "Data entry on the legal status of adopters shows different gender married couple but data entry on genders "
    "of adopters shows it as a same gender couple.",
    "L11",
    ("MF",),
)
_adopters(
    "524",
    "If reporting legal status of adopters is L12 then the genders of adopters should be coded as MM or FF. MM = "
    "the adopting couple are both males. FF = the adopting couple are both females",
    "L12",
    ("MM", "FF"),
)


@rule(
    "511",
    "If reporting that the number of person(s) adopting the looked after child is two adopters then the code "
    "should only be MM, FF or MF. MM = the adopting couple are both males; FF = the adopting couple are both "
    "females; MF = The adopting couple are male and female.",
    tables=("AD1",),
    fields=("NB_ADOPTR", "SEX_ADOPTR"),
)
def rule_511(ctx: Context) -> Iterator[Hit]:
    """Two adopters recorded with a single adopter's gender code (M1/F1). A blank or invalid gender code is
    reported once, under 151 or 176, not again here (as the sector validator does)."""
    for a in ctx.ret.ad1:
        if a.NB_ADOPTR == "2" and a.SEX_ADOPTR in SINGLE:
            yield "AD1", a


@rule(
    "514",
    "Data entry on the legal status of adopters shows a single adopter but data entry for the numbers of adopters "
    "shows it as a couple.",
    tables=("AD1",),
    fields=("LS_ADOPTR", "NB_ADOPTR", "SEX_ADOPTR"),
)
def rule_514(ctx: Context) -> Iterator[Hit]:
    """A single adopter (L0) recorded as a couple, whether by the number of adopters (2) or by a couple's
    gender code (MM/FF/MF). The DfE text names the number of adopters; the sector validator checks the gender
    code. A single adopter's blank or invalid gender code is reported under 151 or 176 instead."""
    for a in ctx.ret.ad1:
        if a.LS_ADOPTR == "L0" and (a.NB_ADOPTR == "2" or a.SEX_ADOPTR in COUPLE):
            yield "AD1", a


@rule(
    "521",
    "Date of local authority's decision (LA) that adoption is in the best interests of the child (date should be "
    "placed) must be on or prior to the date the child is placed for adoption.",
    tables=("Episodes", "AD1"),
    fields=("PLACE", "DECOM", "DATE_INT"),
)
def rule_521(ctx: Context) -> Iterator[Hit]:
    """Every episode in an adoption placement (A3–A6) must start on or after the 'should be placed' date."""
    ad1 = ctx.rows_by_child("AD1")
    for e in ctx.rows_with("Episodes", "PLACE", PLACED_FOR_ADOPTION):
        if e.PLACE not in PLACED_FOR_ADOPTION or e.CHILD not in ad1:
            continue
        decom = d(e.DECOM)
        if decom is None:
            continue
        for a in ad1[e.CHILD]:
            intent = d(a.DATE_INT)
            if intent is not None and intent > decom:
                yield "Episodes", e
                yield "AD1", a


@rule(
    "522",
    "Date of decision that the child should be placed for adoption must be on or before the date that a child "
    "should no longer be placed for adoption.",
    tables=("PlacedAdoption",),
    fields=("DATE_PLACED", "DATE_PLACED_CEASED"),
)
def rule_522(ctx: Context) -> Iterator[Hit]:
    for p in ctx.ret.placed_adoption:
        placed, ceased = d(p.DATE_PLACED), d(p.DATE_PLACED_CEASED)
        if placed is not None and ceased is not None and ceased < placed:
            yield "PlacedAdoption", p


@rule(
    "523",
    "Date of decision that the child should be placed for adoption should be the same date as the decision that "
    "adoption is in the best interest (date should be placed).",
    tables=("PlacedAdoption", "AD1"),
    fields=("DATE_PLACED", "DATE_INT"),
)
def rule_523(ctx: Context) -> Iterator[Hit]:
    """Each dated decision row of an adopted child is compared with each readable AD1 'should be placed' date
    (an earlier decision that was reversed is also reported under 525: a reversed decision and an adoption)."""
    ad1 = ctx.rows_by_child("AD1")
    for p in ctx.ret.placed_adoption:
        placed = d(p.DATE_PLACED)
        if placed is None or p.CHILD not in ad1:
            continue
        for a in ad1[p.CHILD]:
            intent = d(a.DATE_INT)
            if intent is not None and intent != placed:
                yield "PlacedAdoption", p
                yield "AD1", a


@rule(
    "525",
    "A child for whom the decision to be placed for adoption has been reversed cannot be adopted during the year.",
    tables=("PlacedAdoption", "AD1"),
    fields=("DATE_PLACED_CEASED", *AD1_ITEMS),
)
def rule_525(ctx: Context) -> Iterator[Hit]:
    """A decision row with a 'no longer placed' date, for a child whose AD1 row records an adoption."""
    ad1 = ctx.rows_by_child("AD1")
    for p in ctx.ret.placed_adoption:
        if p.DATE_PLACED_CEASED == "" or p.CHILD not in ad1:
            continue
        for a in ad1[p.CHILD]:
            if filled(a, *AD1_ITEMS):
                yield "PlacedAdoption", p
                yield "AD1", a


@rule(
    "551",
    "Child has been placed for adoption but there is no date of the decision that the child should be placed for "
    "adoption.",
    tables=("Episodes", "PlacedAdoption"),
    fields=("DATE_PLACED", "PLACE"),
)
def rule_551(ctx: Context) -> Iterator[Hit]:
    """An adoption placement (A3–A6) needs a decision row, and every decision row of the child needs its date."""
    pa = ctx.rows_by_child("PlacedAdoption")
    for e in ctx.rows_with("Episodes", "PLACE", PLACED_FOR_ADOPTION):
        if e.PLACE in PLACED_FOR_ADOPTION:
            rows = pa.get(e.CHILD, [])
            if not rows or any(p.DATE_PLACED == "" for p in rows):
                yield "Episodes", e


def _latest_decision(rows: list[PlacedAdoption]) -> PlacedAdoption | None:
    """The decision with the latest readable DATE_PLACED (the first such row on a tie), or None."""
    best: PlacedAdoption | None = None
    best_date: dt.date | None = None
    for p in rows:
        placed = d(p.DATE_PLACED)
        if placed is not None and (best_date is None or placed > best_date):
            best, best_date = p, placed
    return best


@rule(
    "552",
    "Date of Decision to place a child for adoption should be on or prior to the date that the child was placed "
    "for adoption.",
    tables=("Episodes", "PlacedAdoption"),
    fields=("DATE_PLACED", "DECOM"),
)
def rule_552(ctx: Context) -> Iterator[Hit]:
    """The latest decision to place must be on or before the start of the child's first adoption placement."""
    pa = ctx.rows_by_child("PlacedAdoption")
    for child, eps in ctx.episodes_by_child.items():
        if child not in pa:
            continue
        first = next((e for e in eps if e.PLACE in PLACED_FOR_ADOPTION and d(e.DECOM) is not None), None)
        latest = _latest_decision(pa[child])
        if first is None or latest is None:
            continue
        if d(first.DECOM) < d(latest.DATE_PLACED):  # type: ignore[operator]
            yield "Episodes", first
            yield "PlacedAdoption", latest


@rule(
    "553",
    "Placement order has been granted but there is no date of decision that the child should be placed for adoption.",
    tables=("Episodes", "PlacedAdoption"),
    fields=("LS", "DEC", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
)
def rule_553(ctx: Context) -> Iterator[Hit]:
    """A placement order (legal status E1) needs a decision to place for adoption; and while the order is still
    in force (the E1 episode is open) no decision row may record that the child should no longer be placed
    (DfE specification of 553, as the sector validator reads it). A decision row with no date is reported under
    551/563 where they apply; here only a child with no decision row at all is flagged."""
    pa = ctx.rows_by_child("PlacedAdoption")
    for e in ctx.rows_with("Episodes", "LS", ("E1",)):
        if e.LS != "E1":
            continue
        rows = pa.get(e.CHILD)
        if not rows:
            yield "Episodes", e
            continue
        if e.DEC == "":
            for p in rows:
                if filled(p, "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"):
                    yield "PlacedAdoption", p


@rule(
    "554",
    "Date of decision that the child should be placed for adoption should be on or prior to the date that the "
    "placement order was granted. [NOTE: This rule may result in false positives or false negatives if relevant "
    "episodes are in previous years; please check carefully!]",
    tables=("Episodes", "PlacedAdoption"),
    fields=("DATE_PLACED", "DECOM", "LS"),
)
def rule_554(ctx: Context) -> Iterator[Hit]:
    """The placement order is taken to be granted at the start of the child's first E1 episode in the return."""
    pa = ctx.rows_by_child("PlacedAdoption")
    for child, eps in ctx.episodes_by_child.items():
        if child not in pa:
            continue
        first = next((e for e in eps if e.LS == "E1" and d(e.DECOM) is not None), None)
        if first is None:
            continue
        granted = d(first.DECOM)
        assert granted is not None
        for p in pa[child]:
            placed = d(p.DATE_PLACED)
            if placed is not None and placed > granted:
                yield "Episodes", first
                yield "PlacedAdoption", p


@rule(
    "557",
    "Child for whom the decision was made that they should be placed for adoption has left care but was not "
    "adopted and information on the decision that they should no longer be placed for adoption items has not been "
    "completed.",
    tables=("Episodes", "PlacedAdoption"),
    fields=("DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "PLACE", "LS", "REC"),
)
def rule_557(ctx: Context) -> Iterator[Hit]:
    """An episode in an adoption placement (A3–A6) or under a placement order (E1) that ended the child's care
    (any reason but adoption, E11/E12, or a move within care, X1) needs every decision row closed with a date and
    a reason. (The 2024/25 rules dropped D1 from the legal statuses.)"""
    pa = ctx.rows_by_child("PlacedAdoption")
    for e in ctx.ret.episodes:
        if not (e.PLACE in PLACED_FOR_ADOPTION or e.LS == "E1"):
            continue
        if e.REC == "" or e.REC == "X1" or e.REC in ADOPTED:
            continue
        rows = pa.get(e.CHILD)
        if not rows:
            yield "Episodes", e
            continue
        for p in rows:
            if p.DATE_PLACED_CEASED == "" or p.REASON_PLACED_CEASED == "":
                yield "Episodes", e
                yield "PlacedAdoption", p


@rule(
    "558",
    "If a child has been adopted, then the decision to place them for adoption has not been disrupted and the date "
    "of the decision that a child should no longer be placed for adoption should be left blank.",
    tables=("Episodes", "PlacedAdoption"),
    fields=("DATE_PLACED_CEASED", "REC"),
)
def rule_558(ctx: Context) -> Iterator[Hit]:
    """DfE specification: where the child was adopted (an episode ending E11/E12) and more than one decision
    row carries a 'no longer placed' date, the latest decision's date must be blank — the adoption followed
    it. (A single reversed decision and an adoption is rule 525.) The latest decision is the one with the
    latest DATE_PLACED."""
    pa = ctx.rows_by_child("PlacedAdoption")
    for child, eps in ctx.episodes_by_child.items():
        rows = pa.get(child)
        if not rows:
            continue
        adoptions = [e for e in eps if e.REC in ADOPTED]
        if not adoptions or sum(1 for p in rows if p.DATE_PLACED_CEASED != "") <= 1:
            continue
        latest = _latest_decision(rows)
        if latest is not None and latest.DATE_PLACED_CEASED != "":
            for e in adoptions:
                yield "Episodes", e


@rule(
    "563",
    "The child should no longer be placed for adoption but the date of the decision that the child should be "
    "placed for adoption is blank",
    tables=("PlacedAdoption",),
    fields=("DATE_PLACED", "REASON_PLACED_CEASED", "DATE_PLACED_CEASED"),
)
def rule_563(ctx: Context) -> Iterator[Hit]:
    """A reversal recorded in full (date and reason) on a row with no decision date. A reversal with only
    one of its date and reason is rule 119."""
    for p in ctx.ret.placed_adoption:
        if p.REASON_PLACED_CEASED and p.DATE_PLACED_CEASED and p.DATE_PLACED == "":
            yield "PlacedAdoption", p


def _by_decision_date(rows: list[PlacedAdoption]) -> list[PlacedAdoption]:
    """A child's decisions in DATE_PLACED order, rows with no readable date last (in file order)."""
    return sorted(rows, key=lambda p: d(p.DATE_PLACED) or dt.date.max)


@rule(
    "579",
    "A new decision that the child should be placed for adoption this year cannot start when the previous "
    "decision is still open. Decisions to place the child for adoption should also not overlap. The date of any "
    "new decision to place the child for adoption must not be before the date placed ceased of previous "
    "decisions.",
    tables=("PlacedAdoption",),
    fields=("DATE_PLACED", "DATE_PLACED_CEASED"),
)
def rule_579(ctx: Context) -> Iterator[Hit]:
    """In DATE_PLACED order, each decision after the first is flagged when the one before it has no 'no longer
    placed' date, or ceased after this one was made."""
    for rows in ctx.rows_by_child("PlacedAdoption").values():
        if len(rows) < 2:
            continue
        ordered = _by_decision_date(rows)
        for prev, cur in zip(ordered, ordered[1:], strict=False):
            if prev.DATE_PLACED_CEASED == "":
                yield "PlacedAdoption", cur
                continue
            placed, ceased = d(cur.DATE_PLACED), d(prev.DATE_PLACED_CEASED)
            if placed is not None and ceased is not None and placed < ceased:
                yield "PlacedAdoption", cur


@rule(
    "582",
    "Child is showing as ceasing to be looked after due to adoption, but the date of adoption is the same as the "
    "date reported for being matched with adopters. In most circumstances we expect the date the child is matched "
    "with adopters to be before the date of adoption.",
    tables=("Episodes", "AD1"),
    fields=("DEC", "DATE_MATCH"),
)
def rule_582(ctx: Context) -> Iterator[Hit]:
    ad1 = ctx.rows_by_child("AD1")
    for e in ctx.rows_with("Episodes", "REC", ADOPTED):
        if e.REC not in ADOPTED or e.CHILD not in ad1:
            continue
        adopted = d(e.DEC)
        if adopted is not None and any(d(a.DATE_MATCH) == adopted for a in ad1[e.CHILD]):
            yield "Episodes", e


@rule(
    "583",
    "More than one date the child should be placed for adoption has been reported, but an earlier decision has not "
    "been revoked. Check that both dates are required and add in the date the earlier decision was revoked. Note "
    "this may be in a previous year.",
    tables=("PlacedAdoption",),
    fields=("DATE_PLACED", "DATE_PLACED_CEASED"),
)
def rule_583(ctx: Context) -> Iterator[Hit]:
    """Every decision but the latest (by DATE_PLACED) must have a 'no longer placed' date."""
    for rows in ctx.rows_by_child("PlacedAdoption").values():
        if len(rows) < 2:
            continue
        latest = _latest_decision(rows) or rows[-1]
        for p in rows:
            if p is not latest and p.DATE_PLACED_CEASED == "":
                yield "PlacedAdoption", p


# --- rules comparing this year's decisions with last year's return -----------------------------------------


def _last_year(ctx: Context, table: str) -> dict[str, list[Any]]:
    """Last year's rows of ``table`` by child (built once per validation)."""
    cache: dict[str, dict[str, list[Any]]] = ctx.__dict__.setdefault("_c_previous_by_child", {})
    if table not in cache:
        assert ctx.previous is not None
        grouped: dict[str, list[Any]] = {}
        for r in ctx.previous.rows(table):
            grouped.setdefault(r.CHILD, []).append(r)
        cache[table] = grouped
    return cache[table]


def _same_date(a: str, b: str) -> bool:
    """Two date fields record the same date (compared as dates when both are readable, else as text)."""
    da, db = d(a), d(b)
    if da is not None and db is not None:
        return da == db
    return a == b


@rule(
    "559",
    "Date of decision that a child should be placed for adoption was not in the current year but the date of the "
    "decision that the child should be placed for adoption was not completed in a previous return.",
    tables=("PlacedAdoption",),
    fields=("DATE_PLACED",),
    needs_previous=True,
)
def rule_559(ctx: Context) -> Iterator[Hit]:
    """A decision dated before 1 April must appear in last year's return: the child needs a dated decision
    there."""
    last = _last_year(ctx, "PlacedAdoption")
    for p in ctx.ret.placed_adoption:
        placed = d(p.DATE_PLACED)
        if placed is not None and placed < ctx.start and not any(q.DATE_PLACED for q in last.get(p.CHILD, [])):
            yield "PlacedAdoption", p


@rule(
    "560",
    "Date of decision that the child should be placed for adoption this year is different from that recorded last "
    "year but the decision to place the child for adoption did not change.",
    tables=("PlacedAdoption",),
    fields=("DATE_PLACED", "DATE_PLACED_CEASED"),
    needs_previous=True,
)
def rule_560(ctx: Context) -> Iterator[Hit]:
    """A decision still open at the end of last year (dated, no 'no longer placed' date) must be reported
    again this year with the same date: when none of the child's decisions this year carries that date, each
    is flagged."""
    last = _last_year(ctx, "PlacedAdoption")
    for child, rows in ctx.rows_by_child("PlacedAdoption").items():
        for q in last.get(child, []):
            if q.DATE_PLACED == "" or q.DATE_PLACED_CEASED != "":
                continue
            if not any(_same_date(p.DATE_PLACED, q.DATE_PLACED) for p in rows):
                for p in rows:
                    yield "PlacedAdoption", p


@rule(
    "561",
    "Date of the decision that the child should be placed for adoption this year is the same as that recorded last "
    "year but records show that the decision changed, and the child should no longer be placed for adoption last "
    "year.",
    tables=("PlacedAdoption",),
    fields=("DATE_PLACED",),
    needs_previous=True,
)
def rule_561(ctx: Context) -> Iterator[Hit]:
    last = _last_year(ctx, "PlacedAdoption")
    for p in ctx.ret.placed_adoption:
        if p.DATE_PLACED == "":
            continue
        for q in last.get(p.CHILD, []):
            if filled(q, "DATE_PLACED_CEASED", "REASON_PLACED_CEASED") and _same_date(p.DATE_PLACED, q.DATE_PLACED):
                yield "PlacedAdoption", p


@rule(
    "584",
    "Date of decision that the child should be placed for adoption this year is different from that recorded last "
    "year, but the decision to placed the child for adoption changed and the child should no longer be placed for "
    "adoption.",
    tables=("PlacedAdoption",),
    fields=("DATE_PLACED",),
    needs_previous=True,
)
def rule_584(ctx: Context) -> Iterator[Hit]:
    """DfE specification: when last year's decision was reversed (a 'no longer placed' date or reason), a
    decision this year must be a new one, dated after last year's (a blank date is flagged too)."""
    last = _last_year(ctx, "PlacedAdoption")
    for p in ctx.ret.placed_adoption:
        revoked = [q for q in last.get(p.CHILD, []) if filled(q, "DATE_PLACED_CEASED", "REASON_PLACED_CEASED")]
        if not revoked:
            continue
        placed = d(p.DATE_PLACED)
        if p.DATE_PLACED == "":
            yield "PlacedAdoption", p
            continue
        for q in revoked:
            before = d(q.DATE_PLACED)
            if placed is not None and before is not None and placed <= before:
                yield "PlacedAdoption", p
                break
