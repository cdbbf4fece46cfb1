"""Header rules on motherhood (MOTHER, MC_DOB): 607, 611, 612, 620, 621, 624, 625, 626, 628.

MOTHER is 1 (the child is a mother) or 0; MC_DOB is the date of birth of her first child (STATUTE.md §7.1).
"""

from __future__ import annotations

from collections.abc import Iterator

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d
from safehold.returns.ssda903.domain.tables import Episode


def _ceases_care_in_year(ctx: Context, e: Episode) -> bool:
    """The episode ends a period of care (a reason other than X1) during the year, and is not a short break."""
    dec = d(e.DEC)
    return dec is not None and ctx.start <= dec <= ctx.end and e.REC not in ("", "X1") and e.LS not in ("V3", "V4")


@rule(
    "607",
    "Child ceased to be looked after in the year, but mother field has not been completed.",
    tables=("Header", "Episodes"),
    fields=("MOTHER", "SEX", "DEC", "REC", "LS"),
)
def rule_607(ctx: Context) -> Iterator[Hit]:
    """A girl whose period of care ended in the year (not a V3/V4 short break) must have MOTHER recorded."""
    for h in ctx.ret.header:
        if h.SEX != "F" or h.MOTHER != "":
            continue
        for e in ctx.episodes_by_child.get(h.CHILD, ()):
            if _ceases_care_in_year(ctx, e):
                yield "Header", h
                yield "Episodes", e


@rule("611", "Date of birth field is blank, but child is a mother.", tables=("Header",), fields=("MOTHER", "MC_DOB"))
def rule_611(ctx: Context) -> Iterator[Hit]:
    for h in ctx.rows_with("Header", "MOTHER", ("1",)):
        if h.MOTHER == "1" and h.MC_DOB == "":
            yield "Header", h


@rule(
    "612",
    "Date of birth field has been completed but mother field indicates child is not a mother.",
    tables=("Header",),
    fields=("SEX", "MOTHER", "MC_DOB"),
)
def rule_612(ctx: Context) -> Iterator[Hit]:
    """A girl with MC_DOB recorded must be MOTHER 1 (a boy with MC_DOB is rule 174)."""
    for h in ctx.ret.header:
        if h.SEX == "F" and h.MC_DOB != "" and h.MOTHER in ("", "0"):
            yield "Header", h


@rule(
    "620",
    "Child has been recorded as a mother, but date of birth shows that the mother is under 11 years of age.",
    tables=("Header",),
    fields=("MOTHER", "DOB"),
)
def rule_620(ctx: Context) -> Iterator[Hit]:
    """Under 11 at the start of the collection year (1 April)."""
    for h in ctx.rows_with("Header", "MOTHER", ("1",)):
        if h.MOTHER != "1":
            continue
        dob = d(h.DOB)
        if dob is not None and add_years(dob, 11) > ctx.start:
            yield "Header", h


@rule(
    "621",
    "Mother’s field has been completed but date of birth shows that the mother is younger than her child.",
    tables=("Header",),
    fields=("DOB", "MC_DOB"),
)
def rule_621(ctx: Context) -> Iterator[Hit]:
    """MC_DOB, when a real date, must be after the mother's own date of birth (the same day is flagged)."""
    for h in ctx.ret.header:
        if h.MC_DOB == "":
            continue
        child_born, mother_born = d(h.MC_DOB), d(h.DOB)
        if child_born is not None and mother_born is not None and child_born <= mother_born:
            yield "Header", h


@rule(
    "624",
    "Date of birth of the first child contradicts the date of birth of the first child previously recorded.",
    tables=("Header",),
    fields=("MC_DOB",),
    needs_previous=True,
)
def rule_624(ctx: Context) -> Iterator[Hit]:
    """Once last year's return recorded MC_DOB, this year's must be the same date (compared as dates when both
    are readable, else as written)."""
    assert ctx.previous is not None
    last = {h.CHILD: h.MC_DOB for h in ctx.previous.header if h.MC_DOB != ""}
    for h in ctx.ret.header:
        before = last.get(h.CHILD)
        if before is None:
            continue
        now_date, before_date = d(h.MC_DOB), d(before)
        same = now_date == before_date if now_date is not None and before_date is not None else h.MC_DOB == before
        if not same:
            yield "Header", h


@rule(
    "625",
    "Date of birth of the first child is beyond the end of this reporting year or the date the child ceased to be "
    "looked after.",
    tables=("Header", "Episodes"),
    fields=("MC_DOB", "DEC"),
)
def rule_625(ctx: Context) -> Iterator[Hit]:
    """MC_DOB must not be after 31 March, nor after the end of the child's latest episode when that episode has
    ended (the child ceased to be looked after then).

    Interpretation: "the date the child ceased to be looked after" is the end of the child's *latest* episode
    (the last by start date). When that episode is still open the child has not ceased to be looked after, so
    only the year-end check applies; the DfE tool instead compares with the latest end date among ended
    episodes, which for a child who moved placement and is still in care is the move date
    (docs/returns/903-agreement.md)."""
    for h in ctx.ret.header:
        born = d(h.MC_DOB)
        if born is None:
            continue
        if born > ctx.end:
            yield "Header", h
            continue
        last = ctx.last_episode(h.CHILD)
        if last is None:
            continue
        ended = d(last.DEC)
        if ended is not None and born > ended:
            yield "Header", h
            yield "Episodes", last


@rule(
    "626",
    "Child was reported as a mother but the date of birth of the first child is before the current year which "
    "contradicts with the mother status recorded last year.",
    tables=("Header",),
    fields=("MOTHER", "MC_DOB"),
    needs_previous=True,
)
def rule_626(ctx: Context) -> Iterator[Hit]:
    """Not a mother (0) last year, a mother (1) now: her first child must have been born this year."""
    assert ctx.previous is not None
    last = {h.CHILD: h.MOTHER for h in ctx.previous.header}
    for h in ctx.rows_with("Header", "MOTHER", ("1",)):
        if h.MOTHER != "1" or last.get(h.CHILD) != "0":
            continue
        born = d(h.MC_DOB)
        if born is not None and born < ctx.start:
            yield "Header", h


@rule(
    "628",
    "Motherhood details are not required for care leavers who have not been looked after during the year.",
    tables=("Header", "Episodes", "OC3"),
    fields=("MOTHER",),
)
def rule_628(ctx: Context) -> Iterator[Hit]:
    """A care leaver (an OC3 row with any of IN_TOUCH, ACTIV, ACCOM) with no episode in the return has MOTHER
    blank."""
    oc3 = ctx.rows_by_child("OC3")
    with_episodes = ctx.children_with_episodes
    for h in ctx.ret.header:
        if h.MOTHER == "" or h.CHILD in with_episodes:
            continue
        if any(o.IN_TOUCH or o.ACTIV or o.ACCOM for o in oc3.get(h.CHILD, ())):
            yield "Header", h
