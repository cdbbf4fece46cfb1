"""Rules that need reference data besides the return (group E): Ofsted's list of registered providers, the ONS
postcode directory, and the reporting LA's own ONS code (see ``domain/reference.py``).

The DfE tool derives three fields the CSV files do not carry: the LA of placement (PL_LA) from PL_POST, in or
out of the LA's area (PL_LOCATION) from PL_LA and the LA's code, and the distance (PL_DISTANCE) from the grid
references of HOME_POST and PL_POST. Safehold derives them the same way, with :class:`Reference`.

Choices made where the DfE tool's result is a side effect rather than the rule's meaning (each explained in
docs/returns/903-agreement.md when the comparison shows it):

* A URN that is not in Ofsted's list is reported once, under 1008; 219, 221, 224, 227, 228, 229 and 241 judge
  only listed URNs (the DfE tool's merge leaves an unlisted URN with blank codes, so it flags it again under
  most of them).
* A placement whose LA cannot be found (a postcode missing or not in the directory) is 169's failure; 241,
  1015, 452, 503H and 503J judge only placements whose LA is known, and 453, 454 and 503G only known distances.

Rule 411 (placement location disagrees with the LA of placement) is not implemented: with both fields derived
from the same postcode look-up (IN exactly when the LA of placement is the reporting LA) it cannot fire.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.reference import LA, POSTCODES, PROVIDERS, Reference
from safehold.returns.ssda903.domain.rules._common import d
from safehold.returns.ssda903.domain.tables import Episode

SHORT_BREAKS = ("V3", "V4")
#: URN 'XXXXXXX' stands for a regional adoption agency, which Ofsted does not register (rule 242).
NO_OFSTED_URN = ("", "XXXXXXX")


def _ref(ctx: Context) -> Reference:
    ref = ctx.reference
    assert ref is not None  # the engine runs these rules only with their reference inputs
    return ref


def _listed(ctx: Context) -> Iterator[tuple[Episode, Reference]]:
    """Episodes with an Ofsted URN that is in the provider list."""
    ref = _ref(ctx)
    for e in ctx.ret.episodes:
        if e.URN not in NO_OFSTED_URN and ref.provider(e.URN):
            yield e, ref


# --- Ofsted's provider list ------------------------------------------------------------------------------


@rule(
    "1008",
    "Ofsted Unique Reference Number (URN) is not valid.",
    tables=("Episodes",),
    fields=("URN",),
    needs=(PROVIDERS,),
)
def rule_1008(ctx: Context) -> Iterator[Hit]:
    """A URN (other than XXXXXXX) that is not in Ofsted's list of registered providers."""
    ref = _ref(ctx)
    for e in ctx.ret.episodes:
        if e.URN not in NO_OFSTED_URN and not ref.provider(e.URN):
            yield "Episodes", e


@rule(
    "219",
    "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement type "
    "recorded.",
    tables=("Episodes",),
    fields=("URN", "PLACE"),
    needs=(PROVIDERS,),
)
def rule_219(ctx: Context) -> Iterator[Hit]:
    """The placement type is none of the placement codes Ofsted lists for the URN (any of its rows)."""
    for e, ref in _listed(ctx):
        if not any(e.PLACE in p.place_codes for p in ref.provider(e.URN)):
            yield "Episodes", e


@rule(
    "224",
    "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement "
    "provider recorded.",
    tables=("Episodes",),
    fields=("PLACE_PROVIDER",),
    needs=(PROVIDERS,),
)
def rule_224(ctx: Context) -> Iterator[Hit]:
    """The placement provider code is none of the provider codes Ofsted lists for the URN."""
    for e, ref in _listed(ctx):
        if not any(e.PLACE_PROVIDER in p.provider_codes for p in ref.provider(e.URN)):
            yield "Episodes", e


#: Placement types whose placement postcode is the provider's own premises (rule 221).
_AT_PROVIDER = ("K1", "K2", "K3", "R3", "S1")


@rule(
    "221",
    "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement "
    "postcode provided.",
    tables=("Episodes",),
    fields=("URN", "PL_POST"),
    needs=(PROVIDERS,),
)
def rule_221(ctx: Context) -> Iterator[Hit]:
    """A placement at the provider's premises (K1, K2, K3, R3, S1; not a short break) whose placement postcode
    is none of the premises' postcodes Ofsted lists for the URN (compared without spaces, in capitals)."""
    for e, ref in _listed(ctx):
        if e.LS in SHORT_BREAKS or e.PLACE not in _AT_PROVIDER or e.PL_POST == "":
            continue
        post = e.PL_POST.replace(" ", "").upper()
        if not any(p.postcode == post for p in ref.provider(e.URN)):
            yield "Episodes", e


def _deregistered(ref: Reference, urn: str) -> dt.date | None:
    """When the provider left Ofsted's register: the latest deregistration date of its rows, or None while any
    row is still registered."""
    dates = [p.deregistered for p in ref.provider(urn)]
    known = [x for x in dates if x is not None]
    return max(known) if known and len(known) == len(dates) else None


@rule(
    "227",
    "Ofsted Unique reference number (URN) is not valid for the episode start date.",
    tables=("Episodes",),
    fields=("URN", "DECOM"),
    needs=(PROVIDERS,),
)
def rule_227(ctx: Context) -> Iterator[Hit]:
    """The episode starts on or after the day the provider was deregistered."""
    for e, ref in _listed(ctx):
        closed = _deregistered(ref, e.URN)
        decom = d(e.DECOM)
        if closed is not None and decom is not None and decom >= closed:
            yield "Episodes", e


@rule(
    "228",
    "Ofsted Unique reference number (URN) is not valid for the episode end date [NOTE: may give false positives "
    "on open episodes at providers who close during the year]",
    tables=("Episodes",),
    fields=("URN", "DEC"),
    needs=(PROVIDERS,),
)
def rule_228(ctx: Context) -> Iterator[Hit]:
    """The episode ends after the provider was deregistered; an open episode counts as ending on 31 March (the
    DfE's note: open episodes at a provider that closed during the year are flagged). An unreadable end date is
    rule 147's failure and is not judged here."""
    for e, ref in _listed(ctx):
        closed = _deregistered(ref, e.URN)
        if closed is None:
            continue
        end = ctx.end if e.DEC == "" else d(e.DEC)
        if end is not None and end > closed:
            yield "Episodes", e


#: Placement types rule 229 leaves out: supported accommodation, placed with parents or in the community,
#: residential employment, youth custody, temporary and other placements.
_229_EXEMPT = frozenset("K3 P1 P3 R1 R2 R5 T0 T1 T2 T3 T4 Z11 Z12 Z13 Z14".split())


@rule(
    "229",
    "Placement provider does not match between the placing authority and the local authority code of the provider. "
    "[NOTE: The provider's LA code is inferred from the its postcode, and may be inaccurate in some cases.]",
    tables=("Episodes",),
    fields=("URN", "PLACE_PROVIDER"),
    needs=(PROVIDERS, POSTCODES, LA),
)
def rule_229(ctx: Context) -> Iterator[Hit]:
    """Own provision (PR1) at a provider whose premises are not in the LA, or another LA's provision (PR2) at one
    whose premises are. The provider's LA is found from its postcode in the directory (as the DfE's note says);
    a provider none of whose postcodes is in the directory is not judged."""
    for e, ref in _listed(ctx):
        if e.PLACE in _229_EXEMPT or e.PLACE_PROVIDER not in ("PR1", "PR2"):
            continue
        las = ref.provider_las(e.URN)
        if not las:
            continue
        own = ref.la in las
        if (e.PLACE_PROVIDER == "PR1" and not own) or (e.PLACE_PROVIDER == "PR2" and own):
            yield "Episodes", e


@rule(
    "241",
    "LA of placement is not an LA the provider has premises.",
    tables=("Episodes",),
    fields=("URN",),
    needs=(PROVIDERS, POSTCODES),
)
def rule_241(ctx: Context) -> Iterator[Hit]:
    """A supported accommodation placement (K3) with a URN whose LA of placement (from PL_POST) is not the LA of
    any of the provider's premises (from their postcodes). The DfE's specification: "<PL_LA> must equal Ofsted
    URN lookup <LA code> for that URN (where there may be more than one LA per provider in the lookup file)".
    The DfE tool compares PL_LA with the reporting LA instead; Safehold follows the specification."""
    for e, ref in _listed(ctx):
        if e.PLACE != "K3":
            continue
        placed = ref.la_of(e.PL_POST)
        las = ref.provider_las(e.URN)
        if placed is not None and las and placed not in las:
            yield "Episodes", e


# --- The postcode directory ----------------------------------------------------------------------------

#: Placement types rule 1015 leaves out: adoption, foster care and supported accommodation.
_1015_EXEMPT = frozenset("A3 A4 A5 A6 U1 U2 U3 U4 U5 U6 K3".split())


@rule(
    "1015",
    "Placement provider is own provision but child not placed in own LA.",
    tables=("Episodes",),
    fields=("PL_POST", "PLACE_PROVIDER"),
    needs=(POSTCODES, LA),
)
def rule_1015(ctx: Context) -> Iterator[Hit]:
    """Own provision (PR1), other than adoption, foster care or supported accommodation and outside short breaks,
    placed in another LA (the LA of placement from PL_POST is not the reporting LA)."""
    ref = _ref(ctx)
    for e in ctx.ret.episodes:
        if e.PLACE_PROVIDER != "PR1" or e.LS in SHORT_BREAKS or e.LS == "" or e.PLACE in _1015_EXEMPT:
            continue
        if e.PLACE == "":
            continue
        placed = ref.la_of(e.PL_POST)
        if placed is not None and placed != ref.la:
            yield "Episodes", e


@rule(
    "454",
    "Placement distance from home is over 350 miles. [NOTE: This check will result in false positives for "
    "children formerly UASC not identified as such in loaded data]",
    tables=("Episodes",),
    fields=("HOME_POST", "PL_POST"),
    needs=(POSTCODES,),
)
def rule_454(ctx: Context) -> Iterator[Hit]:
    """The distance between the home and placement postcodes is over 350 miles (999.9, the DfE's "not known",
    cannot arise from a look-up)."""
    ref = _ref(ctx)
    for e in ctx.ret.episodes:
        miles = ref.distance(e.HOME_POST, e.PL_POST)
        if miles is not None and miles > 350:
            yield "Episodes", e


# --- Against last year's open episode ------------------------------------------------------------------


def _continued(ctx: Context) -> list[tuple[Episode, Episode]]:
    """(last year's latest episode when it has no end date, this year's first dated episode) per child."""

    def build() -> list[tuple[Episode, Episode]]:
        assert ctx.previous is not None
        latest: dict[str, Episode] = {}
        started: dict[str, dt.date] = {}
        for e in ctx.previous.episodes:
            start = d(e.DECOM)
            if start is not None and (e.CHILD not in started or start > started[e.CHILD]):
                started[e.CHILD], latest[e.CHILD] = start, e
        pairs = []
        for child, last in latest.items():
            if last.DEC != "":
                continue
            for e in ctx.episodes_by_child.get(child, ()):
                if d(e.DECOM) is not None:
                    pairs.append((last, e))
                    break
        return pairs

    return ctx.memo("e_reference.continued", build)


def _la_changed(ctx: Context, same_rne: bool) -> Iterator[Hit]:
    ref = _ref(ctx)
    for last, first in _continued(ctx):
        if same_rne and first.RNE != last.RNE:
            continue
        before, now = ref.la_of(last.PL_POST), ref.la_of(first.PL_POST)
        if before is not None and now is not None and before != now:
            yield "Episodes", first


def _distance_changed(ctx: Context, same_rne: bool) -> Iterator[Hit]:
    ref = _ref(ctx)
    for last, first in _continued(ctx):
        if same_rne and first.RNE != last.RNE:
            continue
        before, now = ref.distance(last.HOME_POST, last.PL_POST), ref.distance(first.HOME_POST, first.PL_POST)
        if before is not None and now is not None and abs(now - before) >= 0.2:
            yield "Episodes", first


@rule(
    "452",
    "Contradiction between local authority of placement code in the last episode of the previous year and in the "
    "first episode of the current year.",
    tables=("Episodes",),
    fields=("PL_POST",),
    needs_previous=True,
    needs=(POSTCODES,),
)
def rule_452(ctx: Context) -> Iterator[Hit]:
    """Last year's return ended with an open episode, this year's first episode has the same reason for new
    episode (the same episode carried over), and the LA of placement differs."""
    yield from _la_changed(ctx, same_rne=True)


@rule(
    "453",
    "Contradiction between placement distance in the last episode of the previous year and in the first episode "
    "of the current year.",
    tables=("Episodes",),
    fields=("HOME_POST", "PL_POST"),
    needs_previous=True,
    needs=(POSTCODES,),
)
def rule_453(ctx: Context) -> Iterator[Hit]:
    """As 452, for the placement distance: the two differ by 0.2 miles or more (the DfE tool's tolerance for a
    distance rounded to one decimal place)."""
    yield from _distance_changed(ctx, same_rne=True)


@rule(
    "503G",
    "The distance in first episode does not match open episode at end of last year.",
    tables=("Episodes",),
    fields=("HOME_POST", "PL_POST"),
    needs_previous=True,
    needs=(POSTCODES,),
)
def rule_503g(ctx: Context) -> Iterator[Hit]:
    """Last year's return ended with an open episode and the distance of this year's first episode differs by
    0.2 miles or more (as 453, whatever the reason for new episode)."""
    yield from _distance_changed(ctx, same_rne=False)


@rule(
    "503H",
    "The placement LA in first episode does not match open episode at end of last year.",
    tables=("Episodes",),
    fields=("PL_POST",),
    needs_previous=True,
    needs=(POSTCODES,),
)
def rule_503h(ctx: Context) -> Iterator[Hit]:
    """As 452, whatever the reason for new episode."""
    yield from _la_changed(ctx, same_rne=False)


@rule(
    "503J",
    "The placement location in first episode does not match open episode at end of last year.",
    tables=("Episodes",),
    fields=("PL_POST",),
    needs_previous=True,
    needs=(POSTCODES, LA),
)
def rule_503j(ctx: Context) -> Iterator[Hit]:
    """Last year's return ended with an open episode and this year's first episode is in the LA's area where
    that one was outside it, or the other way round."""
    ref = _ref(ctx)
    for last, first in _continued(ctx):
        before, now = ref.location(last.PL_POST), ref.location(first.PL_POST)
        if before is not None and now is not None and before != now:
            yield "Episodes", first
