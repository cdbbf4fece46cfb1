"""SWEpisodes rules (2023/24 onwards): the child's allocated social worker over the year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d, valid_date

SW_REASONS = ("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS")

valid_date("SW04STG1", "Date social worker episode began is not a valid date..", "SWEpisodes", "SW_DECOM")
valid_date("SW05STG1", "Date social worker episode began is not a valid date.", "SWEpisodes", "SW_DEC")


@rule(
    "SW02STG1",
    "Social worker ID does not begin with the characters 'SW' or 'XX'.",
    tables=("SWEpisodes",),
    fields=("SW_ID",),
)
def rule_sw02(ctx: Context) -> Iterator[Hit]:
    for s in ctx.ret.sw_episodes:
        if s.SW_ID[:2] not in ("SW", "XX") or len(s.SW_ID) < 4:
            yield "SWEpisodes", s


@rule(
    "SW06STG2",
    "Social worker episode data should be within the social worker data reporting year.",
    tables=("SWEpisodes",),
    fields=("SW_DECOM",),
)
def rule_sw06(ctx: Context) -> Iterator[Hit]:
    for s in ctx.ret.sw_episodes:
        start = d(s.SW_DECOM)
        if start is not None and start > ctx.end:  # an unreadable date is SW04STG1
            yield "SWEpisodes", s


@rule(
    "SW07STG2",
    "Social worker episode end date should be on or after the start of the social worker reporting "
    "period, and should be on or before the collection end date.",
    tables=("SWEpisodes",),
    fields=("SW_DEC",),
)
def rule_sw07(ctx: Context) -> Iterator[Hit]:
    """The reporting period starts a year before the collection year (the 12 months before 1 April)."""
    earliest = ctx.start - dt.timedelta(days=365)
    for s in ctx.ret.sw_episodes:
        end = d(s.SW_DEC)
        if end is not None and (end < earliest or end > ctx.end):  # an unreadable date is SW05STG1
            yield "SWEpisodes", s


@rule(
    "SW08STG2",
    "A new social worker episode has started, but the previous episode has not ended.",
    tables=("SWEpisodes",),
    fields=("SW_DEC",),
)
def rule_sw08(ctx: Context) -> Iterator[Hit]:
    for rows in ctx.rows_by_child("SWEpisodes").values():
        if len(rows) < 2:
            continue  # a single episode is the latest
        dated = sorted((s for s in rows if d(s.SW_DECOM) is not None), key=lambda s: d(s.SW_DECOM))  # type: ignore[arg-type,return-value]
        for s in dated[:-1]:
            if s.SW_DEC == "":
                yield "SWEpisodes", s


@rule(
    "SW09STG2",
    "Social worker episode appears to have lasted for less than 24 hours.",
    tables=("SWEpisodes",),
    fields=("SW_DECOM", "SW_DEC"),
)
def rule_sw09(ctx: Context) -> Iterator[Hit]:
    """Flagged when it ended within three days of starting (the DfE tool's threshold)."""
    for s in ctx.ret.sw_episodes:
        start, end = d(s.SW_DECOM), d(s.SW_DEC)
        if start is not None and end is not None and (end - start).days < 3:
            yield "SWEpisodes", s


@rule("SW13STG1", "The reason for social worker change is not valid.", tables=("SWEpisodes",), fields=("SW_REASON",))
def rule_sw13(ctx: Context) -> Iterator[Hit]:
    """A reason must be a valid code; it is required for episodes starting on or after 1 April 2023."""
    since = dt.date(2023, 4, 1)
    for s in ctx.ret.sw_episodes:
        if s.SW_REASON:
            if s.SW_REASON not in SW_REASONS:
                yield "SWEpisodes", s
        else:
            start = d(s.SW_DECOM)
            if start is not None and start >= since:
                yield "SWEpisodes", s


@rule(
    "SW17STG2",
    "There is no social worker episode open at 31 March",
    tables=("SWEpisodes",),
    fields=("SW_DEC", "SW_DECOM"),
)
def rule_sw17(ctx: Context) -> Iterator[Hit]:
    for rows in ctx.rows_by_child("SWEpisodes").values():
        if len(rows) == 1:
            only = rows[0]
            if only.SW_DEC and d(only.SW_DECOM) is not None:
                yield "SWEpisodes", only
            continue
        dated = [s for s in rows if d(s.SW_DECOM) is not None]
        if dated:
            latest = max(dated, key=lambda s: d(s.SW_DECOM))  # type: ignore[arg-type,return-value]
            if latest.SW_DEC:
                yield "SWEpisodes", latest


@rule(
    "SW18STG2",
    "The end date of the social worker episode is before the start date",
    tables=("SWEpisodes",),
    fields=("SW_DEC", "SW_DECOM"),
)
def rule_sw18(ctx: Context) -> Iterator[Hit]:
    for s in ctx.ret.sw_episodes:
        start, end = d(s.SW_DECOM), d(s.SW_DEC)
        if start is not None and end is not None and not end > start:
            yield "SWEpisodes", s


@rule(
    "SW19STG2",
    "There are 2 social worker episodes for the child starting on the same date.",
    tables=("SWEpisodes",),
    fields=("SW_DEC", "SW_DECOM"),
)
def rule_sw19(ctx: Context) -> Iterator[Hit]:
    """The second and later episodes starting on a date already seen for the child."""
    seen: set[tuple[str, str]] = set()
    for s in ctx.ret.sw_episodes:
        key = (s.CHILD, s.SW_DECOM)
        if key in seen:
            yield "SWEpisodes", s
        seen.add(key)
