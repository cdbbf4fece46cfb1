"""Episode sequence and placement provider rules, continuity with last year's return (episodes and missing
periods), and the OC2 conviction and health promotion items.

Each rule reads its DfE text (the 2025/26 and 2026/27 rule lists; STATUTE.md §7); where the text leaves a choice
open, the docstring says which reading Safehold takes and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d
from safehold.returns.ssda903.domain.tables import Episode

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
#: Placements that take no placement provider (temporary moves; Z11–Z14 replaced Z1 in 2025/26).
NO_PROVIDER = (*TEMPORARY, "Z11", "Z12", "Z13", "Z14")
FOSTER_OR_ADOPTION = ("A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6")
OC2_CORE = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")


@rule(
    "501",
    "A new episode has started before the end date of the previous episode.",
    tables=("Episodes",),
    fields=("DECOM", "DEC"),
)
def rule_501(ctx: Context) -> Iterator[Hit]:
    """In start-date order, an episode that starts before the previous one ended (the later one is flagged)."""
    for prev, cur in ctx.episode_pairs:
        start, ended = d(cur.DECOM), d(prev.DEC)
        if start is not None and ended is not None and start < ended:
            yield "Episodes", cur


@rule(
    "516",
    "The episode data submitted for this child does not show that he/she was with their former foster carer(s) "
    "during the year.If the code in the reason episode ceased is E45 or E46 the child must have a placement code of "
    "U1 to U6.",
    tables=("Episodes",),
    fields=("REC", "PLACE"),
)
def rule_516(ctx: Context) -> Iterator[Hit]:
    """Staying put (E45/E46) ends an episode in foster care (U1–U6)."""
    for e in ctx.rows_with("Episodes", "REC", ("E45", "E46")):
        if e.REC in ("E45", "E46") and e.PLACE not in ("U1", "U2", "U3", "U4", "U5", "U6"):
            yield "Episodes", e


@rule(
    "526",
    "Child is missing a placement provider code for at least one episode.",
    tables=("Episodes",),
    fields=("PLACE", "PLACE_PROVIDER"),
)
def rule_526(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "PLACE_PROVIDER", ("",)):
        if e.PLACE_PROVIDER == "" and e.PLACE not in NO_PROVIDER:
            yield "Episodes", e


def _provider_excludes(code: str, message: str, provider: str, placements: tuple[str, ...]) -> None:
    """Register rule ``code``: placement provider ``provider`` cannot provide any of ``placements``."""

    def check(ctx: Context) -> Iterator[Hit]:
        pairs = ctx.distinct_tuples("Episodes", "PLACE_PROVIDER", "PLACE")
        if not any((provider, place) in pairs for place in placements):
            return
        for e in ctx.rows_with("Episodes", "PLACE_PROVIDER", (provider,)):
            if e.PLACE_PROVIDER == provider and e.PLACE in placements:
                yield "Episodes", e

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=("Episodes",), fields=("PLACE", "PLACE_PROVIDER"))(check)


_provider_excludes(
    "527",
    "A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.",
    "PR1",
    ("P1", "R2", "R5"),
)
_provider_excludes(
    "528",
    "A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.",
    "PR2",
    ("P1", "R2", "R5"),
)
_provider_excludes(
    "529",
    "Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these "
    "placements cannot be provided by other public organisations.",
    "PR3",
    ("P1", "K1", "K2", *FOSTER_OR_ADOPTION),
)
_provider_excludes("530", "A placement provider code of PR4 cannot be associated with placement P1.", "PR4", ("P1",))
_provider_excludes("531", "A placement provider code of PR5 cannot be associated with placements P1.", "PR5", ("P1",))


@rule(
    "550",
    "A placement provider code of PR0 can only be associated with placement P1.",
    tables=("Episodes",),
    fields=("PLACE", "PLACE_PROVIDER"),
)
def rule_550(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "PLACE_PROVIDER", ("PR0",)):
        if e.PLACE_PROVIDER == "PR0" and e.PLACE != "P1":
            yield "Episodes", e


# --- OC2: convictions and health promotion ------------------------------------------------------------------


def _aged_at_end(ctx: Context, dob_text: str, years: int) -> bool | None:
    """The child is ``years`` or older on 31 March (None when the date of birth is unreadable)."""
    dob = d(dob_text)
    return None if dob is None else add_years(dob, years) <= ctx.end


@rule(
    "542",
    "A child aged under 10 at 31 March should not have conviction information completed.",
    tables=("OC2",),
    fields=("CONVICTED", "DOB"),
)
def rule_542(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        if o.CONVICTED != "" and _aged_at_end(ctx, o.DOB, 10) is False:
            yield "OC2", o


@rule(
    "543",
    "Child is aged 10 or over at 31 March and has been looked after continuously for 12 months yet conviction "
    "information has not been completed.",
    tables=("OC2", "Episodes"),
    fields=("CONVICTED", "DOB"),
)
def rule_543(ctx: Context) -> Iterator[Hit]:
    """Aged 10 or over at 31 March includes a 10th birthday on 31 March itself (the sector validator requires
    the birthday to be before 31 March, leaving that day out of both 542 and 543)."""
    for o in ctx.ret.oc2:
        if o.CONVICTED == "" and o.CHILD in ctx.continuously_looked_after and _aged_at_end(ctx, o.DOB, 10):
            yield "OC2", o


@rule(
    "544",
    "Any child who has conviction information completed must also have immunisation, teeth check, health "
    "assessment and substance misuse problem identified fields completed.",
    tables=("OC2",),
    fields=("CONVICTED", *OC2_CORE),
)
def rule_544(ctx: Context) -> Iterator[Hit]:
    """Conviction information 'completed' is read as a conviction recorded (CONVICTED = 1), as the DfE
    specification and the sector validator do; any other OC2 item given with a core item blank is rule 182."""
    for o in ctx.rows_with("OC2", "CONVICTED", ("1",)):
        if o.CONVICTED == "1" and any(getattr(o, f) == "" for f in OC2_CORE):
            yield "OC2", o


@rule(
    "545",
    "Child is aged under 5 at 31 March and has been looked after continuously for 12 months yet health promotion "
    "information has not been completed.",
    tables=("OC2", "Episodes"),
    fields=("HEALTH_CHECK", "DOB"),
)
def rule_545(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        if o.HEALTH_CHECK == "" and o.CHILD in ctx.continuously_looked_after and _aged_at_end(ctx, o.DOB, 5) is False:
            yield "OC2", o


@rule(
    "546",
    "Children aged 5 or over at 31 March should not have health promotion information completed.",
    tables=("OC2", "Episodes"),
    fields=("HEALTH_CHECK", "DOB"),
)
def rule_546(ctx: Context) -> Iterator[Hit]:
    """DfE specification: for the OC2 cohort (looked after continuously for 12 months); an OC2 row for a child
    outside the cohort is reported by the cohort rules instead."""
    for o in ctx.ret.oc2:
        if o.HEALTH_CHECK != "" and o.CHILD in ctx.continuously_looked_after and _aged_at_end(ctx, o.DOB, 5):
            yield "OC2", o


@rule(
    "547",
    "Any child who has health promotion information completed must also have immunisation, teeth check, health "
    "assessment and substance misuse problem identified fields completed.",
    tables=("OC2",),
    fields=("HEALTH_CHECK", *OC2_CORE),
)
def rule_547(ctx: Context) -> Iterator[Hit]:
    """Health promotion 'completed' is read as a health check recorded (HEALTH_CHECK = 1), as for 544."""
    for o in ctx.rows_with("OC2", "HEALTH_CHECK", ("1",)):
        if o.HEALTH_CHECK == "1" and any(getattr(o, f) == "" for f in OC2_CORE):
            yield "OC2", o


# --- continuity with last year's return ---------------------------------------------------------------------


def _last_episodes(ctx: Context) -> dict[str, Episode]:
    """Each child's latest episode (by start date) in last year's return."""
    cache: dict[str, Episode] | None = ctx.__dict__.get("_c_last_episodes")
    if cache is None:
        assert ctx.previous is not None
        cache = {}
        best: dict[str, dt.date] = {}
        for e in ctx.previous.episodes:
            start = d(e.DECOM)
            if start is not None and (e.CHILD not in best or start > best[e.CHILD]):
                best[e.CHILD], cache[e.CHILD] = start, e
        ctx.__dict__["_c_last_episodes"] = cache
    return cache


def _first_episode(ctx: Context, child: str) -> Episode | None:
    """The child's first dated episode this year."""
    for e in ctx.episodes_by_child.get(child, ()):
        if d(e.DECOM) is not None:
            return e
    return None


def _continued(ctx: Context) -> list[tuple[Episode, Episode]]:
    """(last year's open final episode, this year's first episode) for each child whose latest episode in last
    year's return had no end date (built once per validation)."""
    pairs: list[tuple[Episode, Episode]] | None = ctx.__dict__.get("_c_continued")
    if pairs is None:
        pairs = []
        for child, last in _last_episodes(ctx).items():
            if last.DEC != "":
                continue
            first = _first_episode(ctx, child)
            if first is not None:
                pairs.append((last, first))
        ctx.__dict__["_c_continued"] = pairs
    return pairs


@rule(
    "502",
    "Last year's record ended with an open episode. The date on which that episode started does not match the "
    "start date of the first episode on this year’s record.",
    tables=("Episodes",),
    fields=("DECOM",),
    needs_previous=True,
)
def rule_502(ctx: Context) -> Iterator[Hit]:
    for last, first in _continued(ctx):
        if d(first.DECOM) != d(last.DECOM):
            yield "Episodes", first


def _carried_over(code: str, message: str, field: str) -> None:
    """Register rule ``code``: this year's first episode keeps ``field`` of last year's open final episode."""

    def check(ctx: Context) -> Iterator[Hit]:
        z1_split = ctx.cy.year == 2026 and field == "PLACE"
        for last, first in _continued(ctx):
            before, now = getattr(last, field), getattr(first, field)
            if before == now:
                continue
            if z1_split and before == "Z1" and now in ("Z11", "Z12", "Z13", "Z14"):
                continue  # 2025/26: Z1 was split into Z11–Z14
            yield "Episodes", first

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=("Episodes",), fields=(field,), needs_previous=True)(check)


_carried_over(
    "503A",
    "The reason for new episode in the first episode does not match open episode at end of last year.",
    "RNE",
)
_carried_over(
    "503B",
    "The legal status in the first episode does not match open episode at end of last year.",
    "LS",
)
_carried_over(
    "503C",
    "The category of need in the first episode does not match open episode at end of last year.",
    "CIN",
)
_carried_over(
    "503D",
    "The placement type in the first episode does not match open episode at end of last year",
    "PLACE",
)
_carried_over(
    "503E",
    "The placement provider in the first episode does not match open episode at end of last year.",
    "PLACE_PROVIDER",
)
_carried_over(
    "503F",
    "The Ofsted URN in the  first episode does not match open episode at end of last year.",
    "URN",
)


@rule(
    "562",
    "Episode commenced before the start of the current collection year but there is a missing continuous episode "
    "in the previous year.",
    tables=("Episodes",),
    fields=("DECOM",),
    needs_previous=True,
)
def rule_562(ctx: Context) -> Iterator[Hit]:
    """The child's first episode starting before 1 April must be last year's latest episode (same start)."""
    last = _last_episodes(ctx)
    for child, eps in ctx.episodes_by_child.items():
        first = next((e for e in eps if (d(e.DECOM) or ctx.start) < ctx.start), None)
        if first is None:
            continue
        before = last.get(child)
        if before is None or d(before.DECOM) != d(first.DECOM):
            yield "Episodes", first


@rule(
    "576",
    "There is an open missing/away from placement without authorisation period in last year’s return and there is "
    "no corresponding period recorded at the start of this year.",
    tables=("Missing", "Header"),
    fields=("MIS_START",),
    needs_previous=True,
)
def rule_576(ctx: Context) -> Iterator[Hit]:
    """A period open at the end of last year (no MIS_END) must be this year's first period for the child, with the
    same start. When a child looked after this year has no period at all this year, the child's Header row is
    flagged."""
    assert ctx.previous is not None
    missing = ctx.rows_by_child("Missing")
    far = dt.date.max
    for q in ctx.previous.missing:
        if q.MIS_END != "":
            continue
        started = d(q.MIS_START)
        if started is None:
            continue
        rows: list[Any] = missing.get(q.CHILD, [])
        if not rows:
            header = ctx.header_by_child.get(q.CHILD)
            if header is not None and q.CHILD in ctx.children_with_episodes:
                yield "Header", header
            continue
        first = min(rows, key=lambda m: d(m.MIS_START) or far)
        if d(first.MIS_START) != started:
            yield "Missing", first
