"""Reviews rules and the internal consistency checks between tables (INT)."""

from __future__ import annotations

from collections.abc import Iterator

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import d

PN = ("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")


@rule("166", "Date of review is invalid or blank.", tables=("Reviews",), fields=("REVIEW",))
def rule_166(ctx: Context) -> Iterator[Hit]:
    for r in ctx.ret.reviews:
        if d(r.REVIEW) is None:
            yield "Reviews", r


@rule("167", "Data entry for participation is invalid or blank.", tables=("Reviews",), fields=("REVIEW_CODE",))
def rule_167(ctx: Context) -> Iterator[Hit]:
    """A review needs a PN code; a row with neither is let through."""
    for r in ctx.ret.reviews:
        if not ((r.REVIEW and r.REVIEW_CODE in PN) or (r.REVIEW == "" and r.REVIEW_CODE == "")):
            yield "Reviews", r


@rule(
    "440",
    "Participation method indicates child was under 4 years old at the time of the review, but date of birth "
    "and review date indicates the child was 4 years old or over.",
    tables=("Reviews",),
    fields=("REVIEW", "REVIEW_CODE"),
)
def rule_440(ctx: Context) -> Iterator[Hit]:
    for r in ctx.rows_with("Reviews", "REVIEW_CODE", ("PN0",)):
        if r.REVIEW_CODE != "PN0":
            continue
        review, dob = d(r.REVIEW), d(r.DOB)
        if review is not None and dob is not None and review > add_years(dob, 4):
            yield "Reviews", r


@rule(
    "441",
    "Participation method indicates child was 4 years old or over at the time of the review, but the date of "
    "birth and review date indicates the child was under 4 years old.",
    tables=("Reviews",),
    fields=("REVIEW", "REVIEW_CODE"),
)
def rule_441(ctx: Context) -> Iterator[Hit]:
    later = PN[1:]
    for r in ctx.rows_with("Reviews", "REVIEW_CODE", later):
        if r.REVIEW_CODE not in later:
            continue
        review, dob = d(r.REVIEW), d(r.DOB)
        if review is not None and dob is not None and review < add_years(dob, 4):
            yield "Reviews", r


# Internal checks: every table's child is in the Header, once where a table holds one row per child, with the
# Header's date of birth (and sex, for UASC).
_NOT_IN_HEADER = {
    "INT01": "AD1",
    "INT02": "PlacedAdoption",
    "INT03": "Episodes",
    "INT04": "Missing",
    "INT05": "OC2",
    "INT06": "OC3",
    "INT07": "PrevPerm",
    "INT08": "Reviews",
    "INT09": "UASC",
}
_DOB_DIFFERS = {
    "INT11": "AD1",
    "INT12": "PlacedAdoption",
    "INT13": "Missing",
    "INT14": "OC2",
    "INT15": "OC3",
    "INT16": "PrevPerm",
    "INT17": "Reviews",
    "INT18": "UASC",
}
_ONCE = {"INT31": "AD1", "INT32": "Header", "INT33": "OC2", "INT34": "OC3", "INT35": "PrevPerm", "INT36": "UASC"}


def _register_not_in_header(code: str, table: str) -> None:
    def check(ctx: Context) -> Iterator[Hit]:
        if ctx.distinct(table, "CHILD") <= ctx.distinct("Header", "CHILD"):
            return
        header = ctx.header_by_child
        for r in ctx.ret.rows(table):
            if r.CHILD not in header:
                yield table, r

    check.__name__ = f"rule_{code}"
    label = "Data Integrity Check" if code == "INT01" else "Internal Check"
    rule(code, f"{label}: Child in {table} does not exist in Header.", tables=("Header", table), fields=("CHILD",))(
        check
    )


def _register_differs(code: str, table: str, field: str) -> None:
    def check(ctx: Context) -> Iterator[Hit]:
        header = ctx.header_by_child
        if all(
            (h := header.get(child)) is None or getattr(h, field) == value
            for child, value in ctx.distinct_tuples(table, "CHILD", field)
        ):
            return  # every row gives its child's value exactly as the header does (or its child is not there)
        for r in ctx.ret.rows(table):
            h = header.get(r.CHILD)
            if h is None:
                continue
            mine, theirs = getattr(r, field), getattr(h, field)
            if mine == theirs or mine == "" or theirs == "":
                continue  # a value not given is not a different value; the same text is the same value
            if field == "DOB":
                if d(mine) is not None and d(theirs) is not None and d(mine) != d(theirs):
                    yield table, r  # an unreadable date is reported by 102 and the table's own date rule
            elif mine != theirs:
                yield table, r

    check.__name__ = f"rule_{code}"
    rule(
        code,
        f"Internal Check: {field} in {table} is different to {field} in Header.",
        tables=("Header", table),
        fields=(field,),
    )(check)


def _register_once(code: str, table: str) -> None:
    def check(ctx: Context) -> Iterator[Hit]:
        if len(ctx.distinct(table, "CHILD")) == len(ctx.ret.rows(table)):
            return  # no child twice
        for rows in ctx.rows_by_child(table).values():
            if len(rows) > 1:
                for r in rows:
                    yield table, r

    check.__name__ = f"rule_{code}"
    rule(code, f"Internal Check: Child should only exist once in {table}.", tables=(table,), fields=("CHILD",))(check)


for _code, _table in _NOT_IN_HEADER.items():
    _register_not_in_header(_code, _table)
for _code, _table in _DOB_DIFFERS.items():
    _register_differs(_code, _table, "DOB")
_register_differs("INT21", "UASC", "SEX")
for _code, _table in _ONCE.items():
    _register_once(_code, _table)
