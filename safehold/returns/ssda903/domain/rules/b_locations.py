"""Placement location and short-break rules (group B): postcodes and the distance and LA of placement the DfE
derives from them, UASC children, and what a child looked after only for short breaks (V3/V4) does not have
recorded; with the header and care-leaver checks that depend on the same facts.

The DfE tool derives the placement distance (PL_DISTANCE) and the LA of placement (PL_LA, PL_LOCATION) from
HOME_POST and PL_POST with the ONS postcode directory. Safehold does not hold that directory, so it takes a
distance (or an LA of placement) to be derivable exactly when the postcode(s) are given in a valid form. The
rules that need the derived values themselves (411 location against LA, 452 LA against last year, 453 distance
against last year, 454 distance over 350 miles) are not implemented.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d, uk_postcode
from safehold.returns.ssda903.domain.tables import Episode

SHORT_BREAKS = ("V3", "V4")


def valid_postcode(value: str) -> bool:
    """A UK postcode's form (any spacing, letters in either case: see ``_common.uk_postcode``)."""
    return uk_postcode(value) is not None


def _derivable_distance(e: Episode) -> bool:
    """The DfE tool would derive a placement distance: both postcodes are given and valid."""
    return valid_postcode(e.HOME_POST) and valid_postcode(e.PL_POST)


def _underivable(ctx: Context) -> list[Episode]:
    """The episodes from which no distance would be derived (a postcode blank or invalid), in file order; each
    distinct postcode is checked once, and most episodes are passed over with two set look-ups."""

    def build() -> list[Episode]:
        bad_home = {p for p in ctx.distinct("Episodes", "HOME_POST") if not valid_postcode(p)}
        bad_place = {p for p in ctx.distinct("Episodes", "PL_POST") if not valid_postcode(p)}
        if not bad_home and not bad_place:
            return []
        return [
            e
            for e, home, place in zip(
                ctx.ret.episodes, ctx.column("Episodes", "HOME_POST"), ctx.column("Episodes", "PL_POST"), strict=False
            )
            if home in bad_home or place in bad_place
        ]

    return ctx.memo("b_locations.underivable", build)


def _uasc_children(ctx: Context) -> set[str]:
    """Children who are or were UASC, as far as the data loaded shows: in this year's UASC table or last year's."""
    children = {u.CHILD for u in ctx.ret.uasc}
    if ctx.previous is not None:
        children.update(u.CHILD for u in ctx.previous.uasc)
    return children


# --- Postcodes and distance ----------------------------------------------------------------------------


@rule(
    "392a",
    "Child is looked after but no distance is recorded. [NOTE: This check may result in false positives for "
    "children formerly UASC]",
    tables=("Episodes", "UASC"),
    fields=("HOME_POST", "PL_POST"),
)
def rule_392a(ctx: Context) -> Iterator[Hit]:
    """An episode (not a short break) of a child never known as UASC has no derivable distance: a postcode is
    missing or invalid. The DfE tool also finds no distance for a well-formed postcode missing from the ONS
    directory; Safehold cannot tell those apart (see the module docstring)."""
    uasc = _uasc_children(ctx)
    for e in _underivable(ctx):
        if e.LS not in SHORT_BREAKS and e.CHILD not in uasc:
            yield "Episodes", e


@rule(
    "392b",
    "Child is looked after but no postcodes are recorded. [NOTE: This check may result in false positives for "
    "children formerly UASC, particularly if current & prior year UASC data not loaded]",
    tables=("Episodes",),
    fields=("HOME_POST", "PL_POST"),
)
def rule_392b(ctx: Context) -> Iterator[Hit]:
    """An episode (not a short break) of a child never known as UASC lacks the home or the placement postcode."""
    uasc = _uasc_children(ctx)
    for e in _underivable(ctx):  # a blank postcode is not a valid one
        if e.LS not in SHORT_BREAKS and e.CHILD not in uasc and (e.HOME_POST == "" or e.PL_POST == ""):
            yield "Episodes", e


@rule("392c", "Postcode(s) provided are invalid.", tables=("Episodes",), fields=("HOME_POST", "PL_POST"))
def rule_392c(ctx: Context) -> Iterator[Hit]:
    """A home or placement postcode that is not in the form of a UK postcode. (The DfE tool looks each one up
    in the ONS postcode directory; Safehold checks the form only.)"""
    for e in _underivable(ctx):
        if (e.HOME_POST and not valid_postcode(e.HOME_POST)) or (e.PL_POST and not valid_postcode(e.PL_POST)):
            yield "Episodes", e


@rule(
    "398",
    "Distance field completed but child looked after under legal status V3 or V4.",
    tables=("Episodes",),
    fields=("LS", "HOME_POST", "PL_POST"),
)
def rule_398(ctx: Context) -> Iterator[Hit]:
    """A short-break episode records neither postcode (the distance is derived from them; the DfE tool flags
    either postcode being given)."""
    for e in ctx.rows_with("Episodes", "LS", SHORT_BREAKS):
        if e.LS in SHORT_BREAKS and (e.HOME_POST or e.PL_POST):
            yield "Episodes", e


@rule(
    "406",
    "Child is Unaccompanied Asylum-Seeking Child (UASC) or was formerly UASC. Distance should be blank. [NOTE: "
    "This check will result in false negatives for children formerly UASC not identified as such in loaded data]",
    tables=("Episodes", "UASC"),
    fields=("HOME_POST", "PL_POST"),
)
def rule_406(ctx: Context) -> Iterator[Hit]:
    """An episode of a child in this year's or last year's UASC table from which a distance would be derived
    (both postcodes given and valid)."""
    uasc = _uasc_children(ctx)
    if not uasc:
        return
    for e in ctx.ret.episodes:
        if e.CHILD in uasc and _derivable_distance(e):
            yield "Episodes", e


@rule(
    "420",
    "LA of placement completed but child is looked after under legal status V3 or V4.",
    tables=("Episodes",),
    fields=("LS", "PL_POST"),
)
def rule_420(ctx: Context) -> Iterator[Hit]:
    """A short-break episode from whose placement postcode an LA of placement would be derived (a valid PL_POST)."""
    for e in ctx.rows_with("Episodes", "LS", SHORT_BREAKS):
        if e.LS in SHORT_BREAKS and valid_postcode(e.PL_POST):
            yield "Episodes", e


# --- Short breaks and the header -----------------------------------------------------------------------


def _looked_after_not_only_short_breaks(ctx: Context) -> set[str]:
    """Children with an episode other than a short break (built once, for 393 and 442)."""
    return ctx.memo(
        "b_locations.not_only_short_breaks",
        lambda: {
            child
            for child, ls in zip(ctx.column("Episodes", "CHILD"), ctx.column("Episodes", "LS"), strict=False)
            if ls not in SHORT_BREAKS
        },
    )


@rule(
    "393",
    "Child is looked after but mother field is not completed.",
    tables=("Header", "Episodes"),
    fields=("MOTHER",),
)
def rule_393(ctx: Context) -> Iterator[Hit]:
    """A girl with any episode other than a short break has MOTHER recorded."""
    looked_after = _looked_after_not_only_short_breaks(ctx)
    for h in ctx.rows_with("Header", "MOTHER", ("",)):
        if h.SEX == "F" and h.MOTHER == "" and h.CHILD in looked_after:
            yield "Header", h


@rule(
    "442",
    "Unique Pupil Number (UPN) field is not completed.",
    tables=("Header", "Episodes"),
    fields=("UPN", "LS"),
)
def rule_442(ctx: Context) -> Iterator[Hit]:
    """A child with any episode other than a short break has a UPN (or one of the UN1–UN5 codes)."""
    looked_after = _looked_after_not_only_short_breaks(ctx)
    for h in ctx.rows_with("Header", "UPN", ("",)):
        if h.UPN == "" and h.CHILD in looked_after:
            yield "Header", h


@rule(
    "399",
    "Mother field, review field or participation field are completed but child is looked after under legal status "
    "V3 or V4.",
    tables=("Episodes", "Header", "Reviews"),
    fields=("LS", "MOTHER", "REVIEW", "REVIEW_CODE"),
)
def rule_399(ctx: Context) -> Iterator[Hit]:
    """A child whose every episode is a short break (V3/V4) has no MOTHER and no review or participation code.
    The child's short-break episodes, header and reviews are flagged."""
    # Only a child with a short break can have nothing but short breaks.
    candidates = set(map(attrgetter("CHILD"), ctx.rows_with("Episodes", "LS", SHORT_BREAKS)))
    if not candidates:
        return
    reviews = ctx.rows_by_child("Reviews")
    for child, eps in ctx.episodes_by_child.items():
        if child not in candidates or any(e.LS not in SHORT_BREAKS for e in eps):
            continue
        h = ctx.header_by_child.get(child)
        child_reviews = [r for r in reviews.get(child, []) if r.REVIEW or r.REVIEW_CODE]
        if (h is None or h.MOTHER == "") and not child_reviews:
            continue
        for e in eps:
            yield "Episodes", e
        if h is not None:
            yield "Header", h
        for r in child_reviews:
            yield "Reviews", r


# --- Care leavers --------------------------------------------------------------------------------------


@rule(
    "391",
    "Young person was not 17, 18, 19, 20 or 21 during the current collection year. ",
    tables=("OC3",),
    fields=("DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
)
def rule_391(ctx: Context) -> Iterator[Hit]:
    """Care leaver information (any of IN_TOUCH, ACTIV, ACCOM) is only for a young person aged 17 to 21 at
    some time in the year: the 17th birthday on or before 31 March and the 22nd after 1 April. The DfE tool
    checks only the lower bound; Safehold checks both, as the rule's text states."""
    for o in ctx.ret.oc3:
        dob = d(o.DOB)
        if dob is None or not (o.IN_TOUCH or o.ACTIV or o.ACCOM):
            continue
        if add_years(dob, 17) > ctx.end or add_years(dob, 22) <= ctx.start:
            yield "OC3", o
