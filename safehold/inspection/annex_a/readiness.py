"""Readiness: the data-quality gaps an inspector would notice in an Annex A, derived from its rows (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from safehold.inspection.annex_a import spec
from safehold.inspection.annex_a.domain import AnnexA, AnnexList

UNKNOWN_ETHNICITY = frozenset({spec.ETHNICITY["NOBT"], spec.ETHNICITY["REFU"]})


@dataclass(frozen=True)
class Gap:
    code: str
    title: str
    description: str
    child_ids: tuple[int, ...]


def _open_rows(annex: AnnexA) -> dict[int, list[tuple[AnnexList, int]]]:
    """Lists 6–9 rows for cases still open on the inspection date, by list number: (list, row index)."""
    out: dict[int, list[tuple[AnnexList, int]]] = {}
    l6, l7, l8, l9 = (annex.get(n) for n in (6, 7, 8, 9))
    status = l6.column("Case Status")
    out[6] = [(l6, i) for i, r in enumerate(l6.rows) if r.values[status] != spec.CASE_STATUS["closed"]]
    end = l7.column("Child Protection Plan End Date")
    out[7] = [(l7, i) for i, r in enumerate(l7.rows) if r.values[end] is None]
    ceased = l8.column("Date Ceased to be Looked After")
    out[8] = [(l8, i) for i, r in enumerate(l8.rows) if r.values[ceased] is None]
    out[9] = [(l9, i) for i in range(len(l9.rows))]
    return out


def gaps(annex: AnnexA) -> list[Gap]:
    open_rows = _open_rows(annex)
    visit_column = {
        6: "Date Child Was Last Seen",
        7: "Date of the Last Statutory Visit",
        8: "Date of Last Social Work Visit",
    }
    never_seen: set[int] = set()
    for number, heading in visit_column.items():
        for lst, i in open_rows[number]:
            row = lst.rows[i]
            if row.child_id is not None and row.values[lst.column(heading)] is None:
                never_seen.add(row.child_id)

    unknown: set[int] = set()
    for lst in annex.lists:
        if "Ethnicity" not in lst.headings:
            continue
        col = lst.column("Ethnicity")
        unknown.update(r.child_id for r in lst.rows if r.child_id is not None and r.values[col] in UNKNOWN_ETHNICITY)

    l4 = annex.get(4)
    authorised = l4.column("Continuous Assessment Date of Authorisation")
    decided = l4.column("Was the child assessed as requiring LA children's social care support?")
    unsigned = {
        r.child_id
        for r in l4.rows
        if r.child_id is not None and r.values[authorised] is None and r.values[decided] is not None
    }

    no_worker: set[int] = set()
    for number in (6, 7, 8, 9):
        for lst, i in open_rows[number]:
            row = lst.rows[i]
            if row.child_id is not None and not row.values[lst.column(spec.WORKER)]:
                no_worker.add(row.child_id)

    return [
        Gap(
            "no_visit",
            "No visit recorded",
            "Open children in need, on a child protection plan or in care with no date they were last seen or visited.",
            tuple(sorted(never_seen)),
        ),
        Gap(
            "unknown_ethnicity",
            "Ethnicity not known",
            "Children on any list whose ethnicity is recorded as not yet obtained (NOBT) or refused (REFU).",
            tuple(sorted(unknown)),
        ),
        Gap(
            "unauthorised_assessment",
            "Assessments not signed off",
            "Assessments completed with a decision but with no manager's authorisation date (list 4).",
            tuple(sorted(unsigned)),
        ),
        Gap(
            "no_worker",
            "No allocated worker",
            "Open children in need, on a plan, in care or leaving care allocated to a team but no named worker.",
            tuple(sorted(no_worker)),
        ),
    ]
