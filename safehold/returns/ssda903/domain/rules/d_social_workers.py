"""Social worker episodes in sequence: SW10STG2, SW10aSTG2, SW10bSTG2, SW11bSTG2, SW12STG2.

Each child's social worker episodes are taken in start-date order (then end date, an open episode last);
rows whose start date is not a real date are left to SW04STG1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d
from safehold.returns.ssda903.domain.tables import SWEpisode

_TOLERANCE = dt.timedelta(days=7)
_FAR = dt.date.max


def _in_order(ctx: Context) -> list[list[tuple[dt.date, dt.date | None, SWEpisode]]]:
    """Per child: (start, end, row) for the episodes with a readable start, in order (built once per return)."""
    return ctx.memo("d_social_workers.in_order", lambda: _build_order(ctx))


def _build_order(ctx: Context) -> list[list[tuple[dt.date, dt.date | None, SWEpisode]]]:
    children = ctx.column("SWEpisodes", "CHILD")
    groups: dict[str, list[tuple[dt.date, dt.date | None, SWEpisode]]] = {}
    get = groups.get
    for s, child, start, end in zip(
        ctx.ret.sw_episodes,
        children,
        ctx.dates("SWEpisodes", "SW_DECOM"),
        ctx.dates("SWEpisodes", "SW_DEC"),
        strict=False,
    ):
        if start is None:
            continue
        dated = get(child)
        if dated is None:
            groups[child] = [(start, end, s)]
        else:
            dated.append((start, end, s))
    out = []
    for child in dict.fromkeys(children):  # children in the order they first appear
        dated = get(child)
        if dated:
            if len(dated) > 1:
                dated.sort(key=lambda x: (x[0], x[1] or _FAR))
            out.append(dated)
    return out


def _pairs(ctx: Context) -> list[tuple[dt.date | None, dt.date, SWEpisode]]:
    """(end of the previous episode, start of this one, this one) for every episode after a child's first."""

    def build() -> list[tuple[dt.date | None, dt.date, SWEpisode]]:
        return [
            (dated[i - 1][1], dated[i][0], dated[i][2])
            for dated in _in_order(ctx)
            if len(dated) > 1
            for i in range(1, len(dated))
        ]

    return ctx.memo("d_social_workers.pairs", build)


@rule(
    "SW10STG2",
    "A new social worker episode has started before the end date of the previous social worker episode.",
    tables=("SWEpisodes",),
    fields=("SW_DECOM",),
)
def rule_sw10(ctx: Context) -> Iterator[Hit]:
    """A new episode (other than a first contact, FCONTA, which is SW10bSTG2) must not start more than seven
    days before the previous one ended; when the previous one has not ended, the new one started before its end.

    Interpretation: the message asks only about starting *before* the previous end (with the DfE's usual
    seven-day tolerance); a gap after the previous end is SW10aSTG2. The DfE tool runs the SW10aSTG2 test
    (either side) under this code as well (docs/returns/903-agreement.md)."""
    for prev_end, start, s in _pairs(ctx):
        if s.SW_REASON != "FCONTA" and (prev_end is None or start < prev_end - _TOLERANCE):
            yield "SWEpisodes", s


@rule(
    "SW10aSTG2",
    "A new social worker episode has started and it is not within +/- 7 days of a previous episode.",
    tables=("SWEpisodes",),
    fields=("SW_DECOM",),
)
def rule_sw10a(ctx: Context) -> Iterator[Hit]:
    """A new episode (other than a first contact, FCONTA) starts within seven days either side of the end of
    the previous one; a previous episode that has not ended has no end for it to be near."""
    for prev_end, start, s in _pairs(ctx):
        if s.SW_REASON != "FCONTA" and (prev_end is None or abs(start - prev_end) > _TOLERANCE):
            yield "SWEpisodes", s


@rule(
    "SW10bSTG2",
    "A new social worker episode has started with a reason of first contact before the previous episode has ended.",
    tables=("SWEpisodes",),
    fields=("SW_DECOM", "SW_REASON"),
)
def rule_sw10b(ctx: Context) -> Iterator[Hit]:
    """A first-contact (FCONTA) episode starts after the previous episode's end date. A previous episode with
    no end at all is SW08STG2's finding."""
    for prev_end, start, s in _pairs(ctx):
        if s.SW_REASON == "FCONTA" and prev_end is not None and start <= prev_end:
            yield "SWEpisodes", s


@rule(
    "SW11bSTG2",
    "Social worker episode has ended before 31 March and no subsequent social worker episode has been provided.",
    tables=("SWEpisodes",),
    fields=("SW_DEC",),
)
def rule_sw11b(ctx: Context) -> Iterator[Hit]:
    """An episode ending in the last days of the year (the five days up to 31 March, the window the DfE tool
    uses) must be followed by another episode of the child's: a worker left without a successor. An episode
    ending earlier with none after it is SW17STG2's finding (no episode open at 31 March); a later row whose
    start date is unreadable does not count as the subsequent episode (SW04STG1 flags it)."""
    window_from = ctx.end - dt.timedelta(days=5)
    for dated in _in_order(ctx):
        _, end, s = dated[-1]
        if end is not None and window_from <= end <= ctx.end:
            yield "SWEpisodes", s


@rule(
    "SW12STG2",
    "If a child is looked after on 31 March then all social worker episodes for the full previous year should be "
    "reported, even those whilst they were not looked after",
    tables=("SWEpisodes", "Episodes"),
    fields=("SW_DECOM",),
)
def rule_sw12(ctx: Context) -> Iterator[Hit]:
    """A child looked after on 31 March (an episode, not a V3/V4 short break, open then) has social worker
    episodes reaching back to the start of the year, or to the start of the period of care if that began
    during the year: flagged (on the open episode) when the child has no social worker episode with a
    readable start, or the earliest starts after that date.

    Interpretation: the rule asks for episodes before care too ("even those whilst they were not looked
    after"), which a return cannot show were missed; what it can show is a gap between the start of the year
    (or of care) and the first reported episode. The DfE tool instead flags social worker episodes that start
    before an episode starting care or after one ending it (docs/returns/903-agreement.md)."""
    earliest = {dated[0][2].CHILD: dated[0][0] for dated in _in_order(ctx)}
    start, end = ctx.start, ctx.end
    # Only a child with an episode (not a short break) open at 31 March can be flagged: find those first.
    open_at_31_march = {
        child
        for child, decom, dec, ls in zip(
            ctx.column("Episodes", "CHILD"),
            ctx.dates("Episodes", "DECOM"),
            ctx.dates("Episodes", "DEC"),
            ctx.column("Episodes", "LS"),
            strict=False,
        )
        if decom is not None and decom <= end and (dec is None or dec > end) and ls not in ("V3", "V4")
    }
    for child, eps in ctx.episodes_by_child.items():
        if child not in open_at_31_march:
            continue
        open_at_end = None
        period_start = None
        for e in eps:
            decom = d(e.DECOM)
            if decom is None:
                continue
            if period_start is None or e.RNE == "S":
                period_start = decom
            if decom <= end and e.LS not in ("V3", "V4"):
                dec = d(e.DEC)
                if dec is None or dec > end:
                    open_at_end = e
                    break
        if open_at_end is None or period_start is None:
            continue
        first_worker = earliest.get(child)
        if first_worker is None or first_worker > max(period_start, start):
            yield "Episodes", open_at_end
