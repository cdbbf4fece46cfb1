"""The rest of the record in generated boroughs (safehold.synthetic.practice and .staffing): strategy-discussion
decisions, leaving-care accommodation, pre-proceedings and proceedings, case audits, posts, leavers' reasons,
training and ASYE — each keeping its model's invariants, deterministic from the seed; and no allocation short
enough to make a social worker episode the SSDA903 rules reject."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import cache
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from safehold.synthetic import borough as B
from safehold.synthetic import practice as P
from safehold.synthetic import staffing as S
from safehold.synthetic.borough import Borough, Rows, birthday
from safehold.synthetic.generator import generate_borough
from safehold.synthetic.measure import digest
from safehold.synthetic.workforce import MIN_EPISODE_DAYS, merge_short_allocations

LABELS = P.MODELS + S.MODELS


@cache
def borough(population: int, seed: int, faults: bool = True) -> Borough:
    return generate_borough(population, seed, faults=faults)


def practice_errors(rows: Rows, as_of: dt.date) -> list[str]:  # noqa: C901 - one list of invariants
    """The invariants of the records this module adds (empty = all good)."""
    errs: list[str] = []
    persons = {p["id"]: p for p in rows.get(B.PERSON, [])}
    episodes = {e["id"]: e for e in rows.get(B.EPISODE, [])}
    discussions = {s["id"]: s for s in rows.get(B.STRATEGY, [])}
    outstanding: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    for d in rows.get(P.STRATEGY_DECISION, []):
        ep = episodes[d["episode_id"]]
        if d["decided_on"] < ep["referral_date"] or d["decided_on"] > as_of:
            errs.append(f"strategy decision {d['id']}: outside its episode or after the as-of date")
        if d["discussion_id"] is None:
            outstanding[d["episode_id"]] += 1
        else:
            answered[d["discussion_id"]] += 1
            held = discussions[d["discussion_id"]]
            if held["episode_id"] != d["episode_id"] or held["held_on"] < d["decided_on"]:
                errs.append(f"strategy decision {d['id']}: after its discussion or on another episode")
    errs += [f"episode {e}: {n} outstanding strategy decisions" for e, n in outstanding.items() if n > 1]
    errs += [f"discussion {s}: answers {n} decisions" for s, n in answered.items() if n > 1]

    spells: dict[int, list[Any]] = defaultdict(list)
    for a in rows.get(P.LC_ACCOMMODATION, []):
        spells[a["child_id"]].append(a)
        dob = persons[a["child_id"]]["date_of_birth"]
        until = a["provided_until"]
        if until is not None and until < a["provided_from"] or a["provided_from"] > as_of:
            errs.append(f"accommodation {a['id']}: dates out of order")
        if until is not None and until > as_of:
            errs.append(f"accommodation {a['id']}: ended after the as-of date")
        if a["basis"] == "s23B8" and (until or as_of) >= birthday(dob, 18):
            errs.append(f"accommodation {a['id']}: s.23B(8) after the 18th birthday")
        if a["basis"] == "s24B5" and a["provided_from"] < birthday(dob, 18):
            errs.append(f"accommodation {a['id']}: vacation accommodation before 18")
    for child, lst in spells.items():
        lst.sort(key=lambda a: a["provided_from"])
        for x, y in zip(lst, lst[1:], strict=False):
            if x["provided_until"] is None or x["provided_until"] >= y["provided_from"]:
                errs.append(f"child {child}: overlapping leaving-care accommodation")

    pre = {p["id"]: p for p in rows.get(P.PRE_PROCEEDINGS, [])}
    for p in pre.values():
        if p["letter_sent_on"] is not None and p["letter_sent_on"] < p["started_on"]:
            errs.append(f"pre-proceedings {p['id']}: letter before the start")
        if (p["fgdm_offered_on"] is None) != (p["fgdm_response"] == ""):
            errs.append(f"pre-proceedings {p['id']}: FGDM offer and response not together")
        if p["fgdm_held_on"] is not None and (
            p["fgdm_response"] != "accepted" or p["fgdm_held_on"] < p["fgdm_offered_on"]
        ):
            errs.append(f"pre-proceedings {p['id']}: FGDM held without an accepted offer")
        if (p["decided_on"] is None) != (p["decision"] == ""):
            errs.append(f"pre-proceedings {p['id']}: decision and date not together")
        if p["decided_on"] is not None and not p["started_on"] <= p["decided_on"] <= as_of:
            errs.append(f"pre-proceedings {p['id']}: decided outside its span")
    for m in rows.get(P.PP_MEETING, []):
        p = pre[m["pre_proceedings_id"]]
        if not p["started_on"] <= m["held_on"] <= (p["decided_on"] or as_of):
            errs.append(f"pre-proceedings meeting {m['id']}: outside its pre-proceedings")
        if m["next_review_on"] is not None and m["next_review_on"] <= m["held_on"]:
            errs.append(f"pre-proceedings meeting {m['id']}: review not after the meeting")
    proceedings = {p["id"]: p for p in rows.get(P.PROCEEDINGS, [])}
    linked: Counter[int] = Counter()
    for p in proceedings.values():
        if (p["concluded_on"] is None) != (p["outcome"] == ""):
            errs.append(f"proceedings {p['id']}: outcome and conclusion not together")
        if p["concluded_on"] is not None and not p["issued_on"] <= p["concluded_on"] <= as_of:
            errs.append(f"proceedings {p['id']}: concluded outside its span")
        if p["issued_on"] > as_of or p["issued_on"] < persons[p["child_id"]]["date_of_birth"]:
            errs.append(f"proceedings {p['id']}: issued after the as-of date or before birth")
        if p["pre_proceedings_id"] is not None:
            linked[p["pre_proceedings_id"]] += 1
            pp = pre[p["pre_proceedings_id"]]
            if pp["decision"] != "issue" or pp["decided_on"] > p["issued_on"] or pp["child_id"] != p["child_id"]:
                errs.append(f"proceedings {p['id']}: pre-proceedings did not decide to issue before it")
    errs += [f"pre-proceedings {k}: {n} applications" for k, n in linked.items() if n > 1]
    for label, start, end in (
        (P.PRE_PROCEEDINGS, "started_on", "decided_on"),
        (P.PROCEEDINGS, "issued_on", "concluded_on"),
    ):
        per_child: dict[int, list[Any]] = defaultdict(list)
        for p in rows.get(label, []):
            per_child[p["child_id"]].append(p)
        for child, lst in per_child.items():
            lst.sort(key=lambda p: p[start])
            for x, y in zip(lst, lst[1:], strict=False):
                if x[end] is None or x[end] >= y[start]:
                    errs.append(f"child {child}: overlapping {label}")
    for h in rows.get(P.HEARING, []):
        p = proceedings[h["proceedings_id"]]
        if not p["issued_on"] <= h["heard_on"] <= (p["concluded_on"] or as_of):
            errs.append(f"hearing {h['id']}: outside its proceedings")
    for x in rows.get(P.EXTENSION, []):
        p = proceedings[x["proceedings_id"]]
        if not p["issued_on"] < x["granted_on"] < x["extended_to"] or x["granted_on"] > as_of:
            errs.append(f"extension {x['id']}: dates out of order")

    audits = {a["id"]: a for a in rows.get(P.CASE_AUDIT, [])}
    grades: Counter[int] = Counter()
    for g in rows.get(P.AUDIT_GRADE, []):
        grades[g["audit_id"]] += 1
    staff = {s["id"]: s for s in rows.get(B.STAFF, [])}
    for a in audits.values():
        if not a["findings"] or a["audited_on"] > as_of or a["moderator_id"] == a["auditor_id"]:
            errs.append(f"audit {a['id']}: no findings, in the future or moderated by its auditor")
        if (a["moderator_id"] is None) != (a["moderation"] == "") or (a["moderated_grade"] != "") != (
            a["moderation"] == "regraded"
        ):
            errs.append(f"audit {a['id']}: moderation fields not together")
        if a["moderated_on"] is not None and not a["audited_on"] <= a["moderated_on"] <= as_of:
            errs.append(f"audit {a['id']}: moderated outside its span")
        auditor = staff[a["auditor_id"]]
        if auditor["start_date"] > a["audited_on"] or (auditor["leave_date"] or as_of) < a["audited_on"]:
            errs.append(f"audit {a['id']}: auditor not in post")
        if grades[a["id"]] != len(P._audit_domains()):
            errs.append(f"audit {a['id']}: {grades[a['id']]} domain grades")
    for x in rows.get(P.AUDIT_ACTION, []):
        a = audits[x["audit_id"]]
        if x["child_id"] != a["child_id"] or x["due_date"] <= a["audited_on"]:
            errs.append(f"audit action {x['id']}: another child or due before the audit")
        if x["completed_on"] is not None and not a["audited_on"] <= x["completed_on"] <= as_of:
            errs.append(f"audit action {x['id']}: completed outside its span")

    holders = Counter(p["holder_id"] for p in rows.get(S.POST, []) if p["holder_id"] is not None)
    errs += [f"staff {s}: holds {n} posts" for s, n in holders.items() if n > 1]
    for p in rows.get(S.POST, []):
        if p["opened_on"] > as_of:
            errs.append(f"post {p['id']}: opened after the as-of date")
        if p["holder_id"] is not None and staff[p["holder_id"]]["leave_date"] is not None:
            errs.append(f"post {p['id']}: held by a leaver")
    for s in staff.values():
        if (s["leave_date"] is not None) != (s["leave_reason"] != ""):
            errs.append(f"staff {s['id']}: leave reason without leaving, or leaving without one")
        if s["role"] == "asye" and s["start_date"] < min(s["leave_date"] or as_of, as_of) - dt.timedelta(days=366):
            errs.append(f"staff {s['id']}: still in the ASYE year after more than a year")
    for t in rows.get(S.TRAINING, []):
        if t["completed_on"] > as_of or (t["expires_on"] is not None and t["expires_on"] <= t["completed_on"]):
            errs.append(f"training {t['id']}: dates out of order")
        if t["completed_on"] < staff[t["staff_id"]]["start_date"]:
            errs.append(f"training {t['id']}: before the member of staff started")
    return errs[:50]


def short_allocations(rows: Rows, as_of: dt.date) -> list[str]:
    """Allocations of looked-after children ending in the year to ``as_of``, within their time in care (what the
    903 export reports as social worker episodes), ending fewer than MIN_EPISODE_DAYS days after they start
    (SW09STG2)."""
    span: dict[int, tuple[dt.date, dt.date | None]] = {}
    for p in rows.get(B.PERIOD, []):
        first, last = span.get(p["child_id"], (p["start_date"], p["end_date"]))
        ends = None if last is None or p["end_date"] is None else max(last, p["end_date"])
        span[p["child_id"]] = (min(first, p["start_date"]), ends)
    out = []
    for a in rows.get(B.ALLOCATION, []):
        if a["child_id"] not in span or a["end_date"] is None or a["end_date"] <= as_of - dt.timedelta(days=365):
            continue
        since, until = span[a["child_id"]]
        if a["end_date"] < since or (until is not None and a["start_date"] > until):
            continue
        if until is not None and a["end_date"] >= until:
            continue  # with the child when care ended: reported open (SW17STG2), so never short
        if (a["end_date"] - max(a["start_date"], since)).days < MIN_EPISODE_DAYS:
            out.append(f"allocation {a['id']} of child {a['child_id']}: {a['start_date']} to {a['end_date']}")
    return out


@settings(max_examples=4, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32), population=st.sampled_from([400, 1500, 3000]), faults=st.booleans()
)
def test_the_added_records_keep_their_invariants(seed: int, population: int, faults: bool) -> None:
    b = generate_borough(population, seed, faults=faults)
    assert practice_errors(b.rows, b.as_of) == []


@settings(max_examples=4, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32), population=st.sampled_from([400, 1500, 3000]), faults=st.booleans()
)
@example(seed=1926087, population=1500, faults=False)  # a vacant post held by the team manager as care started
@example(seed=745875378, population=3000, faults=False)  # a referral closed at the front door between two periods
def test_no_social_worker_episode_is_too_short(seed: int, population: int, faults: bool) -> None:
    b = generate_borough(population, seed, faults=faults)
    assert short_allocations(b.rows, b.as_of) == []


def test_a_larger_borough_has_every_kind_of_record_and_keeps_the_invariants() -> None:
    b = borough(12_000, 7, faults=False)
    assert practice_errors(b.rows, b.as_of) == []
    assert short_allocations(b.rows, b.as_of) == []
    for label in LABELS:
        assert b.rows.get(label), f"no {label} generated"
    rows = b.rows
    # Every strategy discussion answers a decision; some decisions are still waiting for theirs.
    assert {d["discussion_id"] for d in rows[P.STRATEGY_DECISION]} >= {s["id"] for s in rows[B.STRATEGY]}
    kinds = Counter(p["decision"] for p in rows[P.PRE_PROCEEDINGS])
    assert kinds["issue"] and kinds["step_down"]
    assert {h["kind"] for h in rows[P.HEARING]} >= {"first", "cmh", "irh", "final"}
    assert {p["fgdm_response"] for p in rows[P.PRE_PROCEEDINGS]} >= {"accepted", "declined"}
    assert {a["basis"] for a in rows[P.LC_ACCOMMODATION]} >= {"s23B8"}
    assert {a["grade"] for a in rows[P.CASE_AUDIT]} >= {"good", "requires_improvement", "inadequate"}
    assert {a["moderation"] for a in rows[P.CASE_AUDIT]} >= {"agreed", "regraded"}
    staff = rows[B.STAFF]
    assert {s["leave_reason"] for s in staff if s["leave_date"]} >= {"resigned_la", "contract_end", "retired"}
    assert any(t["course"] == S.ASYE_COURSE for t in rows[S.TRAINING])
    expired = [t for t in rows[S.TRAINING] if t["expires_on"] is not None and t["expires_on"] <= b.as_of]
    assert 0 < len(expired) < len(rows[S.TRAINING]) / 4


def test_the_added_records_are_deterministic_and_move_nothing_else() -> None:
    a = generate_borough(2500, 11)
    b = generate_borough(2500, 11)
    for label in LABELS:
        assert digest(Rows({label: a.rows.get(label, [])})) == digest(Rows({label: b.rows.get(label, [])})), label
    assert digest(a.rows) == digest(b.rows)
    c = generate_borough(2500, 12)
    assert digest(Rows({P.CASE_AUDIT: a.rows[P.CASE_AUDIT]})) != digest(Rows({P.CASE_AUDIT: c.rows[P.CASE_AUDIT]}))


def test_the_added_records_are_in_the_load_order_after_what_they_point_at() -> None:
    order = list(B.MODEL_ORDER)
    for label in LABELS:
        assert label in order, label
    assert order.index(P.PROCEEDINGS) > order.index(P.PRE_PROCEEDINGS)
    assert order.index(P.AUDIT_ACTION) > order.index(P.CASE_AUDIT) > order.index(B.STAFF)


def _alloc(start: str, end: str | None, worker: int | None) -> dict[str, Any]:
    return {
        "start_date": dt.date.fromisoformat(start),
        "end_date": dt.date.fromisoformat(end) if end else None,
        "worker_id": worker,
        "end_reason": "LEFTRL" if end else "",
    }


@pytest.mark.parametrize(
    ("allocs", "expected"),
    [
        # A holder leaving the day after the case came in: the next holder has it from the start.
        (
            [_alloc("2025-07-03", "2025-07-03", 1), _alloc("2025-07-04", None, 2)],
            [("2025-07-03", None, 2)],
        ),
        # A one-day vacancy between two holders goes to the next holder.
        (
            [
                _alloc("2025-01-01", "2025-07-02", 1),
                _alloc("2025-07-03", "2025-07-03", 9),
                _alloc("2025-07-04", None, 2),
            ],
            [("2025-01-01", "2025-07-02", 1), ("2025-07-03", None, 2)],
        ),
        # A case closed two days after a change of worker stays with the worker before.
        (
            [_alloc("2025-01-01", "2025-03-01", 1), _alloc("2025-03-02", "2025-03-04", 2)],
            [("2025-01-01", "2025-03-04", 1)],
        ),
        # Three days or more is a real allocation; a lone short one is left alone.
        (
            [_alloc("2025-01-01", "2025-01-04", 1), _alloc("2025-01-05", None, 2)],
            [("2025-01-01", "2025-01-04", 1), ("2025-01-05", None, 2)],
        ),
        ([_alloc("2025-01-01", "2025-01-02", 1)], [("2025-01-01", "2025-01-02", 1)]),
    ],
)
def test_short_allocations_are_merged_into_their_neighbour(allocs: list[dict[str, Any]], expected: list[Any]) -> None:
    merge_short_allocations(allocs)
    got = [
        (a["start_date"].isoformat(), a["end_date"].isoformat() if a["end_date"] else None, a["worker_id"])
        for a in allocs
    ]
    assert got == expected


def _held(allocs: list[dict[str, Any]]) -> list[Any]:
    return [
        (a["start_date"].isoformat(), a["end_date"].isoformat() if a["end_date"] else None, a["worker_id"])
        for a in allocs
    ]


@pytest.mark.parametrize(
    ("care_start", "allocs", "expected"),
    [
        # Came into care in an emergency three days after the referral: the assessment worker's days before care
        # stay theirs; the team manager's day holding a vacant post goes to the new worker from the care start.
        (
            "2026-01-14",
            [
                _alloc("2026-01-11", "2026-01-13", 1),
                _alloc("2026-01-14", "2026-01-15", None),
                _alloc("2026-01-16", None, 2),
            ],
            [("2026-01-11", "2026-01-13", 1), ("2026-01-14", None, 2)],
        ),
        # A worker who leaves two days after the child came into care hands the child on when care starts.
        (
            "2025-09-14",
            [_alloc("2025-06-01", "2025-09-16", 1), _alloc("2025-09-17", None, 2)],
            [("2025-06-01", "2025-09-13", 1), ("2025-09-14", None, 2)],
        ),
        # So does the team manager holding the case when the new worker starts a day after care started.
        (
            "2025-09-14",
            [_alloc("2025-09-01", "2025-09-14", None), _alloc("2025-09-15", None, 2)],
            [("2025-09-01", "2025-09-13", None), ("2025-09-14", None, 2)],
        ),
        # Three days into care or more is left alone.
        (
            "2025-09-14",
            [_alloc("2025-06-01", "2025-09-17", 1), _alloc("2025-09-18", None, 2)],
            [("2025-06-01", "2025-09-17", 1), ("2025-09-18", None, 2)],
        ),
    ],
)
def test_no_allocation_ends_just_after_care_starts(care_start: str, allocs: list[Any], expected: list[Any]) -> None:
    merge_short_allocations(allocs, [dt.date.fromisoformat(care_start)])
    assert _held(allocs) == expected
