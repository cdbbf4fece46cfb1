"""The generator in memory: reproducible, valid, calibrated, and complete in its codes."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehold.core.identifiers import is_valid_nhs_number, is_valid_upn
from safehold.people.domain.matching import DUPLICATE_THRESHOLD, PersonFacts, candidate_pairs, duplicate_score
from safehold.synthetic import borough as B
from safehold.synthetic.borough import Borough, age_on
from safehold.synthetic.coverage import EXPECTED_CODES
from safehold.synthetic.generator import COVERAGE_THRESHOLD, generate_borough
from safehold.synthetic.measure import digest, invariant_errors, measure, missing_codes, values


@cache
def borough(population: int, seed: int, faults: bool = True) -> Borough:
    return generate_borough(population, seed, faults=faults)


def test_same_seed_gives_the_same_borough() -> None:
    a = generate_borough(2000, 42)
    b = generate_borough(2000, 42)
    assert a.counts() == b.counts()
    assert digest(a.rows) == digest(b.rows)
    assert a.planted_duplicates == b.planted_duplicates


def test_different_seeds_give_different_boroughs() -> None:
    assert digest(generate_borough(2000, 1).rows) != digest(generate_borough(2000, 2).rows)


def test_as_of_moves_the_borough_and_nothing_is_in_the_future() -> None:
    as_of = dt.date(2024, 9, 30)
    b = generate_borough(1500, 5, as_of)
    assert invariant_errors(b.rows, as_of) == []
    assert max(e["referral_date"] for e in b.rows[B.EPISODE]) <= as_of


@settings(max_examples=5, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32), population=st.sampled_from([300, 800, 1500]), faults=st.booleans()
)
def test_every_record_keeps_the_invariants(seed: int, population: int, faults: bool) -> None:
    b = generate_borough(population, seed, faults=faults)
    assert invariant_errors(b.rows, b.as_of) == []


def test_a_medium_borough_keeps_the_invariants() -> None:
    b = borough(COVERAGE_THRESHOLD, 1)
    assert invariant_errors(b.rows, b.as_of, limit=20) == []


def test_every_statutory_code_occurs_in_a_large_enough_borough() -> None:
    b = borough(COVERAGE_THRESHOLD, 1)
    assert missing_codes(b.rows, EXPECTED_CODES) == {}
    # The codes that were retired for 2025/26 never appear.
    assert not {"H5", "P2", "Z1"} & set(values(b.rows, B.CARE_EPISODE, "placement_type"))


def test_no_faults_means_complete_valid_identifiers() -> None:
    b = borough(3000, 9, faults=False)
    assert b.planted_duplicates == []
    children = [p for p in b.rows[B.PERSON] if p["is_child_record"]]
    assert children
    for p in children:
        assert p["ethnicity"] not in ("NOBT", "REFU"), p
        if p["date_of_birth"] is None:
            assert p["upn_unknown"] == "UN1" and p["expected_date_of_birth"] is not None
            continue
        assert p["nhs_number"] and is_valid_nhs_number(p["nhs_number"]), p
        if age_on(p["date_of_birth"], b.as_of) < 5:
            assert p["upn_unknown"] == "UN1" and not p["upn"], p
        elif p["uasc"] and p["upn_unknown"]:
            assert p["upn_unknown"] == "UN2", p  # never attended a maintained school in England
        else:
            assert is_valid_upn(p["upn"]) and not p["upn_unknown"], p
    assert all(e["primary_need"] for e in b.rows[B.EPISODE] if not e["referral_nfa"])
    assert all(p["ethnicity"] not in ("NOBT", "REFU") for p in b.rows[B.PERSON])
    assert invariant_errors(b.rows, b.as_of) == []


def test_faults_are_planted_when_asked() -> None:
    b = borough(3000, 9)
    children = [p for p in b.rows[B.PERSON] if p["is_child_record"]]
    ethnicity = values(b.rows, B.PERSON, "ethnicity")
    assert ethnicity["NOBT"] + ethnicity["REFU"] > 0
    assert any(p["upn_unknown"] in ("UN3", "UN4", "UN5", "UN6", "UN7") for p in children)
    assert any(p["nhs_number"] is None and p["date_of_birth"] for p in children)
    share = len(b.planted_duplicates) / len(children)
    assert 0.005 < share < 0.03


def test_rates_of_a_20k_borough_are_near_the_national_figures() -> None:
    b = borough(20_000, 3)
    got = measure(b.rows, b.population, b.as_of)
    # Flows and stocks with enough volume at 20,000 children; the +-10% check on all rates is in the benchmark.
    for key, target in {
        "referrals": 519.4,
        "rereferrals_pct": 22.6,
        "section47": 189.3,
        "icpc": 59.2,
        "cin_at_as_of": 330.3,
        "cpp_at_as_of": 40.6,
        "cla_at_as_of": 67.0,
        "assessments_45wd_pct": 85.7,
        "contacts_per_referral": 2.5,
        "caseload": 15.4,
        "agency_pct": 16.2,
    }.items():
        assert abs(got[key] - target) <= 0.15 * target, (key, got[key], target)


def test_the_demo_social_worker_has_a_caseload_with_overdue_work() -> None:
    b = borough(COVERAGE_THRESHOLD, 1)
    sw = b.demo_staff["sw"]
    open_children = {a["child_id"] for a in b.rows[B.ALLOCATION] if a["worker_id"] == sw and a["end_date"] is None}
    assert 10 <= len(open_children) <= 22
    recent = b.as_of - dt.timedelta(days=42)
    visited = {v["child_id"] for v in b.rows[B.VISIT] if v["visited_on"] > recent and v["visit_type"] in ("cp", "cin")}
    assert open_children - visited, "some of the demo worker's children should be overdue a visit"
    staff = {s["id"]: s for s in b.rows[B.STAFF]}
    assert staff[sw]["role"] == "social_worker" and staff[sw]["employment"] == "permanent"
    assert staff[b.demo_staff["tm"]]["role"] == "team_manager"


def test_every_open_case_is_allocated_and_few_lack_a_worker() -> None:
    b = borough(COVERAGE_THRESHOLD, 1)
    open_eps = {e["child_id"] for e in b.rows[B.EPISODE] if e["closure_date"] is None}
    open_allocs = [a for a in b.rows[B.ALLOCATION] if a["end_date"] is None]
    assert open_eps <= {a["child_id"] for a in open_allocs}
    share = sum(1 for a in open_allocs if a["worker_id"] is None) / len(open_allocs)
    assert 0.01 <= share <= 0.05


def _facts(b: Borough) -> tuple[list[int], list[PersonFacts]]:
    postcode: dict[int, str] = {}
    for a in b.rows[B.ADDRESS]:
        if a["end_date"] is None:
            postcode.setdefault(a["person_id"], a["postcode"])
    ids, facts = [], []
    for p in b.rows[B.PERSON]:
        if p["is_child_record"]:
            ids.append(p["id"])
            facts.append(
                PersonFacts(
                    p["given_name"],
                    p["family_name"],
                    p["date_of_birth"],
                    p["nhs_number"],
                    postcode.get(p["id"]),
                    p["sex"],
                )
            )
    return ids, facts


def duplicate_precision_recall(b: Borough) -> tuple[float, float, int]:
    ids, facts = _facts(b)
    predicted = set()
    for i, j in candidate_pairs(facts):
        score, _ = duplicate_score(facts[i], facts[j])
        if score >= DUPLICATE_THRESHOLD:
            predicted.add((min(ids[i], ids[j]), max(ids[i], ids[j])))
    truth = {(min(a, b_), max(a, b_)) for a, b_ in b.planted_duplicates}
    tp = len(predicted & truth)
    return tp / len(predicted), tp / len(truth), len(truth)


def test_planted_duplicates_measure_the_matcher() -> None:
    precision, recall, n = duplicate_precision_recall(borough(COVERAGE_THRESHOLD, 1))
    assert n > 50
    assert precision >= 0.9, precision
    assert recall >= 0.8, recall


@pytest.mark.parametrize("population", [100, 150])
def test_tiny_boroughs_work(population: int) -> None:
    b = generate_borough(population, 1)
    assert b.counts()[B.EPISODE] > 0
    assert invariant_errors(b.rows, b.as_of) == []
