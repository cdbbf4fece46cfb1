"""Read a generated borough back: the calibrated rates, code coverage, invariants and a content digest.

Works on the in-memory rows (``Borough.rows``), so tests and the benchmark can check a borough without a
database. Dates are compared as ``datetime.date``; the working-day counts use the same calendar as the
generator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from safehold.core.identifiers import is_valid_la_child_id, is_valid_nhs_number, is_valid_upn
from safehold.synthetic import borough as B
from safehold.synthetic import rates
from safehold.synthetic.borough import Rows, age_on, birthday
from safehold.timescales.domain.calendar import WorkingDayCalendar

SW_ROLES = frozenset({"social_worker", "advanced_practitioner", "asye"})
CASE_ROLES = SW_ROLES | {"personal_adviser"}
EET = frozenset({"F1", "F2", "F4", "F5", "P1", "P2", "P4", "P5"})


def _pct(n: float, d: float) -> float:
    return round(100.0 * n / d, 1) if d else 0.0


def measure(rows: Rows, population: int, as_of: dt.date) -> dict[str, float]:
    """The generated value of every rate in :data:`rates.RATES` (same units)."""
    cal = WorkingDayCalendar()
    k = population / 10_000
    year_start = as_of - dt.timedelta(days=365)

    def in_year(d: dt.date | None) -> bool:
        return d is not None and year_start < d <= as_of

    out: dict[str, float] = {}
    episodes = rows.get(B.EPISODE, [])
    by_child: dict[int, list[dt.date]] = defaultdict(list)
    for e in episodes:
        by_child[e["child_id"]].append(e["referral_date"])
    refs_year = [e for e in episodes if in_year(e["referral_date"])]
    rerefs = 0
    for e in refs_year:
        prev = [d for d in by_child[e["child_id"]] if d < e["referral_date"]]
        if prev and (e["referral_date"] - max(prev)).days <= 365:
            rerefs += 1
    out["referrals"] = round(len(refs_year) / k, 1)
    out["rereferrals_pct"] = _pct(rerefs, len(refs_year))
    out["referral_nfa_pct"] = _pct(sum(1 for e in refs_year if e["referral_nfa"]), len(refs_year))
    contacts_year = sum(1 for c in rows.get(B.CONTACT, []) if in_year(c["received_at"].date()))
    out["contacts_per_referral"] = round(contacts_year / len(refs_year), 2) if refs_year else 0.0
    assessments = rows.get(B.ASSESSMENT, [])
    out["assessments_per_referral"] = (
        round(sum(1 for a in assessments if in_year(a["start_date"])) / len(refs_year), 2) if refs_year else 0.0
    )
    authorised = [a for a in assessments if in_year(a["authorised_date"])]
    on_time = sum(1 for a in authorised if cal.working_days_between(a["start_date"], a["authorised_date"]) <= 45)
    out["assessments_45wd_pct"] = _pct(on_time, len(authorised))
    s47s = rows.get(B.S47, [])
    out["section47"] = round(sum(1 for s in s47s if in_year(s["start_date"])) / k, 1)
    icpcs = [s for s in s47s if in_year(s["icpc_date"])]
    transfer = sum(1 for c in rows.get(B.CONFERENCE, []) if c["kind"] == "transfer_in" and in_year(c["held_on"]))
    out["icpc"] = round((len(icpcs) + transfer) / k, 1)
    out["icpc_15wd_pct"] = _pct(sum(1 for s in icpcs if s["icpc_date"] <= s["icpc_target_date"]), len(icpcs))
    out["cin_at_as_of"] = round(
        sum(
            1
            for e in episodes
            if e["referral_date"] <= as_of and (e["closure_date"] is None or e["closure_date"] > as_of)
        )
        / k,
        1,
    )
    plans = rows.get(B.CPP, [])
    ep_child = {e["id"]: e["child_id"] for e in episodes}
    out["cpp_at_as_of"] = round(sum(1 for p in plans if p["end_date"] is None) / k, 1)
    starts: dict[int, list[dt.date]] = defaultdict(list)
    for p in plans:
        starts[ep_child[p["episode_id"]]].append(p["start_date"])
    year_plans = [p for p in plans if in_year(p["start_date"])]
    second = sum(1 for p in year_plans if any(d < p["start_date"] for d in starts[ep_child[p["episode_id"]]]))
    out["cpp_second_pct"] = _pct(second, len(year_plans))
    care_eps: dict[int, list[Any]] = defaultdict(list)
    for e in rows.get(B.CARE_EPISODE, []):
        care_eps[e["period_id"]].append(e)
    persons = {p["id"]: p for p in rows.get(B.PERSON, [])}
    cla = uasc = three = 0
    for p in rows.get(B.PERIOD, []):
        if p["end_date"] is not None:
            continue
        eps = sorted(care_eps[p["id"]], key=lambda e: e["start_date"])
        if eps[-1]["legal_status"] in ("V3", "V4"):
            continue
        cla += 1
        if persons[p["child_id"]]["uasc"]:
            uasc += 1
        placements = 1 + sum(1 for e in eps if in_year(e["start_date"]) and e["reason_new_episode"] in "PBTU")
        if placements >= 3:
            three += 1
    out["cla_at_as_of"] = round(cla / k, 1)
    out["uasc_at_as_of"] = round(uasc / k, 1)
    out["cla_3plus_placements_pct"] = _pct(three, cla)
    cl = [
        c
        for c in rows.get(B.CL_CONTACT, [])
        if in_year(c["contacted_on"])
        and 19 <= age_on(persons[c["child_id"]]["date_of_birth"], c["contacted_on"] + dt.timedelta(days=40)) <= 21
    ]
    out["care_leavers_not_in_touch_pct"] = _pct(sum(1 for c in cl if c["in_touch"] == "NO"), len(cl))
    out["care_leavers_suitable_pct"] = _pct(sum(1 for c in cl if c["accommodation"].endswith("1")), len(cl))
    out["care_leavers_eet_pct"] = _pct(sum(1 for c in cl if c["activity"] in EET), len(cl))
    leavers = rows.get(B.CARE_LEAVER, [])
    out["care_leavers_at_as_of"] = round(
        sum(
            1
            for c in leavers
            if c["eligibility"] != "eligible" and age_on(persons[c["child_id"]]["date_of_birth"], as_of) <= 21
        )
        / k,
        1,
    )
    out["private_fostering"] = round(
        sum(1 for p in rows.get(B.PRIVATE_FOSTERING, []) if in_year(p["notified_on"])) / k, 1
    )
    staff = rows.get(B.STAFF, [])
    in_post = [s for s in staff if s["start_date"] <= as_of and (s["leave_date"] is None or s["leave_date"] > as_of)]
    sw_now = [s for s in in_post if s["role"] in SW_ROLES]
    out["agency_pct"] = _pct(sum(1 for s in sw_now if s["employment"] == "agency"), len(sw_now))
    la_now = [s for s in sw_now if s["employment"] != "agency"]
    left = [s for s in staff if s["role"] in SW_ROLES and s["employment"] != "agency" and in_year(s["leave_date"])]
    out["turnover_pct"] = _pct(len(left), len(la_now))
    role = {s["id"]: s["role"] for s in staff}
    open_allocs = [a for a in rows.get(B.ALLOCATION, []) if a["end_date"] is None]
    # Case-holding workers: practitioners in post who hold at least one open case.
    holding = Counter(
        a["worker_id"] for a in open_allocs if a["worker_id"] is not None and role[a["worker_id"]] in CASE_ROLES
    )
    out["caseload"] = round(sum(holding.values()) / len(holding), 1) if holding else 0.0
    out["unallocated_pct"] = _pct(sum(1 for a in open_allocs if a["worker_id"] is None), len(open_allocs))
    return out


def rate_table(rows: Rows, population: int, as_of: dt.date) -> list[tuple[str, str, float, float, bool]]:
    """(key, label, target, generated, within +-10%) for every checked rate."""
    got = measure(rows, population, as_of)
    table = []
    for r in rates.RATES:
        if not r.checked or r.key not in got:
            continue
        value = got[r.key]
        ok = abs(value - r.value) <= 0.1 * r.value + 1e-9  # (4.4 against 4.0 is within, despite binary floats)
        table.append((r.key, r.label, r.value, value, ok))
    return table


# ---------------------------------------------------------------------------------------------- digest


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return v


def digest(rows: Rows) -> str:
    """A SHA-256 over every row of every model, in id order: equal digests mean identical boroughs."""
    h = hashlib.sha256()
    for label in B.MODEL_ORDER:
        for row in sorted(rows.get(label, []), key=lambda r: r["id"]):
            h.update(label.encode())
            h.update(json.dumps({k: _jsonable(v) for k, v in sorted(row.items())}, sort_keys=True).encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------- coverage


def values(rows: Rows, label: str, field: str) -> Counter[str]:
    c: Counter[str] = Counter()
    for row in rows.get(label, []):
        v = row.get(field)
        if isinstance(v, list):
            c.update(v)
        elif v not in (None, ""):
            c[str(v)] += 1
    return c


def missing_codes(rows: Rows, expected: Mapping[tuple[str, str], Iterable[str]]) -> dict[str, list[str]]:
    """For each (model, field), the expected codes that never occur."""
    out: dict[str, list[str]] = {}
    for (label, field), codes in expected.items():
        have = values(rows, label, field)
        miss = [c for c in codes if have[c] == 0]
        if miss:
            out[f"{label}.{field}"] = miss
    return out


# ---------------------------------------------------------------------------------------------- invariants


def invariant_errors(rows: Rows, as_of: dt.date, *, limit: int = 50) -> list[str]:
    """Statutory and model invariants that every generated borough must keep (empty list = all good)."""
    errs: list[str] = []

    def err(msg: str) -> None:
        if len(errs) < limit:
            errs.append(msg)

    persons = {p["id"]: p for p in rows.get(B.PERSON, [])}
    for p in persons.values():
        if p["nhs_number"] and not is_valid_nhs_number(p["nhs_number"]):
            err(f"person {p['id']}: invalid NHS number")
        if p["upn"] and not is_valid_upn(p["upn"]):
            err(f"person {p['id']}: invalid UPN")
        if p["upn"] and p["upn_unknown"]:
            err(f"person {p['id']}: UPN and UPN unknown")
        if p["la_child_id"] and not is_valid_la_child_id(p["la_child_id"]):
            err(f"person {p['id']}: invalid LA child id")
        if p["is_child_record"] and p["date_of_birth"] is None and p["expected_date_of_birth"] is None:
            err(f"person {p['id']}: no date of birth")
        if p["date_of_birth"] is None and p["expected_date_of_birth"] and p["sex"] != "U":
            err(f"person {p['id']}: unborn with a sex")
        if p["date_of_death"] and p["date_of_birth"] and p["date_of_death"] < p["date_of_birth"]:
            err(f"person {p['id']}: died before birth")
        if p["uasc_ceased"] and (not p["uasc"] or p["uasc_ceased"] > birthday(p["date_of_birth"], 18)):
            err(f"person {p['id']}: UASC ceased wrong")
        for f in ("date_of_birth", "date_of_death", "uasc_ceased"):
            if p[f] and p[f] > as_of:
                err(f"person {p['id']}: {f} after as-of")
    open_eps: Counter[int] = Counter()
    episodes = {e["id"]: e for e in rows.get(B.EPISODE, [])}
    by_child: dict[int, list[Any]] = defaultdict(list)
    for e in episodes.values():
        by_child[e["child_id"]].append(e)
        if e["closure_date"] is None:
            open_eps[e["child_id"]] += 1
            if e["closure_reason"]:
                err(f"episode {e['id']}: open with a reason")
        else:
            if e["closure_date"] < e["referral_date"]:
                err(f"episode {e['id']}: closed before referral")
            if not e["closure_reason"]:
                err(f"episode {e['id']}: closed without reason")
            if e["closure_date"] > as_of:
                err(f"episode {e['id']}: closure after as-of")
        if e["referral_date"] > as_of:
            err(f"episode {e['id']}: referral after as-of")
    for child, n in open_eps.items():
        if n > 1:
            err(f"child {child}: {n} open CIN episodes")
    for child, eps in by_child.items():
        eps.sort(key=lambda e: e["referral_date"])
        for a, b in zip(eps, eps[1:], strict=False):
            if a["closure_date"] is None or a["closure_date"] > b["referral_date"]:
                err(f"child {child}: overlapping CIN episodes {a['id']} {b['id']}")
    assessed = {a["episode_id"] for a in rows.get(B.ASSESSMENT, [])}
    for e in episodes.values():
        if e["closure_reason"] in ("RC8", "RC9") and e["id"] not in assessed:
            err(f"episode {e['id']}: {e['closure_reason']} without an assessment")
    for a in rows.get(B.ASSESSMENT, []):
        ep = episodes[a["episode_id"]]
        if a["start_date"] < ep["referral_date"]:
            err(f"assessment {a['id']}: starts before referral")
        if a["completed_date"] and a["completed_date"] < a["start_date"]:
            err(f"assessment {a['id']}: completed before start")
        if a["authorised_date"] and (a["completed_date"] is None or a["authorised_date"] < a["completed_date"]):
            err(f"assessment {a['id']}: authorised before completion")
        if "21" in a["factors"] and len(a["factors"]) > 1:
            err(f"assessment {a['id']}: factor 21 with others")
        for f in ("start_date", "completed_date", "authorised_date", "child_seen_date"):
            if a[f] and a[f] > as_of:
                err(f"assessment {a['id']}: {f} after as-of")
    for s in rows.get(B.S47, []):
        if s["icpc_date"] and s["icpc_date"] < s["start_date"]:
            err(f"s47 {s['id']}: ICPC before start")
        if s["icpc_not_required"] and s["icpc_date"]:
            err(f"s47 {s['id']}: ICPC not required but held")
        if s["icpc_date"] and s["icpc_date"] > as_of:
            err(f"s47 {s['id']}: ICPC after as-of")
    plans_by_child: dict[int, list[Any]] = defaultdict(list)
    for p in rows.get(B.CPP, []):
        if p["end_date"] is not None and p["end_date"] <= p["start_date"]:
            err(f"CP plan {p['id']}: ends on or before its start")
        plans_by_child[episodes[p["episode_id"]]["child_id"]].append(p)
    for child, plans in plans_by_child.items():
        plans.sort(key=lambda p: p["start_date"])
        for a, b in zip(plans, plans[1:], strict=False):
            if a["end_date"] is None or a["end_date"] > b["start_date"]:
                err(f"child {child}: overlapping CP plans")
    cp_by_episode: dict[int, list[Any]] = defaultdict(list)
    for p in rows.get(B.CPP, []):
        cp_by_episode[p["episode_id"]].append(p)
    far = dt.date.max
    for p in rows.get(B.CIN_PLAN, []):
        if p["end_date"] is not None and p["end_date"] < p["start_date"]:
            err(f"CIN plan {p['id']}: ends before start")
        for cp in cp_by_episode.get(p["episode_id"], []):
            # CIN rules 4001-4017: a CIN plan cannot run at the same time as a CP plan
            if p["start_date"] < (cp["end_date"] or far) and cp["start_date"] < (p["end_date"] or far):
                err(f"CIN plan {p['id']}: overlaps CP plan {cp['id']}")
    for v in rows.get(B.VISIT, []):
        if v["seen_alone"] and not v["seen"]:
            err(f"visit {v['id']}: seen alone but not seen")
        if v["visited_on"] > as_of:
            err(f"visit {v['id']}: after as-of")
    for c in rows.get(B.CONTACT, []):
        if c["decided_at"] is not None and c["decided_at"] < c["received_at"]:
            err(f"contact {c['id']}: decided before received")
        if c["outcome"] and c["decided_at"] is None:
            err(f"contact {c['id']}: outcome without decision")
        if c["received_at"].date() > as_of:
            err(f"contact {c['id']}: after as-of")
    eps_by_period: dict[int, list[Any]] = defaultdict(list)
    for e in rows.get(B.CARE_EPISODE, []):
        eps_by_period[e["period_id"]].append(e)
        if (e["end_date"] is None) != (e["reason_ceased"] == ""):
            err(f"care episode {e['id']}: end and reason not together")
        if e["end_date"] and e["end_date"] < e["start_date"]:
            err(f"care episode {e['id']}: ends before start")
        pt = e["placement_type"]
        if pt in ("H5", "P2", "Z1"):
            err(f"care episode {e['id']}: placement {pt} not valid in 2025/26")
        if pt in {"T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"} and e["placement_provider"]:
            err(f"care episode {e['id']}: provider for {pt}")
        if pt in {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"} and e["urn"]:
            err(f"care episode {e['id']}: URN for {pt}")
        if pt == "K3" and age_on(persons[e["child_id"]]["date_of_birth"], e["start_date"]) < 16:
            err(f"care episode {e['id']}: K3 under 16")
        if e["reason_place_change"] and e["end_date"] is None:
            err(f"care episode {e['id']}: reason for placement change on an open episode")
    periods = {p["id"]: p for p in rows.get(B.PERIOD, [])}
    open_periods: Counter[int] = Counter()
    for pid, p in periods.items():
        if p["end_date"] is None:
            open_periods[p["child_id"]] += 1
        eps = sorted(eps_by_period[pid], key=lambda e: (e["start_date"], e["id"]))
        if not eps:
            err(f"period {pid}: no episodes")
            continue
        if eps[0]["start_date"] != p["start_date"] or eps[0]["reason_new_episode"] != "S":
            err(f"period {pid}: first episode does not start the period with S")
        for a, b in zip(eps, eps[1:], strict=False):
            if a["end_date"] != b["start_date"] or a["reason_ceased"] != "X1":
                err(f"period {pid}: episodes not contiguous")
            if b["reason_new_episode"] == "S":
                err(f"period {pid}: S in the middle")
        if eps[-1]["end_date"] != p["end_date"]:
            err(f"period {pid}: last episode end differs from the period end")
        dob = persons[p["child_id"]]["date_of_birth"]
        if p["start_date"] < dob or (p["end_date"] and p["end_date"] > birthday(dob, 18)):
            err(f"period {pid}: outside childhood")
    for child, n in open_periods.items():
        if n > 1:
            err(f"child {child}: {n} open periods of care")
    for r in rows.get(B.LAC_REVIEW, []):
        dob = persons[r["child_id"]]["date_of_birth"]
        if (age_on(dob, r["held_on"]) < 4) != (r["participation"] == "PN0"):
            err(f"LAC review {r['id']}: PN0 must be used exactly for under-4s")
    for s in rows.get(B.SDQ, []):
        if (s["score"] is None) == (s["reason"] == ""):
            err(f"SDQ {s['id']}: score or reason")
    for c in rows.get(B.CL_CONTACT, []):
        if c["in_touch"] in ("NO", "DIED") and (c["activity"] != "0" or c["accommodation"] != "0"):
            err(f"care leaver contact {c['id']}: not in touch with an activity")
        if c["in_touch"] == "YES" and (c["activity"] == "0" or c["accommodation"] == "0"):
            err(f"care leaver contact {c['id']}: in touch without activity")
    for a in rows.get(B.ADOPTION, []):
        if a["matched_date"] and a["matched_date"] < a["decision_date"]:
            err(f"adoption {a['id']}: matched before decision")
        if (a["ceased_date"] is None) != (a["ceased_reason"] == ""):
            err(f"adoption {a['id']}: ceased without reason")
        sex, ls = a["sex_of_adopters"], a["legal_status_of_adopters"]
        if sex in ("M1", "F1") and ls != "L0" or sex == "MF" and ls not in ("L11", "L3"):
            err(f"adoption {a['id']}: adopters {sex} {ls}")
        if sex in ("MM", "FF") and ls not in ("L12", "L2", "L4"):
            err(f"adoption {a['id']}: adopters {sex} {ls}")
    for pf in rows.get(B.PRIVATE_FOSTERING, []):
        if pf["assessment_completed_on"] and not (
            pf["trafficking_concern"] and pf["abandonment_concern"] and pf["parents_contacted"]
        ):
            err(f"private fostering {pf['id']}: assessed without the safeguarding answers")
    allocs: dict[int, list[Any]] = defaultdict(list)
    for a in rows.get(B.ALLOCATION, []):
        allocs[a["child_id"]].append(a)
        if a["end_date"] is not None and a["end_date"] < a["start_date"]:
            err(f"allocation {a['id']}: ends before start")
        if a["start_date"] > as_of:
            err(f"allocation {a['id']}: starts after as-of")
    for child, items in allocs.items():
        items.sort(key=lambda a: (a["start_date"], a["id"]))
        if sum(1 for a in items if a["end_date"] is None) > 1:
            err(f"child {child}: more than one open allocation")
        for a, b in zip(items, items[1:], strict=False):
            if a["end_date"] is None or a["end_date"] >= b["start_date"]:
                err(f"child {child}: overlapping allocations {a['id']} {b['id']}")
    rels = Counter((r["person_id"], r["other_id"], r["kind"]) for r in rows.get(B.RELATIONSHIP, []))
    for key, n in rels.items():
        if n > 1 or key[0] == key[1]:
            err(f"relationship {key}: duplicate or self")
    return errs
