"""AD1 (adopted in the year) and PlacedAdoption (decisions to place for adoption) rules."""

from __future__ import annotations

from collections.abc import Iterator

from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import all_filled, code_list, d, filled, valid_date

AD1_FIELDS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")

valid_date("112", "Date should be placed for adoption is not a valid date.", "AD1", "DATE_INT")
valid_date("113", "Date matching child and adopter(s) is not a valid date.", "AD1", "DATE_MATCH")
code_list(
    "114",
    "Data entry to record the status of former carer(s) of an adopted child is invalid.",
    "AD1",
    "FOSTER_CARE",
    ("0", "1"),
)
valid_date(
    "115",
    "Date of Local Authority's (LA) decision that a child should be placed for adoption is not a valid date.",
    "PlacedAdoption",
    "DATE_PLACED",
)
valid_date(
    "116",
    "Date of Local Authority's (LA) decision that a child should no longer be placed for adoption is not a valid date.",
    "PlacedAdoption",
    "DATE_PLACED_CEASED",
)
code_list(
    "120",
    "The reason for the reversal of the decision that the child should be placed for adoption code is not valid.",
    "PlacedAdoption",
    "REASON_PLACED_CEASED",
    ("RD1", "RD2", "RD3", "RD4"),
)
code_list("175", "The number of adopter(s) code is not a valid code.", "AD1", "NB_ADOPTR", ("1", "2"))
code_list(
    "176",
    "The gender of adopter(s) at the date of adoption code is not a valid code.",
    "AD1",
    "SEX_ADOPTR",
    ("M1", "F1", "MM", "FF", "MF"),
)
code_list(
    "177",
    "The legal status of adopter(s) code is not a valid code.",
    "AD1",
    "LS_ADOPTR",
    ("L0", "L11", "L12", "L2", "L3", "L4"),
)


@rule(
    "117",
    "Date of decision that a child should/should no longer be placed for adoption is beyond the current "
    "collection year or after the child ceased to be looked after.",
    tables=("Episodes", "PlacedAdoption"),
    fields=("DATE_PLACED_CEASED", "DATE_PLACED", "DEC", "REC", "DECOM"),
)
def rule_117(ctx: Context) -> Iterator[Hit]:
    """Both decision dates fall on or before 31 March and on or before the end of the child's latest
    episode (ignoring X1 episodes)."""
    pa = ctx.rows_by_child("PlacedAdoption")
    for child, eps in ctx.episodes_by_child.items():
        if child not in pa:
            continue
        eps = [e for e in eps if d(e.DECOM) is not None and e.REC != "X1"]
        if not eps:
            continue
        last = eps[-1]
        dec = d(last.DEC)
        for p in pa[child]:
            for value in (d(p.DATE_PLACED), d(p.DATE_PLACED_CEASED)):
                if value is not None and (value > ctx.end or (dec is not None and value > dec)):
                    yield "PlacedAdoption", p
                    yield "Episodes", last
                    break


@rule(
    "118",
    "Date of decision that a child should no longer be placed for adoption is before the current collection "
    "year or before the date the child started to be looked after.",
    tables=("Episodes", "PlacedAdoption"),
    fields=("DATE_PLACED_CEASED", "DECOM", "LS"),
)
def rule_118(ctx: Context) -> Iterator[Hit]:
    pa = ctx.rows_by_child("PlacedAdoption")
    for child, eps in ctx.episodes_by_child.items():
        if child not in pa:
            continue
        eps = [e for e in eps if e.LS not in ("V3", "V4") and d(e.DECOM) is not None]
        if not eps:
            continue
        first = d(eps[0].DECOM)
        assert first is not None
        for p in pa[child]:
            ceased = d(p.DATE_PLACED_CEASED)
            if ceased is not None and (ceased < first or ceased < ctx.start):
                yield "PlacedAdoption", p
                yield "Episodes", eps[0]


@rule(
    "119",
    "If the decision is made that a child should no longer be placed for adoption, then the date of this "
    "decision and the reason why this decision was made must be completed.",
    tables=("PlacedAdoption",),
    fields=("REASON_PLACED_CEASED", "DATE_PLACED_CEASED"),
)
def rule_119(ctx: Context) -> Iterator[Hit]:
    for p in ctx.ret.placed_adoption:
        if (p.DATE_PLACED_CEASED == "") != (p.REASON_PLACED_CEASED == ""):
            yield "PlacedAdoption", p


@rule(
    "151",
    "All data items relating to a childs adoption must be coded or left blank.",
    tables=("AD1",),
    fields=AD1_FIELDS,
)
def rule_151(ctx: Context) -> Iterator[Hit]:
    for a in ctx.ret.ad1:
        if filled(a, *AD1_FIELDS) and not all_filled(a, *AD1_FIELDS):
            yield "AD1", a


@rule(
    "184",
    "Date of decision that a child should be placed for adoption is before the child was born.",
    tables=("Header", "PlacedAdoption"),
    fields=("DATE_PLACED", "DOB"),
)
def rule_184(ctx: Context) -> Iterator[Hit]:
    for p in ctx.ret.placed_adoption:
        placed, dob = d(p.DATE_PLACED), ctx.dob(p.CHILD)
        if placed is not None and dob is not None and placed < dob:
            yield "PlacedAdoption", p


@rule(
    "331",
    "Date of matching child and adopter(s) should be the same as, or prior to, the date of placement of adoption.",
    tables=("AD1", "Episodes"),
    fields=("DATE_MATCH", "DECOM", "REC"),
)
def rule_331(ctx: Context) -> Iterator[Hit]:
    ad1 = ctx.rows_by_child("AD1")
    for e in ctx.rows_with("Episodes", "REC", ("E11", "E12")):
        if e.REC not in ("E11", "E12") or e.CHILD not in ad1:
            continue
        decom = d(e.DECOM)
        for a in ad1[e.CHILD]:
            match = d(a.DATE_MATCH)
            if match is not None and decom is not None and match > decom:
                yield "AD1", a
                yield "Episodes", e


@rule(
    "333",
    "Date should be placed for adoption must be on or prior to the date of matching child with adopter(s).",
    tables=("AD1",),
    fields=("DATE_INT",),
)
def rule_333(ctx: Context) -> Iterator[Hit]:
    for a in ctx.ret.ad1:
        intent, match = d(a.DATE_INT), d(a.DATE_MATCH)
        if a.DATE_MATCH and (a.DATE_INT == "" or (intent is not None and match is not None and intent > match)):
            yield "AD1", a


@rule(
    "334",
    "Date child started to be looked after in latest period of care must be on or prior to the date should "
    "be placed for adoption. ",
    tables=("Episodes", "AD1"),
    fields=("DATE_INT", "DECOM", "RNE"),
)
def rule_334(ctx: Context) -> Iterator[Hit]:
    ad1 = ctx.rows_by_child("AD1")
    for child, eps in ctx.episodes_by_child.items():
        if child not in ad1:
            continue
        starts = [e for e in eps if e.RNE == "S" and d(e.DECOM) is not None]
        if not starts:
            continue
        latest = starts[-1]
        for a in ad1[child]:
            intent = d(a.DATE_INT)
            if intent is not None and intent < d(latest.DECOM):  # type: ignore[operator]
                yield "AD1", a
                yield "Episodes", latest


@rule(
    "335",
    "The current foster value (0) suggests that child is not adopted by current foster carer, but last "
    "placement is A2, A3, or A5. Or the current foster value (1) suggests that child is adopted by current foster "
    "carer, but last placement is A1, A4 or A6.",
    tables=("Episodes", "AD1"),
    fields=("PLACE", "FOSTER_CARE"),
)
def rule_335(ctx: Context) -> Iterator[Hit]:
    ad1 = ctx.rows_by_child("AD1")
    for e in ctx.rows_with("Episodes", "REC", ("E1", "E11", "E12")):
        if e.REC not in ("E1", "E11", "E12") or e.CHILD not in ad1:
            continue
        for a in ad1[e.CHILD]:
            if (e.PLACE in ("A2", "A3", "A5") and a.FOSTER_CARE == "0") or (
                e.PLACE in ("A1", "A4", "A6") and a.FOSTER_CARE == "1"
            ):
                yield "Episodes", e
                yield "AD1", a


@rule(
    "1003",
    "Date of LA's decision that a child should be placed for adoption is before the child started to be looked after.",
    tables=("Episodes", "PlacedAdoption"),
    fields=("DATE_PLACED", "DECOM", "RNE"),
)
def rule_1003(ctx: Context) -> Iterator[Hit]:
    pa = ctx.rows_by_child("PlacedAdoption")
    for child, eps in ctx.episodes_by_child.items():
        if child not in pa:
            continue
        starts = [e for e in eps if e.RNE == "S" and d(e.DECOM) is not None]
        if not starts:
            continue
        first = d(starts[0].DECOM)
        for p in pa[child]:
            placed = d(p.DATE_PLACED)
            if placed is not None and first is not None and placed < first:
                yield "PlacedAdoption", p
                yield "Episodes", starts[0]
