"""Episodes rules (group B): minimum ages for a placement, temporary placements, short breaks, how an
episode ends and the sequence of a child's episodes (RNE against what changed from the episode before)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from operator import attrgetter

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d
from safehold.returns.ssda903.domain.tables import Episode

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
SHORT_BREAKS = ("V3", "V4")
#: The parts of an episode that say where and with whom the child is placed (rules 434–436).
PLACEMENT_FIELDS = ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER")
#: Every reason an episode ends other than X1 ("a new episode begins the same day"): the child left care.
LEFT_CARE = frozenset("E2 E3 E4A E4B E5 E6 E7 E8 E9 E11 E12 E13 E14 E15 E16 E17 E41 E45 E46 E47 E48".split())


_placement_of = attrgetter(*PLACEMENT_FIELDS)


def _placement(e: Episode) -> tuple[str, ...]:
    """The episode's placement fields, as a tuple."""
    placement: tuple[str, ...] = _placement_of(e)
    return placement


def _pairs(ctx: Context) -> list[tuple[Episode, Episode]]:
    """Each (previous, current) pair of a child's consecutive episodes, in start-date order (built once per
    validation and shared by the sequence rules)."""
    return ctx.episode_pairs


# --- Minimum ages for a placement type ----------------------------------------------------------------


def _age_minimum(code: str, message: str, place: str, years: int) -> None:
    """Register rule ``code``: an episode in placement ``place`` may not start before the child is ``years`` old.

    The DfE tool's helper skips episodes with no end date (see rule 371 in docs/returns/903-agreement.md);
    Safehold checks open episodes too, as the rule's text asks."""

    def check(ctx: Context) -> Iterator[Hit]:
        for e in ctx.rows_with("Episodes", "PLACE", (place,)):
            if e.PLACE != place:
                continue
            birthday, decom = ctx.birthday(e.CHILD, years), d(e.DECOM)
            if birthday is not None and decom is not None and decom < birthday:
                yield "Episodes", e

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=("Header", "Episodes"), fields=("DECOM", "PLACE"))(check)


_age_minimum("372", "Child in youth custody or prison should be at least 10.", "R5", 10)
_age_minimum("373", "Child placed in a school should be at least 4 years old.", "S1", 4)
_age_minimum("374", "Child in residential employment should be at least 14 years old.", "P3", 14)


# --- Temporary placements ------------------------------------------------------------------------------


def _longest_stay(code: str, message: str, place: str, days: int) -> None:
    """Register rule ``code``: an ended episode in temporary placement ``place`` lasts at most ``days`` days
    (end date no later than start + ``days``). An open episode is not judged, as in the DfE tool."""
    limit = dt.timedelta(days=days)

    def check(ctx: Context) -> Iterator[Hit]:
        for e in ctx.rows_with("Episodes", "PLACE", (place,)):
            if e.PLACE != place:
                continue
            decom, dec = d(e.DECOM), d(e.DEC)
            if decom is not None and dec is not None and dec > decom + limit:
                yield "Episodes", e

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=("Episodes",), fields=("DECOM", "DEC", "PLACE"))(check)


_longest_stay("375", "Hospitalisation coded as a temporary placement exceeds six weeks.", "T1", 42)
_longest_stay(
    "376",
    "Temporary placements coded as being due to holiday of usual foster carer(s) cannot exceed three weeks.",
    "T3",
    21,
)
_longest_stay(
    "379", "Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.", "T4", 7
)


@rule(
    "377",
    "Only two temporary placements coded as being due to holiday of usual foster carer(s) are allowed in any 12- "
    "month period.",
    tables=("Episodes",),
    fields=("PLACE",),
)
def rule_377(ctx: Context) -> Iterator[Hit]:
    """Every T3 episode among three or more that start within one 12-month period (a start date and the
    day before its anniversary). The DfE tool counts a child's T3 episodes in the whole return, whatever
    their dates; Safehold applies the 12-month window the rule states."""
    if "T3" not in ctx.distinct("Episodes", "PLACE"):
        return
    for eps in ctx.episodes_by_child.values():
        t3 = [(decom, e) for e in eps if e.PLACE == "T3" and (decom := d(e.DECOM)) is not None]
        if len(t3) < 3:
            continue
        flagged: set[int] = set()
        hi = 0
        for lo, (start, _) in enumerate(t3):
            end = add_years(start, 1)
            hi = max(hi, lo)
            while hi + 1 < len(t3) and t3[hi + 1][0] < end:
                hi += 1
            if hi - lo + 1 >= 3:
                flagged.update(range(lo, hi + 1))
        for i in sorted(flagged):
            yield "Episodes", t3[i][1]


@rule(
    "380",
    "A period of care cannot start with a temporary placement.",
    tables=("Episodes",),
    fields=("PLACE", "RNE"),
)
def rule_380(ctx: Context) -> Iterator[Hit]:
    """A temporary placement (T0–T4) is only ever a change of placement: its reason for new episode is P or B."""
    for e in ctx.rows_with("Episodes", "PLACE", TEMPORARY):
        if e.PLACE in TEMPORARY and e.RNE not in ("P", "B"):
            yield "Episodes", e


@rule("381", "A period of care cannot end with a temporary placement.", tables=("Episodes",), fields=("PLACE", "REC"))
def rule_381(ctx: Context) -> Iterator[Hit]:
    """A temporary placement that has ended can only end with X1 (a new episode begins the same day)."""
    for e in ctx.rows_with("Episodes", "PLACE", TEMPORARY):
        if e.PLACE in TEMPORARY and e.REC not in ("", "X1"):
            yield "Episodes", e


@rule(
    "382",
    "A child receiving respite care cannot be in a temporary placement.",
    tables=("Episodes",),
    fields=("LS", "PLACE"),
)
def rule_382(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "LS", SHORT_BREAKS):
        if e.LS in SHORT_BREAKS and e.PLACE in TEMPORARY:
            yield "Episodes", e


@rule(
    "383",
    "A child in a temporary placement must subsequently return to his/her normal placement.",
    tables=("Episodes",),
    fields=("PLACE", "RNE", "PL_POST"),
)
def rule_383(ctx: Context) -> Iterator[Hit]:
    """The episode after a temporary placement is a change of placement (RNE P) back to the placement before
    it: the same placement type and placement postcode. Judged when the child has an episode before the
    temporary one."""
    for eps in ctx.episodes_by_child.values():
        if len(eps) < 3:
            continue
        for before, temporary, after in zip(eps, eps[1:], eps[2:], strict=False):
            if temporary.PLACE in TEMPORARY and (
                after.RNE != "P" or after.PLACE != before.PLACE or after.PL_POST != before.PL_POST
            ):
                yield "Episodes", after


@rule(
    "384",
    "A child receiving respite care cannot be in a long-term foster placement ",
    tables=("Episodes",),
    fields=("LS", "PLACE"),
)
def rule_384(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "LS", SHORT_BREAKS):
        if e.LS in SHORT_BREAKS and e.PLACE in ("U1", "U4"):
            yield "Episodes", e


@rule(
    "426",
    "A child receiving respite care cannot be recorded under a legal status of V3 and V4 in the same year.",
    tables=("Episodes",),
    fields=("LS",),
)
def rule_426(ctx: Context) -> Iterator[Hit]:
    """A child with both V3 and V4 episodes in the return: every one of those episodes is flagged."""
    statuses_in_file = ctx.distinct("Episodes", "LS")
    if "V3" not in statuses_in_file or "V4" not in statuses_in_file:
        return
    for eps in ctx.episodes_by_child.values():
        statuses = {e.LS for e in eps}
        if "V3" in statuses and "V4" in statuses:
            for e in eps:
                if e.LS in SHORT_BREAKS:
                    yield "Episodes", e


@rule(
    "378",
    "A child who is placed with parent(s) cannot be looked after under a single period of accommodation under "
    "Section 20 of the Children Act 1989.",
    tables=("Episodes",),
    fields=("PLACE", "LS"),
)
def rule_378(ctx: Context) -> Iterator[Hit]:
    for e in ctx.rows_with("Episodes", "PLACE", ("P1",)):
        if e.PLACE == "P1" and e.LS == "V2":
            yield "Episodes", e


# --- How an episode ends -------------------------------------------------------------------------------


@rule(
    "385",
    "Date episode ceased must be on or before the end of the current collection year.",
    tables=("Episodes",),
    fields=("DEC",),
)
def rule_385(ctx: Context) -> Iterator[Hit]:
    for e, dec in zip(ctx.ret.episodes, ctx.dates("Episodes", "DEC"), strict=False):
        if dec is not None and dec > ctx.end:
            yield "Episodes", e


def _age_at_end(code: str, message: str, reasons: tuple[str, ...], years: int, *, at_least: bool) -> None:
    """Register rule ``code``: an episode ending for one of ``reasons`` must end before the child's
    ``years``-th birthday (``at_least=False``), or on or after it (``at_least=True``). Judged when both the
    end date and the date of birth are readable."""

    def check(ctx: Context) -> Iterator[Hit]:
        for e in ctx.rows_with("Episodes", "REC", reasons):
            if e.REC not in reasons:
                continue
            birthday, dec = ctx.birthday(e.CHILD, years), d(e.DEC)
            if birthday is None or dec is None:
                continue
            if (dec < birthday) if at_least else (dec >= birthday):
                yield "Episodes", e

    check.__name__ = f"rule_{code}"
    rule(code, message, tables=("Header", "Episodes"), fields=("REC", "DEC", "DOB"))(check)


_age_at_end("386", "Reason episode ceased is adopted but child has reached age 18.", ("E11", "E12"), 18, at_least=False)
_age_at_end(
    "387",
    "Reason episode ceased is child moved into independent living arrangement, but the child is aged under 14.",
    ("E5", "E6"),
    14,
    at_least=True,
)
_age_at_end(
    "389",
    "Reason episode ceased is that child transferred to care of adult social care services, but child is aged "
    "under 16.",
    ("E7",),
    16,
    at_least=True,
)
# 407: "has reached age 18" — the DfE specification's condition is that the date of birth is less than 18 years
# before the end date, so an SGO made on the 18th birthday is flagged (the DfE tool flags only later dates).
_age_at_end(
    "407",
    "Reason episode ceased is Special Guardianship Order, but child has reached age 18.",
    ("E45", "E46", "E47", "E48"),
    18,
    at_least=False,
)
_age_at_end(
    "460",
    "Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged under 18.",
    ("E17",),
    18,
    at_least=True,
)


@rule(
    "388",
    "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
    tables=("Episodes",),
    fields=("REC", "DEC"),
)
def rule_388(ctx: Context) -> Iterator[Hit]:
    """X1 means the next episode starts the day this one ends: an X1 episode followed by one starting
    another day, an episode followed by one starting the day it ended but with a reason other than X1,
    and a child's last episode ended with X1 are all flagged."""
    for e, nxt in _pairs(ctx):
        if e.REC == "":
            continue
        dec, next_start = d(e.DEC), d(nxt.DECOM)
        if dec is not None and next_start is not None and (e.REC == "X1") != (dec == next_start):
            yield "Episodes", e
    if "X1" not in ctx.distinct("Episodes", "REC"):
        return
    for eps in ctx.episodes_by_child.values():
        last = eps[-1]
        if last.REC == "X1" and d(last.DEC) is not None:
            yield "Episodes", last


@rule(
    "390",
    "Reason episode ceased is adopted but child has not been previously placed for adoption.",
    tables=("Episodes",),
    fields=("REC", "PLACE"),
)
def rule_390(ctx: Context) -> Iterator[Hit]:
    """An episode ending in adoption (E11/E12) is a placement for adoption (A3–A6)."""
    for e in ctx.rows_with("Episodes", "REC", ("E11", "E12")):
        if e.REC in ("E11", "E12") and e.PLACE not in ("A3", "A4", "A5", "A6"):
            yield "Episodes", e


@rule(
    "408",
    "Child is placed for adoption with a placement order, but no placement order has been recorded.",
    tables=("Episodes",),
    fields=("PLACE", "LS"),
)
def rule_408(ctx: Context) -> Iterator[Hit]:
    """Placement types A5/A6 (placed with a placement order) need legal status E1 (placement order granted)."""
    for e in ctx.rows_with("Episodes", "PLACE", ("A5", "A6")):
        if e.PLACE in ("A5", "A6") and e.LS != "E1":
            yield "Episodes", e


@rule(
    "446",
    "E1 is not a valid code for episodes starting before December 2005.",
    tables=("Episodes",),
    fields=("LS", "DECOM"),
)
def rule_446(ctx: Context) -> Iterator[Hit]:
    """Placement orders (E1) began on 30 December 2005; the DfE check is a start before 1 December 2005."""
    first = dt.date(2005, 12, 1)
    for e in ctx.rows_with("Episodes", "LS", ("E1",)):
        decom = d(e.DECOM)
        if e.LS == "E1" and decom is not None and decom < first:
            yield "Episodes", e


# --- The sequence of a child's episodes ----------------------------------------------------------------


@rule(
    "431",
    "The reason for new episode is started to be looked after, but the previous episode ended on the same day.",
    tables=("Episodes",),
    fields=("RNE", "DECOM"),
)
def rule_431(ctx: Context) -> Iterator[Hit]:
    """A new period of care (RNE S) must start after the previous episode ended (a start on or before that
    day is flagged)."""
    for prev, e in _pairs(ctx):
        if e.RNE != "S":
            continue
        decom, prev_dec = d(e.DECOM), d(prev.DEC)
        if decom is not None and prev_dec is not None and decom <= prev_dec:
            yield "Episodes", e


@rule(
    "432",
    "The child ceased to be looked after at the end of the previous episode but the reason for the new episode is "
    "not started to be looked after.",
    tables=("Episodes",),
    fields=("RNE",),
)
def rule_432(ctx: Context) -> Iterator[Hit]:
    """After an episode that ended with the child leaving care (any reason but X1), the next starts a new
    period of care (RNE S)."""
    for prev, e in _pairs(ctx):
        if prev.REC in LEFT_CARE and e.RNE != "S":
            yield "Episodes", e


@rule(
    "433",
    "The reason for new episode suggests that this is a continuation episode, but the episode does not start on "
    "the same day as the last episode finished.",
    tables=("Episodes",),
    fields=("RNE", "DECOM"),
)
def rule_433(ctx: Context) -> Iterator[Hit]:
    """A continuation episode (RNE P, L, T, U or B) that follows another starts the day that one ended;
    a missing or unreadable date on either side is flagged too."""
    for prev, e in _pairs(ctx):
        if e.RNE not in ("P", "L", "T", "U", "B"):
            continue
        decom, prev_dec = d(e.DECOM), d(prev.DEC)
        if decom is None or prev_dec is None or decom != prev_dec:
            yield "Episodes", e


@rule(
    "434",
    "Reason for new episode is that child's legal status has changed but not the placement, but this is not "
    "reflected in the episode data.",
    tables=("Episodes",),
    fields=("RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"),
)
def rule_434(ctx: Context) -> Iterator[Hit]:
    """RNE L: the legal status differs from the previous episode's, and the placement (type, postcode, URN,
    provider) is the same."""
    for prev, e in _pairs(ctx):
        if e.RNE == "L" and (e.LS == prev.LS or _placement(e) != _placement(prev)):
            yield "Episodes", e


@rule(
    "435",
    "Reason for new episode is that child’s placement has changed but not the legal status, but this is not "
    "reflected in the episode data recorded.",
    tables=("Episodes",),
    fields=("RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"),
)
def rule_435(ctx: Context) -> Iterator[Hit]:
    """RNE P or T: the legal status is the previous episode's, and something about the placement (type,
    postcode, URN, provider) differs. A blank field equals a blank field, as in rules 434 and 436; the DfE
    tool's 435 alone compares blanks as different, so it misses a "change" of placement to an identical
    placement when, say, both URNs are blank (P1, T0–T4 placements)."""
    for prev, e in _pairs(ctx):
        if e.RNE in ("P", "T") and (e.LS != prev.LS or _placement(e) == _placement(prev)):
            yield "Episodes", e


@rule(
    "436",
    "Reason for new episode is that both child’s placement and legal status have changed, but this is not "
    "reflected in the episode data.",
    tables=("Episodes",),
    fields=("RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"),
)
def rule_436(ctx: Context) -> Iterator[Hit]:
    """RNE B or U: both the legal status and something about the placement differ from the previous episode."""
    for prev, e in _pairs(ctx):
        if e.RNE in ("B", "U") and (e.LS == prev.LS or _placement(e) == _placement(prev)):
            yield "Episodes", e


@rule(
    "437",
    "Reason episode ceased is child has died or is aged 18 or over but there are further episodes.",
    tables=("Episodes",),
    fields=("REC",),
)
def rule_437(ctx: Context) -> Iterator[Hit]:
    """An episode ended by death (E2) or an age assessment finding the child 18 or over (E15) is the child's last."""
    for prev, _ in _pairs(ctx):
        if prev.REC in ("E2", "E15") and d(prev.DECOM) is not None:
            yield "Episodes", prev
