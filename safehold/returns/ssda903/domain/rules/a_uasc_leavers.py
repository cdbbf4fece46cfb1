"""UASC status across two years, the ages of UASC children and care leavers, and care leavers who died.

In the CSV return a child's UASC status is not a field of its own: a child is UASC in a year when the
year's UASC table holds a row for them (a row for a child whose status ceased carries the date, DUC). The
DfE tool reads the CSV the same way (it adds ``UASC = 1`` to the header of each child with a UASC row).
This makes rules 105 (UASC status invalid or missing) and 303 (DUC given but status not 1) impossible to
break in a CSV return: they are not implemented.
"""

from __future__ import annotations

from collections.abc import Iterator

from safehold.returns.ssda903.domain.dates import CollectionYear, add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d
from safehold.returns.ssda903.domain.tables import UASC, Return903


def _uasc_children(ctx: Context, ret: Return903) -> dict[str, UASC]:
    """Each child ``ret`` (this year's return or last year's) identifies as UASC (a UASC row for a child in its
    header), with that row; worked out once per validation."""
    cache: dict[int, dict[str, UASC]] = ctx.__dict__.setdefault("_a_uasc_children", {})
    if id(ret) not in cache:
        in_header = {h.CHILD for h in ret.header}
        out: dict[str, UASC] = {}
        for u in ret.uasc:
            if u.CHILD in in_header:
                out.setdefault(u.CHILD, u)
        cache[id(ret)] = out
    return cache[id(ret)]


def _last_year(ctx: Context) -> tuple[Return903, CollectionYear]:
    assert ctx.previous is not None
    return ctx.previous, CollectionYear(ctx.ret.year - 1)


@rule(
    "205A",
    "Child identified as UASC last year is no longer UASC this year, but date UASC ceased in both years does "
    "not support this.",
    tables=("Header", "UASC"),
    fields=("CHILD", "UASC"),
    needs_previous=True,
)
def rule_205a(ctx: Context) -> Iterator[Hit]:
    """A child UASC last year with no UASC row this year must have had the status cease during last year:
    last year's DUC must be a date within last year's collection year."""
    previous, last_cy = _last_year(ctx)
    now = _uasc_children(ctx, ctx.ret)
    before = _uasc_children(ctx, previous)
    for h in ctx.ret.header:
        if h.CHILD in now or h.CHILD not in before:
            continue
        duc = d(before[h.CHILD].DUC)
        if duc is None or not last_cy.start <= duc <= last_cy.end:
            yield "Header", h


@rule(
    "205B",
    "Child previously identified as UASC is also UASC this year, but date UASC ceased in both years does not "
    "support this.",
    tables=("Header", "UASC"),
    fields=("DUC", "UASC"),
    needs_previous=True,
)
def rule_205b(ctx: Context) -> Iterator[Hit]:
    """A child UASC in both years: a status that ceased last year (DUC given last year) cannot carry on into
    this year, and a status that ceases this year ceases within it.

    Interpretation (the DfE's wording only says the dates "do not support this"): the DfE tool, written for
    the XML return where the status is a header field, accepts a DUC repeated from last year when it is the
    18th birthday; in the CSV return a UASC row stands for a status held during the year, and a DUC before the
    year is invalid in itself (rule 104), so a DUC last year means the child is not UASC this year.
    """
    previous, _ = _last_year(ctx)
    before = _uasc_children(ctx, previous)
    for child, u in _uasc_children(ctx, ctx.ret).items():
        if child not in before:
            continue
        duc = d(u.DUC)
        ceased_last_year = before[child].DUC != ""
        ceased_outside_year = u.DUC != "" and (duc is None or not ctx.start <= duc <= ctx.end)
        if ceased_last_year or ceased_outside_year:
            yield "UASC", u


@rule(
    "205C",
    "Child not identified as UASC either this year or last year but date UASC ceased has been provided.",
    tables=("UASC",),
    fields=("DUC", "UASC"),
    needs_previous=True,
)
def rule_205c(ctx: Context) -> Iterator[Hit]:
    """A DUC on a UASC row of a child identified as UASC in neither year. With the status read from the
    UASC rows themselves, that is a row (with a DUC this year or last) whose child is missing from this
    year's header and was not UASC last year either."""
    previous, _ = _last_year(ctx)
    now = _uasc_children(ctx, ctx.ret)
    before = _uasc_children(ctx, previous)
    last_duc = {u.CHILD: u.DUC for u in previous.uasc}
    for u in ctx.ret.uasc:
        if u.CHILD in now or u.CHILD in before:
            continue
        if u.DUC or last_duc.get(u.CHILD):
            yield "UASC", u


@rule(
    "205D",
    "Child identified as UASC this year but not identified as UASC status provided for the child last year.",
    tables=("Header", "UASC"),
    fields=("UASC", "CHILD"),
    needs_previous=True,
)
def rule_205d(ctx: Context) -> Iterator[Hit]:
    """A child in last year's return who was not UASC then cannot be UASC now."""
    previous, _ = _last_year(ctx)
    last_header = {h.CHILD for h in previous.header}
    before = _uasc_children(ctx, previous)
    now = _uasc_children(ctx, ctx.ret)
    for h in ctx.ret.header:
        if h.CHILD in now and h.CHILD in last_header and h.CHILD not in before:
            yield "Header", h


@rule(
    "231",
    "We expect that unaccompanied asylum seeking children are generally older young people. Please check the "
    "date of birth is correct. If the date of birth is correct then please provide details in a bypass request.",
    tables=("Header", "UASC"),
    fields=("DOB", "UASC"),
)
def rule_231(ctx: Context) -> Iterator[Hit]:
    """A UASC child (a UASC row this year) should be 11 or older at 31 March. The DfE tool's rule reads a
    header column the CSV return does not have and raises on every file; Safehold reads the status from the
    UASC table, as the DfE tool does for the other UASC rules."""
    cutoff = add_years(ctx.end, -11)
    now = _uasc_children(ctx, ctx.ret)
    for h in ctx.ret.header:
        dob = d(h.DOB)
        if h.CHILD in now and dob is not None and dob > cutoff:
            yield "Header", h


@rule(
    "304",
    "Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before the 18th birthday of a child.",
    tables=("UASC",),
    fields=("DUC",),
)
def rule_304(ctx: Context) -> Iterator[Hit]:
    for u in ctx.ret.uasc:
        duc, dob = d(u.DUC), d(u.DOB)
        if duc is not None and dob is not None and duc > add_years(dob, 18):
            yield "UASC", u


@rule(
    "347",
    "Care leavers aged under 18 years, can not be accommodated in a Foyer.",
    tables=("OC3",),
    fields=("ACCOM", "DOB"),
)
def rule_347(ctx: Context) -> Iterator[Hit]:
    """ACCOM T1/T2 (foyer or similar, suitable or not) for a care leaver under 18 on 1 April.

    The DfE tool compares ACCOM with the bare letter ``T``, which no valid code equals (the codes carry a
    suitability suffix), so it never flags a real foyer; Safehold tests the accommodation type, the letter."""
    for o in ctx.ret.oc3:
        dob = d(o.DOB)
        if o.ACCOM.startswith("T") and dob is not None and add_years(dob, 18) > ctx.start:
            yield "OC3", o


@rule(
    "348",
    "Care leaver has previously been reported as having died. ",
    tables=("OC3",),
    fields=("IN_TOUCH",),
    needs_previous=True,
)
def rule_348(ctx: Context) -> Iterator[Hit]:
    """IN_TOUCH was DIED last year, so it must be DIED again this year."""
    previous, _ = _last_year(ctx)
    died = {o.CHILD for o in previous.oc3 if o.IN_TOUCH == "DIED"}
    for o in ctx.ret.oc3:
        if o.CHILD in died and o.IN_TOUCH != "DIED":
            yield "OC3", o


@rule("351", "Child was over 25 at the start of the current collection year.", tables=("Header",), fields=("DOB",))
def rule_351(ctx: Context) -> Iterator[Hit]:
    """Older than 25 on 1 April: the 25th birthday falls before the year starts, i.e. born before 1 April 25
    years earlier (a 29 February birthday moves to 28 February, which does not cross 1 April)."""
    born_before = add_years(ctx.start, -25)
    for h in ctx.ret.header:
        dob = d(h.DOB)
        if dob is not None and dob < born_before:
            yield "Header", h
