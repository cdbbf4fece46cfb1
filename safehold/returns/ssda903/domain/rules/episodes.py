"""Episodes rules: codes, dates and the sequence of a child's episodes."""

from __future__ import annotations

from collections.abc import Iterator

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import code_list, d, valid_date

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
NO_PROVIDER = (*TEMPORARY, "Z11", "Z12", "Z13", "Z14")
NO_URN = ("P1", "P3", "R1", "R2", "R5", *NO_PROVIDER)
PLACE_CODES = "A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z11 Z12 Z13 Z14".split()
REC_CODES = "E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 E14 E15 E16 E17 X1".split()
RPC_CODES = "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER".split()
LS_CODES = "C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3".split()

valid_date("141", "Date episode began is not a valid date.", "Episodes", "DECOM")
valid_date("147", "Date episode ceased is not a valid date.", "Episodes", "DEC")
code_list("143", "The reason for new episode code is not a valid code.", "Episodes", "RNE", "SPLTUB")
code_list("144", "The legal status code is not a valid code.", "Episodes", "LS", LS_CODES)
code_list("145", "Category of need code is not a valid code.", "Episodes", "CIN", [f"N{i}" for i in range(1, 9)])
code_list("146", "Placement type code is not a valid code.", "Episodes", "PLACE", PLACE_CODES)
code_list("149", "Reason episode ceased code is not valid. ", "Episodes", "REC", REC_CODES)
code_list("1009", "Reason for placement change is not a valid code.", "Episodes", "REASON_PLACE_CHANGE", RPC_CODES)


@rule(
    "142",
    "A new episode has started, but the previous episode has not ended.",
    tables=("Episodes",),
    fields=("DEC", "REC"),
)
def rule_142(ctx: Context) -> Iterator[Hit]:
    """Every dated episode but a child's latest must have an end date and a reason."""
    for eps in ctx.episodes_by_child.values():
        if len(eps) < 2:
            continue  # a single episode is the latest
        dated = [e for e in eps if d(e.DECOM) is not None]
        for e in dated[:-1]:
            if e.DEC == "" or e.REC == "":
                yield "Episodes", e


@rule(
    "148",
    "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
    tables=("Episodes",),
    fields=("DEC", "REC"),
)
def rule_148(ctx: Context) -> Iterator[Hit]:
    for e, dec, rec in zip(
        ctx.ret.episodes, ctx.column("Episodes", "DEC"), ctx.column("Episodes", "REC"), strict=False
    ):
        if (dec == "") != (rec == ""):
            yield "Episodes", e


@rule("178", "Placement provider code is not a valid code.", tables=("Episodes",), fields=("PLACE_PROVIDER",))
def rule_178(ctx: Context) -> Iterator[Hit]:
    """PR0–PR5, and none for temporary moves or Z11–Z14."""
    providers = ctx.distinct("Episodes", "PLACE_PROVIDER") - {"", "PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}
    if not providers and ctx.distinct("Episodes", "PLACE").isdisjoint(NO_PROVIDER):
        return  # every provider code is valid, and no placement is one that takes none
    for e, provider, place in zip(
        ctx.ret.episodes, ctx.column("Episodes", "PLACE_PROVIDER"), ctx.column("Episodes", "PLACE"), strict=False
    ):
        if provider in providers or (provider != "" and place in NO_PROVIDER):
            yield "Episodes", e


@rule(
    "199",
    "Episode information shows child has been previously adopted from care. [NOTE: This only tests the "
    "current and previous year data loaded into the tool]",
    tables=("Episodes",),
    fields=("CHILD",),
)
def rule_199(ctx: Context) -> Iterator[Hit]:
    """Every episode after the first that ended in adoption (E11/E12) is flagged, as is a second adoption."""
    last_eps: dict[str, list[tuple[object, str]]] = {}
    if ctx.previous is not None:
        for e in ctx.previous.episodes:
            last_eps.setdefault(e.CHILD, []).append((d(e.DECOM), e.REC))
    # Only a child with an adoption (this year or last) can be flagged.
    adopted = {e.CHILD for e in ctx.rows_with("Episodes", "REC", ("E11", "E12"))}
    adopted.update(child for child, xs in last_eps.items() if any(rec in ("E11", "E12") for _, rec in xs))
    if not adopted:
        return
    for child, eps in ctx.episodes_by_child.items():
        if child not in adopted:
            continue
        earlier = sorted((x for x in last_eps.get(child, []) if x[0] is not None), key=lambda x: x[0])  # type: ignore[arg-type,return-value]
        adoptions = sum(1 for _, rec in earlier if rec in ("E11", "E12"))
        prev_decoms = {x[0] for x in earlier}
        for e in eps:
            decom = d(e.DECOM)
            if decom is None or decom in prev_decoms:
                continue
            is_adoption = e.REC in ("E11", "E12")
            adoptions += is_adoption
            if adoptions > 0 and not (adoptions == 1 and is_adoption):
                yield "Episodes", e


@rule("213", "Placement provider information not required.", tables=("Episodes",), fields=("PLACE_PROVIDER",))
def rule_213(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "PLACE", NO_PROVIDER):
        if e.PLACE in NO_PROVIDER and e.PLACE_PROVIDER:
            yield "Episodes", e


@rule("214", "Placement location information not required.", tables=("Episodes",), fields=("PL_POST", "URN"))
def rule_214(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "LS", ("V3", "V4")):
        if e.LS in ("V3", "V4") and (e.PL_POST or e.URN):
            yield "Episodes", e


@rule(
    "217",
    "Children who are placed for adoption with current foster carers (placement types A3 or A5) must have "
    "a reason for new episode of S, T or U.",
    tables=("Episodes",),
    fields=("PLACE", "DECOM", "RNE"),
)
def rule_217(ctx: Context) -> Iterator[Hit]:
    from datetime import date

    since = date(2015, 4, 1)
    for e in ctx.rows_with("Episodes", "PLACE", ("A3", "A5")):
        if e.PLACE not in ("A3", "A5"):
            continue
        decom = d(e.DECOM)
        if decom is not None and decom >= since and e.RNE not in ("S", "T", "U"):
            yield "Episodes", e


@rule("218", "Ofsted Unique reference number (URN) is required.", tables=("Episodes",), fields=("URN",))
def rule_218(ctx: Context) -> Iterator[Hit]:
    """Placements other than P1, P3, R1, R2, R5, T0–T4 and Z11–Z14 that were open during the year need a URN.
    (The DfE tool also exempts placements outside England, which it finds from the postcode.)"""
    for e in ctx.rows_with("Episodes", "URN", ("",)):
        dec = d(e.DEC)
        if e.URN == "" and e.PLACE not in NO_URN and (e.DEC == "" or (dec is not None and dec >= ctx.start)):
            yield "Episodes", e


@rule(
    "222",
    "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
    tables=("Episodes",),
    fields=("URN",),
)
def rule_222(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "PLACE", NO_URN):
        if e.PLACE in NO_URN and e.URN not in ("", "XXXXXXX"):
            yield "Episodes", e


@rule("225", "Reason for placement change must be recorded.", tables=("Episodes",), fields=("REASON_PLACE_CHANGE",))
def rule_225(ctx: Context) -> Iterator[Hit]:
    """An X1 episode (not temporary) followed by a change of placement (P, B, T, U) to a non-temporary
    placement needs a reason for the change."""
    for e, nxt in ctx.episode_pairs:
        if (
            e.REC == "X1"
            and e.REASON_PLACE_CHANGE == ""
            and e.PLACE not in TEMPORARY
            and nxt.RNE in ("P", "B", "T", "U")
            and nxt.PLACE not in TEMPORARY
        ):
            yield "Episodes", e


@rule(
    "226",
    "Reason for placement change is not required for temporary placements.",
    tables=("Episodes",),
    fields=("REASON_PLACE_CHANGE", "PLACE"),
)
def rule_226(ctx: Context) -> Iterator[Hit]:
    """A temporary placement takes no reason itself, and the episode before it (the move into it) takes none."""
    if ctx.distinct("Episodes", "PLACE").isdisjoint(TEMPORARY):
        return
    for eps in ctx.episodes_by_child.values():
        before = ""
        for e in eps:
            if e.PLACE in TEMPORARY and (e.REASON_PLACE_CHANGE or before):
                yield "Episodes", e
            before = e.REASON_PLACE_CHANGE


@rule("232", "Sex of the child/young person has been reported as unknown.", tables=("Header",), fields=("SEX",))
def rule_232(ctx: Context) -> Iterator[Hit]:
    if not any(sex.upper() == "U" for sex in ctx.distinct("Header", "SEX")):
        return
    for h in ctx.ret.header:
        if h.SEX.upper() == "U":
            yield "Header", h


@rule(
    "233",
    "Reason for placement change is not required when the episode has not ceased.",
    tables=("Episodes",),
    fields=("REASON_PLACE_CHANGE",),
)
def rule_233(ctx: Context) -> Iterator[Hit]:
    for e in ctx.ret.episodes:
        if e.DEC == "" and e.REASON_PLACE_CHANGE:
            yield "Episodes", e


@rule(
    "234",
    "A child aged under 10 can not change placement due to being admitted to custody",
    tables=("Episodes", "Header"),
    fields=("REASON_PLACE_CHANGE", "DOB"),
)
def rule_234(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "REASON_PLACE_CHANGE", ("CUSTOD",)):
        if e.REASON_PLACE_CHANGE != "CUSTOD":
            continue
        tenth, decom = ctx.birthday(e.CHILD, 10), d(e.DECOM)
        if tenth is not None and decom is not None and tenth > decom:
            yield "Episodes", e
            yield "Header", ctx.header_by_child[e.CHILD]


@rule("242", "URN = 'XXXXXXX' can only be used for regional adoption agencies", tables=("Episodes",), fields=("URN",))
def rule_242(ctx: Context) -> Iterator[Hit]:
    fostering_or_adoption = ("A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6")
    for e in ctx.rows_with("Episodes", "URN", ("XXXXXXX",)):
        if e.URN == "XXXXXXX" and e.PLACE not in fostering_or_adoption:
            yield "Episodes", e


@rule("301", "Date of birth falls after the year ended.", tables=("Header",), fields=("DOB",))
def rule_301(ctx: Context) -> Iterator[Hit]:
    for h, dob in zip(ctx.ret.header, ctx.dates("Header", "DOB"), strict=False):
        if dob is not None and dob > ctx.end:
            yield "Header", h


@rule("302", "First episode starts before child was born.", tables=("Header", "Episodes"), fields=("DECOM", "DOB"))
def rule_302(ctx: Context) -> Iterator[Hit]:
    dobs = ctx.dobs
    for child, eps in ctx.episodes_by_child.items():
        dob = dobs.get(child)
        if dob is None:
            continue
        first = d(eps[0].DECOM)
        if first is not None and dob > first:
            yield "Episodes", eps[0]
            yield "Header", ctx.header_by_child[child]


@rule(
    "336",
    "Child does not have a foster placement immediately prior to being placed for adoption.",
    tables=("Episodes",),
    fields=("PLACE",),
)
def rule_336(ctx: Context) -> Iterator[Hit]:
    """A3/A4 (adoption with consent) follows a foster placement (A3–A6, U1–U6) unless it is the first episode."""
    foster = ("A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6")
    if ctx.distinct("Episodes", "PLACE").isdisjoint(("A3", "A4")):
        return
    for prev, e in ctx.episode_pairs:
        if e.PLACE in ("A3", "A4") and prev.PLACE not in foster:
            yield "Episodes", e


@rule(
    "504",
    "The category of need code differs from that reported at start of current period of being looked after",
    tables=("Episodes",),
    fields=("CIN",),
)
def rule_504(ctx: Context) -> Iterator[Hit]:
    """An episode that follows an X1 episode ending the same day keeps the category of need."""
    if "X1" not in ctx.distinct("Episodes", "REC"):
        return
    for prev, e in ctx.episode_pairs:
        if prev.REC == "X1" and d(prev.DEC) is not None and d(prev.DEC) == d(e.DECOM) and e.CIN != prev.CIN:
            yield "Episodes", e


def _age_minimum(code: str, message: str, place: str, years: int) -> None:
    def check(ctx: Context) -> Iterator[Hit]:
        for e in ctx.rows_with("Episodes", "PLACE", (place,)):
            if e.PLACE != place:
                continue
            dob, decom = ctx.dob(e.CHILD), d(e.DECOM)
            if dob is not None and decom is not None and decom < add_years(dob, years):
                yield "Episodes", e

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=("Header", "Episodes"), fields=("DECOM", "PLACE"))(check)


_age_minimum(
    "371",
    "Child in supported accomodation not subject to children’s homes regulations should be at least 16.",
    "K3",
    16,
)


@rule(
    "392d",
    "Home and placement postcodes should not be same unless the placement type is P1.",
    tables=("Episodes",),
    fields=("HOME_POST", "PL_POST", "PLACE"),
)
def rule_392d(ctx: Context) -> Iterator[Hit]:
    for e, home, place in zip(
        ctx.ret.episodes, ctx.column("Episodes", "HOME_POST"), ctx.column("Episodes", "PL_POST"), strict=False
    ):
        if home == place and home and e.PLACE != "P1":
            yield "Episodes", e


@rule(
    "630",
    "Information on previous permanence option should be returned.",
    tables=("Episodes", "PrevPerm"),
    fields=("RNE",),
)
def rule_630(ctx: Context) -> Iterator[Hit]:
    """A child starting care in the year needs a PrevPerm row with an option; any option but Z1 (none) needs the
    LA and the date of the order."""
    perms = ctx.rows_by_child("PrevPerm")
    start = ctx.start
    for e, decom in zip(ctx.ret.episodes, ctx.dates("Episodes", "DECOM"), strict=False):
        if decom is None or decom < start or e.RNE != "S":
            continue
        rows = perms.get(e.CHILD)
        if not rows or any(
            p.PREV_PERM == "" or (p.PREV_PERM != "Z1" and not (p.LA_PERM and p.DATE_PERM)) for p in rows
        ):
            yield "Episodes", e
