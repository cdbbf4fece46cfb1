"""Header and UASC rules: the child's sex, birth, ethnicity, UPN and motherhood."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import code_list, d, valid_date

ETHNIC_CODES = (
    "WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT".split()
)
_UPN = re.compile(r"^(?:[A-HJ-NP-RT-Z](?:\d{12}|\d{11}[A-Z])|UN[1-5])$")

code_list(
    "101", "The child or young person's reported sex is not valid.", "Header", "SEX", ("M", "F", "U"), blank_ok=False
)
valid_date("102", "Date of birth is not a valid date.", "Header", "DOB", required=True)
code_list(
    "103",
    "The ethnicity code is either not valid or has not been entered.",
    "Header",
    "ETHNIC",
    ETHNIC_CODES,
    blank_ok=False,
)
valid_date(
    "104",
    "Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a valid date.",
    "UASC",
    "DUC",
    also=lambda ctx, row: (d(row.DUC) or ctx.start) < ctx.start,
)
valid_date("171", "Date of birth of mother's child is not a valid date.", "Header", "MC_DOB")


@rule("165", "Data entry for mother status is invalid.", tables=("Header", "Episodes", "OC3"), fields=("MOTHER", "SEX"))
def rule_165(ctx: Context) -> Iterator[Hit]:
    """MOTHER is 0 or 1; only a girl can be a mother; a girl looked after in the year must have it
    recorded, and a care leaver with no episode this year must not."""
    oc3 = ctx.rows_by_child("OC3")
    episodes = ctx.episodes_by_child
    start, end = ctx.start, ctx.end

    def in_year(child: str) -> bool:
        return any(
            (d(e.DECOM) or end) <= end and (d(e.DEC) or end) >= start
            for e in episodes.get(child, ())
            if e.LS not in ("V3", "V4")
        )

    for h in ctx.ret.header:
        mother = h.MOTHER
        if mother not in ("", "0", "1"):
            yield "Header", h
        elif mother and h.SEX == "M":
            yield "Header", h
        elif h.SEX != "F":
            continue
        elif not mother:
            if in_year(h.CHILD):
                yield "Header", h
        elif any(o.IN_TOUCH or o.ACTIV or o.ACCOM for o in oc3.get(h.CHILD, ())) and not in_year(h.CHILD):
            yield "Header", h


@rule(
    "168",
    "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, UN3, UN4 or UN5.",
    tables=("Header",),
    fields=("UPN",),
)
def rule_168(ctx: Context) -> Iterator[Hit]:
    """A UPN is a letter (not I, O or S) then 12 digits, or 11 digits and a letter; else UN1–UN5."""
    bad = [upn for upn in ctx.distinct("Header", "UPN") if upn and not _UPN.match(upn)]  # each UPN once
    for h in ctx.rows_with("Header", "UPN", bad):
        if h.UPN and not _UPN.match(h.UPN):
            yield "Header", h


@rule(
    "174",
    "Mother's child date of birth is recorded but sex shows that the child is a male.",
    tables=("Header",),
    fields=("SEX", "MC_DOB"),
)
def rule_174(ctx: Context) -> Iterator[Hit]:
    if ctx.distinct("Header", "MC_DOB") <= {""}:
        return
    for h in ctx.ret.header:
        if h.SEX == "M" and h.MC_DOB:
            yield "Header", h


@rule(
    "209",
    "Child looked after is of school age and should not have an unknown Unique Pupil Number (UPN) code of UN1.",
    tables=("Header",),
    fields=("UPN", "DOB"),
)
def rule_209(ctx: Context) -> Iterator[Hit]:
    """Worked example (2025/26): school age is reached by 31 August 2024 when the 4th birthday is on or before it."""
    reference = ctx.start.replace(year=ctx.start.year - 1, month=8, day=31)
    for h in ctx.rows_with("Header", "UPN", ("UN1",)):
        dob = d(h.DOB)
        if h.UPN == "UN1" and dob is not None and add_years(dob, 4) <= reference:
            yield "Header", h


@rule(
    "210",
    "Children looked after for more than a week at 31 March should not have an unknown Unique Pupil "
    "Number (UPN) code of UN4.",
    tables=("Header", "Episodes"),
    fields=("UPN", "DECOM"),
)
def rule_210(ctx: Context) -> Iterator[Hit]:
    """UN4 ('newly looked after, UPN not yet known') suits only a child whose episode began in the last week
    of the year: an episode open at 31 March that began before 24 March is an error."""
    week_before = ctx.end.replace(day=24)
    for h in ctx.rows_with("Header", "UPN", ("UN4",)):
        if h.UPN != "UN4":
            continue
        for e in ctx.episodes_by_child.get(h.CHILD, []):
            decom = d(e.DECOM)
            if decom is not None and decom < week_before and e.DEC == "":
                yield "Header", h
                yield "Episodes", e


@rule(
    "1014",
    "UASC information is not required for care leavers",
    tables=("Episodes", "UASC", "OC3"),
    fields=("ACTIV", "ACCOM", "IN_TOUCH", "DUC"),
)
def rule_1014(ctx: Context) -> Iterator[Hit]:
    oc3 = ctx.rows_by_child("OC3")
    for u in ctx.ret.uasc:
        eps = ctx.episodes_by_child.get(u.CHILD)
        if not eps:
            continue  # the check is made against the child's episodes
        if any(ctx.in_year(e) or ((decom := d(e.DECOM)) is not None and decom <= ctx.end and e.DEC == "") for e in eps):
            continue
        rows = [o for o in oc3.get(u.CHILD, []) if o.IN_TOUCH or o.ACTIV or o.ACCOM]
        if rows:
            yield "UASC", u
            for o in rows:
                yield "OC3", o


def _changed(ctx: Context, field: str) -> Iterator[Hit]:
    assert ctx.previous is not None
    last = {h.CHILD: h for h in ctx.previous.header}
    for h in ctx.ret.header:
        before = last.get(h.CHILD)
        if before is not None and getattr(h, field).upper() != getattr(before, field).upper():
            yield "Header", h


@rule(
    "202",
    "The gender code conflicts with the gender already recorded for this child.",
    tables=("Header",),
    fields=("SEX",),
    needs_previous=True,
)
def rule_202(ctx: Context) -> Iterator[Hit]:
    yield from _changed(ctx, "SEX")


@rule(
    "203",
    "Date of birth disagrees with the date of birth already recorded for this child.",
    tables=("Header",),
    fields=("DOB",),
    needs_previous=True,
)
def rule_203(ctx: Context) -> Iterator[Hit]:
    assert ctx.previous is not None
    last = {h.CHILD: d(h.DOB) for h in ctx.previous.header}
    for h in ctx.ret.header:
        if h.CHILD in last and d(h.DOB) != last[h.CHILD]:
            yield "Header", h


@rule(
    "204",
    "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
    tables=("Header",),
    fields=("ETHNIC",),
    needs_previous=True,
)
def rule_204(ctx: Context) -> Iterator[Hit]:
    yield from _changed(ctx, "ETHNIC")


@rule(
    "207",
    "Mother status for the current year disagrees with the mother status already recorded for this child.",
    tables=("Header", "Episodes"),
    fields=("MOTHER",),
    needs_previous=True,
)
def rule_207(ctx: Context) -> Iterator[Hit]:
    """Once recorded as a mother (1) last year, a child with episodes this year stays a mother."""
    assert ctx.previous is not None
    last = {h.CHILD: h.MOTHER for h in ctx.previous.header}
    for h in ctx.ret.header:
        if last.get(h.CHILD) == "1" and h.MOTHER != "1" and h.CHILD in ctx.children_with_episodes:
            yield "Header", h


_UN = ("UN1", "UN2", "UN3", "UN4", "UN5")


@rule(
    "208",
    "Unique Pupil Number (UPN) for the current year disagrees with the Unique Pupil Number (UPN) already "
    "recorded for this child.",
    tables=("Header",),
    fields=("UPN",),
    needs_previous=True,
)
def rule_208(ctx: Context) -> Iterator[Hit]:
    """A known UPN may not change; moving from unknown (blank or an UN code) to a real UPN is fine, as is
    moving from UN1 or blank to another UN code."""
    assert ctx.previous is not None
    last = {h.CHILD: h.UPN.upper() for h in ctx.previous.header}
    for h in ctx.ret.header:
        if h.CHILD not in last:
            continue
        now, before = h.UPN.upper(), last[h.CHILD]
        if now == before:
            continue
        if before in ("", "UN1") and now in _UN[1:]:
            continue
        if (before == "" or before in _UN) and now not in ("", *_UN):
            continue
        yield "Header", h


@rule("444", "Duplicate UPN has been reported", tables=("Header",), fields=("UPN",))
def rule_444(ctx: Context) -> Iterator[Hit]:
    """Every child sharing a real UPN (not UN1–UN5) with another child."""
    counts = Counter(ctx.column("Header", "UPN"))
    shared = [upn for upn, n in counts.items() if n > 1 and upn and upn not in _UN]
    for h in ctx.rows_with("Header", "UPN", shared):
        yield "Header", h
