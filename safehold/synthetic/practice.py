"""More of the record in the synthetic borough, added to each chunk the main generator yields from that chunk's own
rows (a family's episodes, care, allocations and care-leaver records are all in the chunk that holds the family):

* **strategy-discussion decisions** (``casework.StrategyDecision``): the decision to hold each strategy discussion,
  most on the day or the working day before, a few late; and a few decisions made in the last days before the
  as-of date whose discussion is still to be held;
* **leaving-care accommodation** (``looked_after.LeavingCareAccommodation``): for relevant children, accommodation
  under CA89 s.23B(8) from leaving care to 18; for former relevant young people in higher education, vacation
  accommodation (s.24B(5)) each summer. The spell is dated so that the personal adviser's visit the generator
  already made falls within 7 days of it starting in most cases (CLR reg 8), late in the rest;
* **pre-proceedings and proceedings** (``safehold.proceedings``): an application for each child whose care began
  under (or moved to) an interim care order, or went straight to a care or placement order, concluded by the order
  that followed; the letter before proceedings, the FGDM offer, meetings and the decision to apply before most of
  them; pre-proceedings that stepped down for some children on long child protection plans; hearings along the
  Public Law Outline, and court extensions where the case ran past 26 weeks;
* **case audits** (``oversight.CaseAudit`` with domain grades and actions): a share of the children allocated to a
  named worker in the last year, audited by a manager or reviewing officer, some moderated.

Deterministic from the seed: every record draws from its own stream, seeded from the seed, a label and the id of
the row it answers (no ``hash()``, no set order), so the main generator's draws and ids do not move, and the ids
handed out here follow the chunk's row order.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import random
from collections import defaultdict
from pathlib import Path
from typing import Any, Final

from safehold.synthetic.borough import (
    ALLOCATION,
    CARE_EPISODE,
    CARE_LEAVER,
    CL_CONTACT,
    CPP,
    EPISODE,
    PERIOD,
    PERSON,
    STRATEGY,
    VISIT,
    Row,
    Rows,
    birthday,
)

STRATEGY_DECISION: Final = "casework.StrategyDecision"
LC_ACCOMMODATION: Final = "looked_after.LeavingCareAccommodation"
PRE_PROCEEDINGS: Final = "proceedings.PreProceedings"
PP_MEETING: Final = "proceedings.PreProceedingsMeeting"
PROCEEDINGS: Final = "proceedings.Proceedings"
HEARING: Final = "proceedings.Hearing"
EXTENSION: Final = "proceedings.Extension"
CASE_AUDIT: Final = "oversight.CaseAudit"
AUDIT_GRADE: Final = "oversight.AuditDomainGrade"
AUDIT_ACTION: Final = "oversight.AuditAction"

#: Load order (after the casework, care, proceedings and workforce rows they point at).
MODELS: Final = (
    STRATEGY_DECISION,
    LC_ACCOMMODATION,
    PRE_PROCEEDINGS,
    PP_MEETING,
    PROCEEDINGS,
    HEARING,
    EXTENSION,
    CASE_AUDIT,
    AUDIT_GRADE,
    AUDIT_ACTION,
)

DAY = dt.timedelta(days=1)

# --- Strategy decisions (LOCAL ASSUMPTIONS: no national figure for the time from decision to discussion) -----
#: Working days from the decision to the discussion held in answer to it, with their weights.
DECISION_LAG_WD: Final = ((0, 45.0), (1, 35.0), (2, 8.0), (3, 6.0), (5, 4.0), (8, 2.0))
#: Share of open episodes referred in the last ten days with a decision whose discussion is not yet held.
P_OUTSTANDING_DECISION: Final = 0.1
DECISION_REASONS: Final = (
    "Disclosure of physical harm at school; bruising seen by the class teacher.",
    "Police notification of domestic abuse with the children present.",
    "Concerns of sexual harm raised by the health visitor.",
    "Child missing overnight with concerns of criminal exploitation.",
    "Injury to a non-mobile baby seen at the emergency department.",
    "New information from the assessment suggests significant harm.",
)

# --- Leaving-care accommodation (LOCAL ASSUMPTIONS) -------------------------------------------------------------
#: Relevant children (16-17, left care) for whom the council provides accommodation (the rest live with family).
P_RELEVANT_ACCOMMODATED: Final = 0.8
#: Share of spells whose first personal adviser visit is within 7 days (CLR reg 8); the rest are late.
P_FIRST_VISIT_IN_TIME: Final = 0.9
RELEVANT_ACCOMMODATION: Final = (
    ("Supported lodgings", 40.0),
    ("Semi-independent supported accommodation", 45.0),
    ("Council tenancy with floating support", 15.0),
)
VACATION_ACCOMMODATION: Final = ("Vacation accommodation: supported lodgings", "Vacation accommodation: council flat")

# --- Proceedings (LOCAL ASSUMPTIONS: Cafcass and the Ministry of Justice publish national volumes and durations
# but not in the form needed here) --------------------------------------------------------------------------------
#: Applications preceded by pre-proceedings (the rest are urgent: police protection, an EPO, a new-born).
P_PRE_PROCEEDINGS: Final = 0.7
#: Pre-proceedings after an FGDM offer (the duty to offer applies from CWSA 2026 s.1; most LAs already offer).
P_FGDM_OFFERED: Final = 0.85
FGDM_RESPONSES: Final = (("accepted", 65.0), ("declined", 35.0))
#: Children on a CP plan of nine months or more whose case enters pre-proceedings and steps down.
P_STEP_DOWN_PLO: Final = 0.1
COURTS: Final = ("Family Court at West London", "Family Court at Central London", "Family Court at East London")
#: Weeks the court allows in an extension (CA89 s.32(5): up to eight at a time).
EXTENSION_WEEKS: Final = 8
TIMETABLE_WEEKS: Final = 26
REC_OUTCOME: Final = {
    "E41": "cao",
    "E43": "sgo",
    "E44": "sgo",
    "E45": "sgo",
    "E46": "sgo",
    "E47": "sgo",
    "E48": "sgo",
    "E13": "supervision_order",
    "E4A": "no_order",
    "E4B": "no_order",
}

# --- Case audits (LOCAL ASSUMPTIONS: a typical LA audit programme) ---------------------------------------------
#: Chance that a child allocated to a named worker for a whole year has an audit in that year.
P_AUDIT_PER_YEAR: Final = 0.25
AUDIT_GRADES: Final = (
    ("outstanding", 5.0),
    ("good", 45.0),
    ("requires_improvement", 40.0),
    ("inadequate", 10.0),
)
GRADE_ORDER: Final = ("inadequate", "requires_improvement", "good", "outstanding")
P_MODERATED: Final = 0.25
P_REGRADED: Final = 0.2
FINDINGS: Final = {
    "outstanding": "Exceptional, child-centred work; the child's voice runs through the plan and progress is clear.",
    "good": "Timely, well-evidenced work with a clear plan; management oversight is visible on the file.",
    "requires_improvement": "Plan lacks specific outcomes and timescales; supervision records are thin.",
    "inadequate": "Drift since the last review: risks not reassessed, the child not seen alone, no oversight.",
}
ACTIONS: Final = (
    "Update the chronology and the assessment of risk",
    "See the child alone and record their wishes and feelings",
    "Make the plan SMART and share it with the family",
    "Record management oversight of the plan's progress",
    "Convene a review of the plan within four weeks",
)
P_ACTION_DONE: Final = 0.8
_AUDIT_DOMAINS_CSV = Path(__file__).resolve().parents[1] / "oversight" / "data" / "audit_domains.csv"


def _audit_domains() -> tuple[str, ...]:
    with _AUDIT_DOMAINS_CSV.open(newline="") as fh:
        return tuple(row["code"] for row in csv.DictReader(fh))


def _weighted(r: random.Random, options: tuple[tuple[Any, float], ...]) -> Any:
    return r.choices([o for o, _ in options], [w for _, w in options])[0]


def _text(r: random.Random, options: tuple[str, ...]) -> str:
    return options[r.randrange(len(options))]


class PracticeSim:
    """Adds the records of this module to each chunk; holds the borough-wide lookups (staff posts)."""

    def __init__(self, gen: Any) -> None:
        self.g = gen
        self.seed = gen.seed
        self.as_of: dt.date = gen.as_of
        self.year_start: dt.date = gen.as_of - dt.timedelta(days=365)
        self.domains = _audit_domains()
        posts = [p for teams in gen.wf.teams.values() for t in teams for p in t.posts]
        # Auditors and moderators: team managers, reviewing officers and heads of service (stable order).
        self.auditor_posts = [p for p in posts if p.role in ("team_manager", "cp_chair_iro")]
        self.moderator_posts = [p for p in posts if p.role == "head_of_service"]

    def rng(self, label: str, key: object) -> random.Random:
        return random.Random(f"{self.seed}:{label}:{key}")

    def wd_before(self, d: dt.date, n: int) -> dt.date:
        cal = self.g.cal
        while n > 0:
            d -= DAY
            if cal.is_working_day(d):
                n -= 1
        return d

    # ------------------------------------------------------------------ entry point
    def add(self, rows: Rows) -> None:
        allocs: dict[int, list[Row]] = defaultdict(list)
        for a in rows.get(ALLOCATION, []):
            allocs[a["child_id"]].append(a)
        for lst in allocs.values():
            lst.sort(key=lambda a: a["start_date"])
        persons = {p["id"]: p for p in rows.get(PERSON, [])}
        episodes = {e["id"]: e for e in rows.get(EPISODE, [])}
        self.strategy_decisions(rows, episodes, allocs)
        self.leaving_care_accommodation(rows, persons)
        self.proceedings(rows, persons, episodes)
        self.case_audits(rows, allocs)

    def team_manager(self, allocs: list[Row], d: dt.date) -> int | None:
        for a in allocs:
            if a["start_date"] <= d and (a["end_date"] is None or d <= a["end_date"]):
                return self.g.wf.manager_at(a["team_id"], d)  # type: ignore[no-any-return]
        return None

    # ------------------------------------------------------------------ strategy decisions
    def strategy_decisions(self, rows: Rows, episodes: dict[int, Row], allocs: dict[int, list[Row]]) -> None:
        out = rows.setdefault(STRATEGY_DECISION, [])
        latest_discussion: dict[int, dt.date] = {}
        for s in rows.get(STRATEGY, []):
            ep = episodes.get(s["episode_id"])
            if ep is None:
                continue
            r = self.rng("strategy-decision", s["id"])
            lag = _weighted(r, DECISION_LAG_WD)
            decided = max(self.wd_before(s["held_on"], lag), ep["referral_date"])
            latest_discussion[ep["id"]] = max(latest_discussion.get(ep["id"], decided), s["held_on"])
            out.append(
                {
                    "id": self.g.ids.next(STRATEGY_DECISION),
                    "episode_id": ep["id"],
                    "decided_on": decided,
                    "reason": _text(r, DECISION_REASONS),
                    "decided_by_id": self.team_manager(allocs.get(ep["child_id"], []), decided),
                    "discussion_id": s["id"],
                    "version": 1,
                }
            )
        recent = self.as_of - dt.timedelta(days=10)
        for ep in episodes.values():
            if ep["closure_date"] is not None or ep["referral_date"] < recent:
                continue
            r = self.rng("strategy-outstanding", ep["id"])
            if r.random() >= P_OUTSTANDING_DECISION:
                continue
            decided = max(ep["referral_date"], self.as_of - dt.timedelta(days=r.randint(0, 3)))
            if latest_discussion.get(ep["id"], dt.date.min) > decided:
                continue
            out.append(
                {
                    "id": self.g.ids.next(STRATEGY_DECISION),
                    "episode_id": ep["id"],
                    "decided_on": decided,
                    "reason": _text(r, DECISION_REASONS),
                    "decided_by_id": self.team_manager(allocs.get(ep["child_id"], []), decided),
                    "discussion_id": None,
                    "version": 1,
                }
            )

    # ------------------------------------------------------------------ leaving-care accommodation
    def leaving_care_accommodation(self, rows: Rows, persons: dict[int, Row]) -> None:
        out = rows.setdefault(LC_ACCOMMODATION, [])
        left: dict[int, dt.date] = {}
        for p in rows.get(PERIOD, []):
            if p["end_date"] is not None:
                left[p["child_id"]] = max(left.get(p["child_id"], p["end_date"]), p["end_date"])
        visits: dict[int, list[dt.date]] = defaultdict(list)
        for v in rows.get(VISIT, []):
            if v["visit_type"] == "care_leaver":
                visits[v["child_id"]].append(v["visited_on"])
        for lst in visits.values():
            lst.sort()
        higher_ed: dict[int, list[dt.date]] = defaultdict(list)
        for c in rows.get(CL_CONTACT, []):
            if c["activity"] == "F1":
                higher_ed[c["child_id"]].append(c["contacted_on"])
        for cl in rows.get(CARE_LEAVER, []):
            child = persons.get(cl["child_id"])
            ended = left.get(cl["child_id"])
            if child is None or child["date_of_birth"] is None or ended is None:
                continue
            dob = child["date_of_birth"]
            b18 = birthday(dob, 18)
            r = self.rng("leaving-care-accommodation", cl["id"])
            seen = visits.get(cl["child_id"], [])
            relevant = cl["eligibility"] in ("relevant", "former_relevant")  # qualifying: never s.23B(8)
            if relevant and ended < b18 and r.random() < P_RELEVANT_ACCOMMODATED:
                start = self._start_before_visit(r, ended + DAY, seen, b18)
                if start is not None and start <= self.as_of:
                    until = b18 - DAY
                    out.append(self._spell(cl["child_id"], "s23B8", _weighted(r, RELEVANT_ACCOMMODATION), start, until))
            summers: set[int] = set()
            for contacted in sorted(
                higher_ed.get(cl["child_id"], []) if cl["eligibility"] == "former_relevant" else []
            ):
                # A contact finding the young person in higher education: the summer vacation before it.
                summer = dt.date(contacted.year if contacted.month >= 10 else contacted.year - 1, 6, 20)
                if summer <= b18 or summer <= ended or summer.year in summers:
                    continue
                summers.add(summer.year)
                start = self._start_before_visit(r, summer + dt.timedelta(days=r.randint(0, 14)), seen, None)
                if start is None or start > self.as_of or start <= b18:
                    continue
                until = dt.date(start.year, 9, r.randint(12, 25))
                if until < start:
                    continue
                out.append(self._spell(cl["child_id"], "s24B5", _text(r, VACATION_ACCOMMODATION), start, until))

    def _start_before_visit(
        self, r: random.Random, earliest: dt.date, seen: list[dt.date], before: dt.date | None
    ) -> dt.date | None:
        """The first day of a spell from ``earliest``: most a few days before the next personal adviser visit."""
        i = bisect.bisect_left(seen, earliest)
        if i >= len(seen) or (before is not None and seen[i] >= before):
            return earliest if before is None or earliest < before else None
        visit = seen[i]
        days = r.randint(0, 6) if r.random() < P_FIRST_VISIT_IN_TIME else r.randint(8, 20)
        return max(earliest, visit - dt.timedelta(days=days))

    def _spell(self, child_id: int, basis: str, description: str, start: dt.date, until: dt.date) -> Row:
        return {
            "id": self.g.ids.next(LC_ACCOMMODATION),
            "child_id": child_id,
            "basis": basis,
            "description": description,
            "provided_from": start,
            "provided_until": until if until <= self.as_of else None,
            "version": 1,
        }

    # ------------------------------------------------------------------ proceedings
    def proceedings(self, rows: Rows, persons: dict[int, Row], episodes: dict[int, Row]) -> None:
        by_period: dict[int, list[Row]] = defaultdict(list)
        for e in rows.get(CARE_EPISODE, []):
            by_period[e["period_id"]].append(e)
        busy: dict[int, dt.date] = {}  # child -> the last day of their latest pre-proceedings or proceedings
        for period in rows.get(PERIOD, []):
            eps = sorted(by_period.get(period["id"], []), key=lambda e: (e["start_date"], e["id"]))
            child = persons.get(period["child_id"])
            if not eps or child is None or child["date_of_birth"] is None:
                continue
            self._application(period, eps, child, busy)
        self._step_downs(rows, episodes, persons, busy)

    def _application(self, period: Row, eps: list[Row], child: Row, busy: dict[int, dt.date]) -> None:
        interim = next((e for e in eps if e["legal_status"] == "C1"), None)
        final = None
        if interim is not None:
            final = next(
                (e for e in eps if e["start_date"] > interim["start_date"] and e["legal_status"] in ("C2", "E1")), None
            )
        else:
            final = next((e for e in eps if e["legal_status"] in ("C2", "E1")), None)
            if final is None:
                return
        r = self.rng("proceedings", period["id"])
        dob = child["date_of_birth"]
        emergency = eps[0]["legal_status"] in ("L1", "L2")
        if interim is not None:
            issued = max(dob, interim["start_date"] - dt.timedelta(days=r.randint(0, 3)))
        else:
            assert final is not None
            issued = max(dob, final["start_date"] - dt.timedelta(days=r.randint(150, 260)))
        if issued <= busy.get(child["id"], dt.date.min) or issued > self.as_of:
            return
        concluded: dt.date | None = None
        outcome = ""
        if final is not None:
            concluded = final["start_date"]
            outcome = "placement_order" if final["legal_status"] == "E1" else "care_order"
        elif period["end_date"] is not None and interim is not None:
            ceased_ep = eps[-1]
            concluded = period["end_date"]
            outcome = REC_OUTCOME.get(ceased_ep["reason_ceased"], "other")
        if concluded is not None and concluded > self.as_of:
            concluded, outcome = None, ""
        pre_id = None
        if not emergency and r.random() < P_PRE_PROCEEDINGS:
            started = issued - dt.timedelta(days=r.randint(70, 200))
            if started > max(dob, busy.get(child["id"], dt.date.min)):
                decided = issued - dt.timedelta(days=r.randint(0, 14))
                pre_id = self._pre_proceedings(r, child["id"], started, decided, "issue")
        g = self.g
        pid = g.ids.next(PROCEEDINGS)
        self._out.setdefault(PROCEEDINGS, []).append(
            {
                "id": pid,
                "child_id": child["id"],
                "pre_proceedings_id": pre_id,
                "application_type": "care" if r.random() < 0.95 else "supervision",
                "issued_on": issued,
                "court": _text(r, COURTS),
                "case_number": f"ZW{issued:%y}C{pid:05d}",
                "concluded_on": concluded,
                "outcome": outcome,
                "version": 1,
            }
        )
        busy[child["id"]] = concluded or dt.date.max
        self._hearings(r, pid, issued, concluded, interim is not None)

    def _hearings(self, r: random.Random, pid: int, issued: dt.date, concluded: dt.date | None, interim: bool) -> None:
        stop = concluded or self.as_of
        plan: list[tuple[str, dt.date]] = []
        if interim:
            plan.append(("interim", issued + dt.timedelta(days=r.randint(0, 3))))
        plan.append(("first", issued + dt.timedelta(days=r.randint(5, 12))))
        plan.append(("cmh", issued + dt.timedelta(days=r.randint(14, 35))))
        if concluded is not None:
            irh = concluded - dt.timedelta(days=r.randint(21, 56))
            if irh > issued + dt.timedelta(days=35):
                plan.append(("irh", irh))
            plan.append(("final", concluded))
        else:
            plan.append(("irh", issued + dt.timedelta(weeks=r.randint(18, 22))))
        for kind, day in sorted(plan, key=lambda x: x[1]):
            if issued <= day <= stop and day <= self.as_of:
                self._out.setdefault(HEARING, []).append(
                    {"id": self.g.ids.next(HEARING), "proceedings_id": pid, "kind": kind, "heard_on": day, "notes": ""}
                )
        deadline = issued + dt.timedelta(weeks=TIMETABLE_WEEKS) - DAY
        while stop > deadline:
            granted = deadline - dt.timedelta(days=r.randint(7, 21))
            if granted > self.as_of:
                break
            new_deadline = deadline + dt.timedelta(weeks=EXTENSION_WEEKS)
            self._out.setdefault(EXTENSION, []).append(
                {
                    "id": self.g.ids.next(EXTENSION),
                    "proceedings_id": pid,
                    "granted_on": granted,
                    "extended_to": new_deadline,
                    "reason": "Further expert assessment of the parents needed before the final hearing.",
                }
            )
            deadline = new_deadline

    def _pre_proceedings(
        self, r: random.Random, child_id: int, started: dt.date, decided: dt.date, decision: str
    ) -> int:
        """Pre-proceedings from ``started``, decided on ``decided`` (open when that is after the as-of date)."""
        g = self.g
        pre_id: int = g.ids.next(PRE_PROCEEDINGS)
        decided_on: dt.date | None = decided if decided <= self.as_of else None
        letter = started + dt.timedelta(days=r.randint(0, 10))
        first_meeting = letter + dt.timedelta(days=r.randint(7, 15))
        offered = response = held = None
        if r.random() < P_FGDM_OFFERED and letter <= self.as_of:
            offered = letter
            response = _weighted(r, FGDM_RESPONSES)
            if response == "accepted":
                held = offered + dt.timedelta(days=r.randint(14, 35))
                if held > self.as_of or (decided_on is not None and held > decided_on):
                    held = None
        not_held = ""
        if response == "accepted" and held is None and decided_on is not None:
            not_held = "The risk to the child meant the application could not wait for the family meeting."
        row = {
            "id": pre_id,
            "child_id": child_id,
            "started_on": started,
            "letter_sent_on": letter if letter <= self.as_of else None,
            "fgdm_offered_on": offered,
            "fgdm_response": response or "",
            "fgdm_held_on": held,
            "fgdm_not_held_reason": not_held,
            "decision": decision if decided_on is not None else "",
            "decided_on": decided_on,
            "version": 1,
        }
        self._out.setdefault(PRE_PROCEEDINGS, []).append(row)
        meeting, kind = first_meeting, "initial"
        stop = min(decided_on or self.as_of, self.as_of)
        while meeting <= stop:
            nxt = meeting + dt.timedelta(weeks=6)
            self._out.setdefault(PP_MEETING, []).append(
                {
                    "id": g.ids.next(PP_MEETING),
                    "pre_proceedings_id": pre_id,
                    "kind": kind,
                    "held_on": meeting,
                    "next_review_on": nxt if nxt <= stop or decided_on is None else None,
                    "notes": "Written agreement reviewed with the parents and their solicitor.",
                }
            )
            meeting, kind = nxt, "review"
        return pre_id

    def _step_downs(
        self, rows: Rows, episodes: dict[int, Row], persons: dict[int, Row], busy: dict[int, dt.date]
    ) -> None:
        for plan in rows.get(CPP, []):
            ep = episodes.get(plan["episode_id"])
            if ep is None:
                continue
            end = plan["end_date"] or self.as_of
            if (end - plan["start_date"]).days < 270:
                continue
            r = self.rng("pre-proceedings-step-down", plan["id"])
            if r.random() >= P_STEP_DOWN_PLO:
                continue
            child = persons.get(ep["child_id"])
            started = plan["start_date"] + dt.timedelta(days=r.randint(120, 240))
            if child is None or started > self.as_of or started <= busy.get(ep["child_id"], dt.date.min):
                continue
            decided = started + dt.timedelta(weeks=r.randint(12, 20))
            self._pre_proceedings(r, ep["child_id"], started, decided, "step_down")
            busy[ep["child_id"]] = decided if decided <= self.as_of else dt.date.max

    # ------------------------------------------------------------------ case audits
    def case_audits(self, rows: Rows, allocs: dict[int, list[Row]]) -> None:
        for child_id, lst in allocs.items():
            for a in lst:
                if a["worker_id"] is None:
                    continue
                lo = max(a["start_date"], self.year_start)
                hi = min(a["end_date"] or self.as_of, self.as_of)
                if hi <= lo:
                    continue
                r = self.rng("case-audit", a["id"])
                if r.random() >= P_AUDIT_PER_YEAR * (hi - lo).days / 365:
                    continue
                day = lo + dt.timedelta(days=r.randint(0, (hi - lo).days))
                self._audit(r, child_id, a, day)

    def _holder(self, r: random.Random, posts: list[Any], day: dt.date, avoid: set[int | None]) -> int | None:
        if not posts:
            return None
        start = r.randrange(len(posts))
        for k in range(len(posts)):
            holder = posts[(start + k) % len(posts)].holder_at(day)
            if holder is not None and holder not in avoid:
                return holder  # type: ignore[no-any-return]
        return None

    def _audit(self, r: random.Random, child_id: int, alloc: Row, day: dt.date) -> None:
        g = self.g
        manager = g.wf.manager_at(alloc["team_id"], day)
        auditor = self._holder(r, self.auditor_posts, day, {alloc["worker_id"], manager})
        if auditor is None:
            return
        grade = _weighted(r, AUDIT_GRADES)
        audit_id = g.ids.next(CASE_AUDIT)
        moderator = moderated_on = None
        moderation = moderated_grade = reason = ""
        if r.random() < P_MODERATED:
            moderator = self._holder(r, self.moderator_posts, day, {auditor})
            mod_day = day + dt.timedelta(days=r.randint(3, 21))
            if moderator is not None and mod_day <= self.as_of:
                moderated_on = mod_day
                if r.random() < P_REGRADED:
                    i = GRADE_ORDER.index(grade)
                    moderated_grade = (
                        GRADE_ORDER[i - 1] if i > 0 and (i == 3 or r.random() < 0.6) else GRADE_ORDER[i + 1]
                    )
                    moderation = "regraded"
                    reason = "The evidence on file does not support the auditor's grade for the impact on the child."
                else:
                    moderation = "agreed"
            else:
                moderator = None
        self._out.setdefault(CASE_AUDIT, []).append(
            {
                "id": audit_id,
                "child_id": child_id,
                "month_id": None,
                "theme": "ad_hoc",
                "reaudit_of_id": None,
                "auditor_id": auditor,
                "audited_on": day,
                "team_id": alloc["team_id"],
                "worker_id": alloc["worker_id"],
                "manager_id": manager,
                "findings": FINDINGS[grade],
                "grade": grade,
                "moderator_id": moderator,
                "moderated_on": moderated_on,
                "moderation": moderation,
                "moderated_grade": moderated_grade,
                "moderation_reason": reason,
            }
        )
        base = GRADE_ORDER.index(grade)
        for domain in self.domains:
            shift = r.choice((-1, 0, 0, 0, 1))
            d_grade = GRADE_ORDER[min(3, max(0, base + shift))]
            self._out.setdefault(AUDIT_GRADE, []).append(
                {"id": g.ids.next(AUDIT_GRADE), "audit_id": audit_id, "domain": domain, "grade": d_grade, "comment": ""}
            )
        n_actions = {"inadequate": 3, "requires_improvement": 2, "good": 1, "outstanding": 0}[grade]
        for text in r.sample(ACTIONS, k=r.randint(max(0, n_actions - 1), n_actions)):
            owner = alloc["worker_id"] if r.random() < 0.8 or manager is None else manager
            due = day + dt.timedelta(weeks=r.randint(2, 8))
            done = None
            if due <= self.as_of and r.random() < P_ACTION_DONE:
                done = min(self.as_of, day + dt.timedelta(days=r.randint(3, (due - day).days + 14)))
            self._out.setdefault(AUDIT_ACTION, []).append(
                {
                    "id": g.ids.next(AUDIT_ACTION),
                    "audit_id": audit_id,
                    "child_id": child_id,
                    "owner_id": owner,
                    "description": text,
                    "due_date": due,
                    "completed_on": done,
                }
            )

    _out: Rows


def add_practice(gen: Any, rows: Rows) -> None:
    """Add this module's records for the families in ``rows`` (one chunk of the generator, about to be yielded)."""
    sim = getattr(gen, "_practice", None)
    if sim is None:
        sim = gen._practice = PracticeSim(gen)
    sim._out = rows
    sim.add(rows)
