"""SSDA903 from the children-in-care PAGES, against the DfE sector tool (csc-validator-be-903).

Children are looked after through the pages only (the Django test client, signed in as their social worker):
start a period of care, change placement, record reviews and statutory visits, change legal status, end care.
The SSDA903 return exported from that record must pass the oracle with no issues at all, and Safehold's own
validator must agree. This is the end-to-end check that the forms write what the return needs (reason codes
S/P/L/X1, dates, placement details), not only that the export of a well-formed record is clean.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from test_903_oracle import KNOWN_CRASHING, run_oracle, write

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.core.identifiers import upn_check_letter
from safehold.core.testing import allocate, make_child
from safehold.looked_after.models import CareEpisode, LACReview
from safehold.returns.ssda903.domain import validate
from safehold.returns.ssda903.selectors import ssda903_return

YEAR = 2026  # the collection year 1 April 2025 to 31 March 2026
NOW = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
D = dt.date


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _post(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, f"{url}: {response.content.decode()[:3000]}"


PLACEMENT = {"placement_provider": "PR1", "placement_postcode": "TW1 1AF", "urn": "SC123456"}


def _start(client: Client, base: str, day: dt.date, legal: str = "C2", place: str = "U4") -> None:
    _post(
        client,
        base + "start/",
        {
            **_date("start_date", day),
            "legal_status": legal,
            "category_of_need": "N1",
            "placement_type": place,
            **PLACEMENT,
            "home_postcode": "TW1 1AA",
            "previous_permanence": "Z1",  # no previous permanence order (SSDA903 PrevPerm, rule 630)
        },
    )


def _review(client: Client, base: str, day: dt.date, code: str = "PN1") -> None:
    _post(client, base + "reviews/new/", {**_date("held_on", day), "participation": code, "decisions": "Continue"})


def _visit(client: Client, base: str, day: dt.date) -> None:
    _post(
        client,
        base + "visits/new/",
        {**_date("visited_on", day), "seen": "yes", "seen_alone": "yes", "placement_stable": "yes"},
    )


def _children(worker: Any) -> list[Any]:
    """Four children, each through a different journey in the pages."""
    made = []
    for i, (sex, dob, eth, upn) in enumerate(
        [
            ("F", D(2014, 2, 10), "WBRI", upn_check_letter("123456789012") + "123456789012"),
            ("M", D(2011, 9, 3), "BCRB", upn_check_letter("210987654321") + "210987654321"),
            ("M", D(2016, 6, 21), "MWBC", upn_check_letter("111122223333") + "111122223333"),
            ("F", D(2012, 11, 30), "AIND", upn_check_letter("444455556666") + "444455556666"),
        ]
    ):
        child = make_child(
            given_name=f"Page{i}",
            family_name="Care",
            sex=sex,
            date_of_birth=dob,
            ethnicity=eth,
            upn=upn,
            la_child_id=f"PG{i:06d}",
        )
        allocate(child, worker, start=D(2025, 4, 1))
        made.append(child)
    return made


@pytest.mark.django_db
def test_903_from_children_in_care_pages_has_no_oracle_issues(
    oracle_python: Path, shared_dir: Path, tmp_path: Path, personas: Any
) -> None:
    worker = personas.social_worker
    client = Client()
    with time_machine.travel(NOW, tick=False):
        a, b, c, d = _children(worker)
        client.force_login(worker)

        # A: starts care, first review within 20 working days, a visit, a placement move, a second review, a visit.
        base = f"/care/children/{a.pk}/"
        _start(client, base, D(2025, 5, 6))
        _visit(client, base, D(2025, 5, 12))
        _review(client, base, D(2025, 5, 30))
        _post(
            client,
            base + "placement/",
            {
                **_date("change_date", D(2025, 8, 4)),
                "placement_type": "U1",
                "reason_place_change": "CARPL",
                "same_carer": "no",
                "legal_status": "",
                **PLACEMENT,
            },
        )
        _visit(client, base, D(2025, 8, 8))
        _review(client, base, D(2025, 8, 28))

        # B: starts care, reviewed, a legal status change (interim to full care order), then goes home.
        base = f"/care/children/{b.pk}/"
        _start(client, base, D(2025, 6, 2), legal="C1", place="U6")
        _review(client, base, D(2025, 6, 27))
        _post(client, base + "legal-status/", {**_date("change_date", D(2025, 9, 15)), "legal_status": "C2"})
        _visit(client, base, D(2025, 9, 19))
        _post(client, base + "end/", {**_date("end_date", D(2026, 1, 12)), "reason_ceased": "E4A"})

        # C: accommodated under s.20, a move to a children's home, reviews, still looked after.
        base = f"/care/children/{c.pk}/"
        _start(client, base, D(2025, 10, 1), legal="V2", place="U6")
        _review(client, base, D(2025, 10, 24), code="PN1")
        _post(
            client,
            base + "placement/",
            {
                **_date("change_date", D(2025, 12, 1)),
                "placement_type": "K2",
                "reason_place_change": "CHILD",
                "same_carer": "no",
                "legal_status": "",
                "placement_provider": "PR4",
                "placement_postcode": "TW1 1AR",
                "urn": "SC654321",
            },
        )
        _visit(client, base, D(2025, 12, 5))

        # D: a short period of care that ended with a move to live with relatives.
        base = f"/care/children/{d.pk}/"
        _start(client, base, D(2025, 11, 3), legal="V2", place="U6")
        _review(client, base, D(2025, 11, 28))
        _post(client, base + "end/", {**_date("end_date", D(2026, 2, 2)), "reason_ceased": "E13"})

        ret = ssda903_return(year=YEAR)

    rne = list(
        CareEpisode.objects.order_by("child__la_child_id", "start_date").values_list(
            "child__la_child_id", "reason_new_episode", "reason_ceased"
        )
    )
    assert rne == [
        ("PG000000", "S", "X1"),
        ("PG000000", "P", ""),
        ("PG000001", "S", "X1"),
        ("PG000001", "L", "E4A"),
        ("PG000002", "S", "X1"),
        ("PG000002", "P", ""),
        ("PG000003", "S", "E13"),
    ]
    assert LACReview.objects.count() == 5
    sizes = {
        "header": len(ret.header),
        "episodes": len(ret.episodes),
        "reviews": len(ret.reviews),
        "sw_episodes": len(ret.sw_episodes),
    }
    assert sizes == {"header": 4, "episodes": 7, "reviews": 5, "sw_episodes": 4}, sizes
    assert [(p.CHILD, p.PREV_PERM) for p in ret.prev_perm] == [(f"PG{i:06d}", "Z1") for i in range(4)]
    assert {e.HOME_POST for e in ret.episodes} == {"TW1 1AA"}
    ours = validate(ret)
    flagged, raised = run_oracle(oracle_python, shared_dir, write(ret, tmp_path / "return"), YEAR)
    print(f"\n903 from pages: {sizes}; oracle flags {sorted(flagged)}; Safehold flags {[f.rule_code for f in ours]}")
    assert raised <= KNOWN_CRASHING, raised
    assert flagged == set(), sorted(flagged)
    assert ours == [], [(f.rule_code, f.child_id) for f in ours]
