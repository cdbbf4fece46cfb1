"""Episode dates and lengths: ages at the start, impossible dates, the time limits of short-term legal
statuses and short breaks, and children with no episodes (this year or last)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d, uk_postcode
from safehold.returns.ssda903.domain.tables import Episode

SHORT_BREAKS = ("V3", "V4")
#: The Children Act 1989 came into force on 14 October 1991.
ACT_IN_FORCE = dt.date(1991, 10, 14)


@rule(
    "352",
    "Child who started to be looked after was aged 18 or over.",
    tables=("Header", "Episodes"),
    fields=("DECOM", "RNE"),
)
def rule_352(ctx: Context) -> Iterator[Hit]:
    """An episode starting a period of care (RNE S) on or after the 18th birthday."""
    dobs = ctx.dobs
    latest = max(filter(None, ctx.dates("Episodes", "DECOM")), default=None)
    if latest is None:
        return
    # Only a child 18 by the end of the year of the latest start can have started care at 18 or over.
    adults = {child for child, dob in dobs.items() if dob is not None and dob.year + 18 <= latest.year}
    if not adults:
        return
    for e, rne, decom, child in zip(
        ctx.ret.episodes,
        ctx.column("Episodes", "RNE"),
        ctx.dates("Episodes", "DECOM"),
        ctx.column("Episodes", "CHILD"),
        strict=False,
    ):
        if child not in adults or decom is None or (rne != "S" and rne.upper() != "S"):
            continue
        dob = dobs.get(child)
        if dob is None or decom.year - dob.year < 18:  # cannot be 18 yet: no need for the exact birthday
            continue
        eighteen = ctx.birthday(child, 18)
        if eighteen is not None and decom >= eighteen:
            yield "Episodes", e


@rule("353", "No episode submitted can start before 14 October 1991.", tables=("Episodes",), fields=("DECOM",))
def rule_353(ctx: Context) -> Iterator[Hit]:
    for e, decom in zip(ctx.ret.episodes, ctx.dates("Episodes", "DECOM"), strict=False):
        if decom is not None and decom < ACT_IN_FORCE:
            yield "Episodes", e


@rule(
    "354",
    "Date episode ceased must be on or before the end of the current collection year.",
    tables=("Episodes",),
    fields=("DECOM", "DEC"),
)
def rule_354(ctx: Context) -> Iterator[Hit]:
    """An episode that starts, or ends, after 31 March. The DfE tool tests the start only (an episode starting
    after the year cannot have ended in it); the message is about the end date, so Safehold tests both."""
    end = ctx.end
    for e, decom, dec in zip(
        ctx.ret.episodes, ctx.dates("Episodes", "DECOM"), ctx.dates("Episodes", "DEC"), strict=False
    ):
        if (decom is not None and decom > end) or (dec is not None and dec > end):
            yield "Episodes", e


@rule("355", "Episode appears to have lasted for less than 24 hours", tables=("Episodes",), fields=("DECOM", "DEC"))
def rule_355(ctx: Context) -> Iterator[Hit]:
    """The episode ends on the day it began."""
    for e, decom, dec in zip(
        ctx.ret.episodes, ctx.dates("Episodes", "DECOM"), ctx.dates("Episodes", "DEC"), strict=False
    ):
        if decom is not None and decom == dec:
            yield "Episodes", e


@rule(
    "356",
    "The date the episode ceased is before the date the same episode started.",
    tables=("Episodes",),
    fields=("DECOM", "DEC"),
)
def rule_356(ctx: Context) -> Iterator[Hit]:
    for e, decom, dec in zip(
        ctx.ret.episodes, ctx.dates("Episodes", "DECOM"), ctx.dates("Episodes", "DEC"), strict=False
    ):
        if decom is not None and dec is not None and dec < decom:
            yield "Episodes", e


@rule(
    "357",
    "If this is the first episode ever for this child, reason for new episode must be S.  Check whether there "
    "is an episode immediately preceding this one, which has been left out.  If not the reason for new episode "
    "code must be amended to S.",
    tables=("Episodes",),
    fields=("RNE",),
)
def rule_357(ctx: Context) -> Iterator[Hit]:
    """A child's earliest episode, when it starts in this year (so no earlier one could be missing from an
    earlier return), starts a period of care (RNE S)."""
    for eps in ctx.episodes_by_child.values():
        first = eps[0]
        if first.RNE == "S":
            continue
        decom = d(first.DECOM)
        if decom is not None and decom >= ctx.start:
            yield "Episodes", first


@rule(
    "358",
    "Child with this legal status should not be under 10.",
    tables=("Header", "Episodes"),
    fields=("DECOM", "DOB", "LS"),
)
def rule_358(ctx: Context) -> Iterator[Hit]:
    """Remand, PACE and youth rehabilitation orders (J1–J3) begin after the 10th birthday."""
    if ctx.distinct("Episodes", "LS").isdisjoint(("J1", "J2", "J3")):
        return
    for e in ctx.ret.episodes:
        if e.LS not in ("J1", "J2", "J3"):
            continue
        decom, ten = d(e.DECOM), ctx.birthday(e.CHILD, 10)
        if decom is not None and ten is not None and decom <= ten:
            yield "Episodes", e


@rule(
    "359",
    "Child being looked after following 18th birthday must be accommodated under section 20(5) of the Children "
    "Act 1989 in a community home.",
    tables=("Header", "Episodes"),
    fields=("DEC", "LS", "PLACE"),
)
def rule_359(ctx: Context) -> Iterator[Hit]:
    """A young person who is 18 before 31 March and still looked after then (an open episode) must be
    accommodated under s.20 (V2) in a children's home (K2)."""
    born_before = add_years(ctx.end, -18)  # the 18th birthday is before 31 March
    adults = {child for child, dob in ctx.dobs.items() if dob is not None and dob < born_before}
    if not adults:
        return
    for e, dec, child in zip(
        ctx.ret.episodes, ctx.column("Episodes", "DEC"), ctx.column("Episodes", "CHILD"), strict=False
    ):
        if dec == "" and child in adults and not (e.LS == "V2" and e.PLACE == "K2"):
            yield "Episodes", e


def _overlong(ctx: Context, status: str, days: int) -> Iterator[Hit]:
    """Every episode of a spell under legal status ``status`` that lasted more than ``days`` days. A spell is
    a run of the child's consecutive episodes under that status, each starting no later than the day the one
    before it ended; an open episode runs to 31 March. An episode with an unreadable date (rules 141, 147)
    ends the spell and is not counted."""
    if status not in ctx.distinct("Episodes", "LS"):
        return
    for eps in ctx.episodes_by_child.values():
        spells: list[tuple[dt.date, dt.date, list[Episode]]] = []
        current: tuple[dt.date, dt.date, list[Episode]] | None = None
        for e in eps:
            if e.LS != status:
                current = None
                continue
            decom = d(e.DECOM)
            end = d(e.DEC) if e.DEC else ctx.end
            if decom is None or end is None:
                current = None
                continue
            if current is not None and decom <= current[1]:
                current = (current[0], max(current[1], end), [*current[2], e])
                spells[-1] = current
            else:
                current = (decom, end, [e])
                spells.append(current)
        for first, last, members in spells:
            if (last - first).days > days:
                yield from (("Episodes", x) for x in members)


@rule(
    "361",
    "Police protection legal status lasted longer than maximum 72 hours allowed in the Children Act 1989.",
    tables=("Episodes",),
    fields=("DECOM", "DEC", "LS"),
)
def rule_361(ctx: Context) -> Iterator[Hit]:
    """Police protection (L1) for more than 3 days (Children Act 1989 s.46(6))."""
    yield from _overlong(ctx, "L1", 3)


@rule(
    "362",
    "Emergency protection order (EPO) lasted longer than 21 days",
    tables=("Episodes",),
    fields=("DECOM", "DEC", "LS"),
)
def rule_362(ctx: Context) -> Iterator[Hit]:
    """An EPO (L2) for more than 21 days: 8 days, extended once by up to 7 (s.45), with the DfE's margin."""
    yield from _overlong(ctx, "L2", 21)


@rule(
    "363",
    "Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.",
    tables=("Episodes",),
    fields=("DECOM", "DEC", "LS"),
)
def rule_363(ctx: Context) -> Iterator[Hit]:
    """A child assessment order (L3) for more than 7 days (s.43(5))."""
    yield from _overlong(ctx, "L3", 7)


@rule(
    "364",
    "Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits the time a child can be "
    "detained in custody in Local Authority (LA) accommodation.",
    tables=("Episodes",),
    fields=("DECOM", "DEC", "LS"),
)
def rule_364(ctx: Context) -> Iterator[Hit]:
    """PACE accommodation (J2) for more than 21 days, the limit the DfE's tool applies."""
    yield from _overlong(ctx, "J2", 21)


@rule(
    "365",
    "Any individual short- term respite placement must not exceed 17 days.",
    tables=("Episodes",),
    fields=("LS", "DECOM", "DEC"),
)
def rule_365(ctx: Context) -> Iterator[Hit]:
    """A short break (V3) ending more than 17 days after it began; an open one runs to 31 March."""
    if "V3" not in ctx.distinct("Episodes", "LS"):
        return
    for e in ctx.ret.episodes:
        if e.LS != "V3":
            continue
        decom = d(e.DECOM)
        end = d(e.DEC) if e.DEC else ctx.end
        if decom is not None and end is not None and (end - decom).days > 17:
            yield "Episodes", e


@rule(
    "366",
    "A child cannot change placement during the course of an individual short-term respite break.",
    tables=("Episodes",),
    fields=("LS", "RNE"),
)
def rule_366(ctx: Context) -> Iterator[Hit]:
    """Each short break (V3) is an episode of its own, so it starts a period of care (RNE S)."""
    if "V3" not in ctx.distinct("Episodes", "LS"):
        return
    for e in ctx.ret.episodes:
        if e.LS == "V3" and e.RNE != "S":
            yield "Episodes", e


@rule(
    "367",
    "The maximum amount of respite care allowable is 75 days in any 12-month period.",
    tables=("Episodes",),
    fields=("LS", "DECOM", "DEC"),
)
def rule_367(ctx: Context) -> Iterator[Hit]:
    """More than 75 days of short breaks (V3) within the collection year (each break cut to the year; an
    open one runs to 31 March): every break counted is flagged."""
    if "V3" not in ctx.distinct("Episodes", "LS"):
        return
    for eps in ctx.episodes_by_child.values():
        counted: list[Episode] = []
        total = 0
        for e in eps:
            if e.LS != "V3":
                continue
            decom = d(e.DECOM)
            end = d(e.DEC) if e.DEC else ctx.end
            if decom is None or end is None:
                continue
            days = (min(end, ctx.end) - max(decom, ctx.start)).days
            if days > 0:
                counted.append(e)
                total += days
        if total > 75:
            yield from (("Episodes", e) for e in counted)


@rule(
    "EPI",
    "WARNING: Episodes need to be loaded for this child before further validation is possible [NOTE: This "
    "refers to the DfE portal - here, all checks that can be performed with only the available data will be.]",
    tables=("Header", "Episodes", "OC3"),
    fields=("CHILD",),
)
def rule_epi(ctx: Context) -> Iterator[Hit]:
    """A child in the header with neither episodes nor a care leaver (OC3) row."""
    oc3 = ctx.rows_by_child("OC3")
    with_episodes = ctx.children_with_episodes
    if not (ctx.distinct("Header", "CHILD") - with_episodes).difference(oc3):
        return  # every child in the header has episodes or a care leaver row
    for h, child in zip(ctx.ret.header, ctx.column("Header", "CHILD"), strict=False):
        if child not in with_episodes and child not in oc3:
            yield "Header", h


@rule(
    "NoE",
    "This child has no episodes loaded for previous year even though child started to be looked after before "
    "this current year.",
    tables=("Episodes",),
    fields=("DECOM",),
    needs_previous=True,
)
def rule_noe(ctx: Context) -> Iterator[Hit]:
    """An episode that began before 1 April for a child with no episodes in last year's return."""
    assert ctx.previous is not None
    last_year = {e.CHILD for e in ctx.previous.episodes}
    for e in ctx.ret.episodes:
        decom = d(e.DECOM)
        if decom is not None and decom < ctx.start and e.CHILD not in last_year:
            yield "Episodes", e


# --- placement postcodes ------------------------------------------------------------------------------
# The DfE tool derives the placement's local authority (PL_LA) and in/out of area (PL_LOCATION) from the
# placement postcode with the ONS postcode directory. Safehold has no postcode directory, so it checks what the
# return itself shows: a placement postcode that is blank or not a UK postcode at all gives no LA (169, 179).
# A well-formed postcode that does not exist is not caught here.
_postcode = uk_postcode


def _no_placement_la(ctx: Context) -> list[Episode]:
    """The episodes (outside short breaks) whose placement postcode is blank or malformed, shared by 169 and 179;
    each distinct postcode is checked once."""

    def build() -> list[Episode]:
        bad = {p for p in ctx.distinct("Episodes", "PL_POST") if _postcode(p) is None}
        if not bad:
            return []
        return [
            e
            for e, ls, post in zip(
                ctx.ret.episodes, ctx.column("Episodes", "LS"), ctx.column("Episodes", "PL_POST"), strict=False
            )
            if post in bad and ls not in SHORT_BREAKS
        ]

    return ctx.memo("a_episode_spans.no_placement_la", build)


@rule(
    "169",
    "Local Authority (LA) of placement is not valid or is missing. Please check a valid postcode has been entered.",
    tables=("Episodes",),
    fields=("PL_POST",),
)
def rule_169(ctx: Context) -> Iterator[Hit]:
    """No placement LA can be found: the placement postcode is blank or malformed (short breaks, which have
    no placement postcode (rule 214), are exempt)."""
    for e in _no_placement_la(ctx):
        yield "Episodes", e


@rule("179", "Placement location code is not a valid code.", tables=("Episodes",), fields=("PL_POST",))
def rule_179(ctx: Context) -> Iterator[Hit]:
    """The placement location (in or out of the LA's area) is derived from the placement postcode, so it is
    invalid exactly when the postcode gives no LA (as 169)."""
    for e in _no_placement_la(ctx):
        yield "Episodes", e


def _ever_uasc(ctx: Context) -> set[str]:
    """Children in this year's or last year's UASC table (all the return shows of a child being or having been
    UASC; the DfE also looks two years back)."""
    children = {u.CHILD for u in ctx.ret.uasc}
    if ctx.previous is not None:
        children.update(u.CHILD for u in ctx.previous.uasc)
    return children


@rule(
    "164",
    "Distance is not valid. Please check a valid postcode has been entered. [NOTE: This check will result in "
    "false positives for children formerly UASC not identified as such in loaded data]",
    tables=("Episodes",),
    fields=("HOME_POST", "PL_POST"),
)
def rule_164(ctx: Context) -> Iterator[Hit]:
    """The placement distance (home postcode to placement postcode) cannot be worked out for a child who is not
    and has not been UASC, outside short breaks: a postcode is blank or malformed.

    The DfE tool drops episodes with no distance before it tests the range (0–999.9 miles, which no two UK
    postcodes exceed), so it never flags anything; the DfE's note (false positives for formerly UASC children,
    who have no home postcode) shows the rule is meant to fire on a missing distance, which Safehold does."""
    bad_home = {p for p in ctx.distinct("Episodes", "HOME_POST") if _postcode(p) is None}
    bad_place = {p for p in ctx.distinct("Episodes", "PL_POST") if _postcode(p) is None}
    if not bad_home and not bad_place:
        return
    uasc = _ever_uasc(ctx)
    for e, home, place in zip(
        ctx.ret.episodes, ctx.column("Episodes", "HOME_POST"), ctx.column("Episodes", "PL_POST"), strict=False
    ):
        if home not in bad_home and place not in bad_place:
            continue
        if e.LS in SHORT_BREAKS or e.CHILD in uasc:
            continue
        yield "Episodes", e


#: Postcode areas lying wholly in Scotland, Wales or Northern Ireland, where Ofsted registers no provider.
#: Areas crossing a border (TD, CA, CH, SY, LD, NP, HR) are left out: placing those needs the directory.
_DEVOLVED_AREAS = frozenset("BT AB DD DG EH FK G HS IV KA KW KY ML PA PH ZE CF SA LL".split())
_AREA = re.compile(r"^[A-Z]+")


@rule(
    "243",
    "Only placements with providers registered with Ofsted should have a URN reported.",
    tables=("Episodes",),
    fields=("URN", "PL_POST"),
)
def rule_243(ctx: Context) -> Iterator[Hit]:
    """A URN on a placement in Scotland, Wales or Northern Ireland. The DfE tool finds the country from the
    ONS postcode directory; Safehold recognises the postcode areas that lie wholly in those countries, so it
    misses a placement there in a border area."""
    devolved = set()
    for post in ctx.distinct("Episodes", "PL_POST"):  # each distinct postcode once
        compact = _postcode(post)
        area = _AREA.match(compact) if compact else None
        if area is not None and area.group(0) in _DEVOLVED_AREAS:
            devolved.add(post)
    if not devolved:
        return
    for e, urn, post in zip(
        ctx.ret.episodes, ctx.column("Episodes", "URN"), ctx.column("Episodes", "PL_POST"), strict=False
    ):
        if urn and post in devolved:
            yield "Episodes", e
