"""Shared fixtures of the SSDA903 rule tests: the clean base return and small editing helpers.

The case lists live in test_903_rules.py and in the cases_903_*.py modules it gathers; the oracle agreement test
(oracles/test_903_oracle.py) reuses all of them.
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from safehold.returns.ssda903.domain import synthetic
from safehold.returns.ssda903.domain import tables as t

A, B, C, L = "C007000000", "C007000001", "C007000002", "C007000003"
BASE = synthetic.clean_return(8, seed=7)
BASE_2027 = synthetic.clean_return(8, seed=7, year=2027)


def edit(ret: t.Return903, table: str, child: str, i: int = 0, **changes: str) -> None:
    rows = ret.rows(table)
    index = [k for k, r in enumerate(rows) if r.CHILD == child][i]
    rows[index] = dataclasses.replace(rows[index], **changes)


def add(ret: t.Return903, table: str, row: Any) -> None:
    ret.rows(table).append(row)


def drop(ret: t.Return903, table: str, child: str) -> None:
    rows = ret.rows(table)
    rows[:] = [r for r in rows if r.CHILD != child]


def ad1(ret: t.Return903, **changes: str) -> None:
    """C is adopted instead of going home: last episode E11 from an A5 placement, with a full AD1 row."""
    edit(ret, "Episodes", C, 1, PLACE="A5", REC="E11", RNE="T", URN="XXXXXXX")
    add(ret, "AD1", t.AD1(C, "05/01/2017", "01/05/2025", "10/06/2025", "1", "2", "MF", "L11"))
    add(ret, "PlacedAdoption", t.PlacedAdoption(C, "05/01/2017", "01/05/2025", "", ""))
    if changes:
        edit(ret, "AD1", C, 0, **changes)


Mutation = Callable[[t.Return903], object]
