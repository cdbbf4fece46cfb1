"""One CIN episode for one child: referral, assessment, section 47, conferences, plans, visits, closure."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from safehold.synthetic import codes as C
from safehold.synthetic import rates
from safehold.synthetic.borough import (
    ASSESSMENT,
    CARE_EPISODE,
    CIN_PLAN,
    CIN_REVIEW,
    CONFERENCE,
    CORE_GROUP,
    CPP,
    EPISODE,
    NOTE,
    PERIOD,
    PRIVATE_FOSTERING,
    S47,
    STRATEGY,
    VISIT,
    Row,
    add_months,
    age_on,
    at,
    birthday,
    weighted,
)
from safehold.synthetic.care import CarePeriod
from safehold.synthetic.state import (
    P_ICPC,
    P_ICPC_AFTER_PLAN,
    P_PLAN_AT_ICPC,
    REC_TO_RC,
    Child,
    Family,
)
from safehold.synthetic.workforce import worker_at

if TYPE_CHECKING:
    from safehold.synthetic.generator import BoroughGenerator


class Journey:
    """The stages of one CIN episode for one child; allocations are worked out at the end."""

    def __init__(
        self,
        g: BoroughGenerator,
        r: random.Random,
        fam: Family,
        ch: Child,
        ep: Row,
        event: dict[Any, float] | None = None,
    ) -> None:
        self.g, self.r, self.fam, self.ch, self.ep = g, r, fam, ch, ep
        #: Decisions shared by the children referred together (one uniform per key, see event_uniform).
        self.event: dict[Any, float] = {} if event is None else event
        self.as_of = g.as_of
        self.segs: list[tuple[str, dt.date, dt.date | None, str]] = []
        self.pending: list[tuple[Row, dt.date, str]] = []  # rows whose worker is filled from the allocations
        self.managed: list[tuple[Row, dt.date, str]] = []  # rows signed off by the team manager
        self.closed = False
        self.assessment_done: dt.date | None = None
        self.age_out = birthday(ch.dob, 18) - dt.timedelta(days=1)
        self.cp_children_visit = False
        #: Latest date of recorded (or planned, if after the as-of date) activity: the episode closes no earlier.
        self.last_activity: dt.date | None = None
        #: The episode has had a section 47 enquiry, CIN plan or CP plan (so it cannot close RC8/RC9).
        self.beyond_assessment = False

    def activity(self, *days: dt.date | None) -> None:
        for d in days:
            if d is not None and (self.last_activity is None or d > self.last_activity):
                self.last_activity = d

    def event_uniform(self, key: Any, *, days: int | None = 365) -> float:
        """A stratified uniform (see Strata) for a decision of the referral: the same for every child
        referred together, so siblings share the outcome as they share the random stream. Stratified per
        number of children referred together and per ``days``-long slice of time back from the as-of date
        (the year by default), so a share holds over the children referred in each year; ``days=None`` for
        a decision about the cases open at the as-of date."""
        u = self.event.get(key)
        if u is None:
            when = (self.as_of - self.ep["referral_date"]).days // days if days else None
            u = self.event[key] = self.g.event_strata.uniform((key, self.event.get("size", 1), when))
        return u

    def fault(self, p: float) -> bool:
        """A data-quality fault with probability ``p`` (never in a ``--no-faults`` borough)."""
        return self.g.faults and self.r.random() < p

    # ------------------------------------------------------------------ bookkeeping
    def segment(self, area: str, start: dt.date) -> None:
        if start > self.as_of or self.closed:
            return
        if self.segs:
            a, s, _e, _ = self.segs[-1]
            if a == area:
                return
            if start <= s:
                self.segs[-1] = (area, s, None, "")
                return
            self.segs[-1] = (a, s, start - dt.timedelta(days=1), "TSPROC")
        self.segs.append((area, start, None, ""))

    def close(self, d: dt.date, reason: str) -> None:
        if self.closed:
            return
        d = max(d, self.ep["referral_date"])
        if reason in ("RC8", "RC9") and self.assessment_done is None:
            reason = "RC7"
        if reason in ("RC8", "RC9") and self.beyond_assessment and not self.fault(0.03):
            reason = "RC7"  # RC8/RC9 is "closed after assessment": not after an s47 or a plan (CIN rule 2990)
        if self.last_activity is not None and d < self.last_activity and not self.fault(0.03):
            d = self.last_activity  # no activity after the closure (CIN rule 8565)
        if d > self.as_of:
            return
        self.ep["closure_date"] = d
        self.ep["closure_reason"] = reason
        self.g.picker.note("rc", reason)
        self.closed = True
        self.ch.last_closure = d
        if reason == "RC2":
            self.ch.row["date_of_death"] = d
        if self.segs:
            a, s, _e, _ = self.segs[-1]
            self.segs[-1] = (a, s, max(d, s), "CHCHAN")

    def note(self, d: dt.date, subject: str, body: str) -> None:
        if d <= self.as_of:
            row = {
                "id": self.g.ids.next(NOTE),
                "child_id": self.ch.id,
                "written_at": at(d, self.r.randint(9, 19), self.r.randint(0, 59)),
                "author_id": None,
                "subject": subject,
                "body": body,
                "restricted": False,
                "version": 1,
            }
            self.g.rows.add(NOTE, row)
            self.pending.append((row, d, "author_id"))

    def visit(self, kind: str, d: dt.date, seen_p: float = 0.94) -> None:
        if d > self.as_of:
            return
        seen = self.r.random() < seen_p and self.ch.dob <= d
        alone = seen and age_on(self.ch.dob, d) >= 5 and self.r.random() < 0.68
        row = {
            "id": self.g.ids.next(VISIT),
            "child_id": self.ch.id,
            "visit_type": kind,
            "visited_on": d,
            "seen": seen,
            "seen_alone": alone,
            "worker_id": None,
            "notes": "",
            "version": 1,
        }
        self.g.rows.add(VISIT, row)
        self.pending.append((row, d, "worker_id"))
        if self.r.random() < 0.45:
            body = self.r.choice(C.NOTE_BODIES) if seen else C.NOTE_BODIES[4]
            self.note(d, C.NOTE_SUBJECTS[kind], body)

    def finish(self) -> None:
        """Allocations for the episode, then fill in workers on visits, notes and assessments."""
        g, r = self.g, self.r
        if not self.segs:
            return
        open_seg = self.segs[-1][2] is None
        fixed = None
        area = self.segs[-1][0]
        # A looked-after child always has a named social worker (903 rule SW17STG2), bar data-quality faults.
        # Siblings referred together are allocated (or left unallocated) together; stratified, see Strata.
        unalloc = (
            open_seg
            and (area != "cic" or g.faults)
            and self.event_uniform("unallocated", days=None) < rates.rate("unallocated_pct").value / 100
        )
        if open_seg and g.demo_post is not None and area == "cin_cp" and g.demo_overdue < 3 and not unalloc:
            # Make sure the demo social worker has work that is overdue: no visit for six weeks.
            fixed = g.demo_post
            g.demo_overdue += 1
            cut = self.as_of - dt.timedelta(days=42)
            drop = [
                row
                for row, d, fld in self.pending
                if fld == "worker_id" and d > cut and row.get("visit_type") in ("cp", "cin")
            ]
            if drop:
                visits = g.rows[VISIT]
                for row in drop:
                    visits.remove(row)
                dropped = {id(x) for x in drop}
                self.pending = [p for p in self.pending if id(p[0]) not in dropped]
        allocs = g.wf.allocations(
            self.ch.id, self.segs, r, unallocated=unalloc, fixed_open_post=fixed, care_starts=self.ch.care_starts
        )
        g.rows.setdefault("workforce.Allocation", []).extend(allocs)
        self.ch.allocs.extend(allocs)
        for row, d, fld in self.pending:
            row[fld] = worker_at(allocs, d)
        for row, d, fld in self.managed:
            w = worker_at(allocs, d)
            team = next(
                (
                    a["team_id"]
                    for a in allocs
                    if a["start_date"] <= d and (a["end_date"] is None or d <= a["end_date"])
                ),
                None,
            )
            row[fld] = g.wf.manager_at(team, d) if team is not None else w

    # ------------------------------------------------------------------ stages
    def run(self, path: str) -> None:
        ref = self.ep["referral_date"]
        r = self.r
        if path == "transfer_in":
            self.segment("cin_cp", ref)
            conf_day = self.g.wd(ref, r.randint(5, 15))
            self.abuse = self.g.pick("abuse", C.ABUSE, r)
            self.assessment(ref, "strategy", self.abuse)
            self.cp_plan(conf_day, None, transfer=True)
            return
        self.segment("disabled" if path == "disabled" else "assessment", ref)
        if path in ("assess_nfa", "assess_eh"):
            outcome = "nfa" if path == "assess_nfa" else "early_help"
            done = self.assessment(ref, outcome, "low")
            if done:
                if path == "assess_nfa" and r.random() < 0.05:
                    self.strategy_only(ref)
                self.close(done + dt.timedelta(days=r.randint(0, 5)), "RC8" if path == "assess_nfa" else "RC9")
            return
        if path == "cin":
            done = self.assessment(ref, "cin_plan", "cin")
            if done:
                self.segment("cin_cp", done)
                self.cin_plan(done + dt.timedelta(days=r.randint(0, 10)))
            return
        if path == "disabled":
            done = self.assessment(ref, "cin_plan", "disabled")
            if done:
                if r.random() < 0.12:
                    self.short_breaks(done + dt.timedelta(days=r.randint(20, 120)))
                self.cin_plan(done + dt.timedelta(days=r.randint(0, 10)), long=True)
            return
        if path in ("s47", "cla", "long_cla"):
            self.s47_path(ref, path)
            return
        if path == "yj":
            done_on = self.g.wd(ref, r.randint(0, 2))
            self.assessment(ref, "looked_after", "teen")
            self.segment("cic", done_on)
            end, rec = CarePeriod(self, done_on, "yj").run()
            self.after_care(end, rec)
            return
        if path == "uasc":
            self.assessment(ref, "looked_after", "uasc")
            self.segment("cic", ref)
            end, rec = CarePeriod(self, ref, "uasc").run()
            self.after_care(end, rec)
            return
        if path == "pf":
            self.private_fostering(ref)
            return
        raise ValueError(path)

    def factors(self, pool: str) -> list[str]:
        r = self.r
        if pool == "low" and r.random() < 0.45:
            self.g.picker.note("factor", "21")
            return ["21"]
        n = r.choices((1, 2, 3, 4), (35, 35, 20, 10))[0]
        out: list[str] = []
        pools = [pool]
        age = age_on(self.ch.dob, self.ep["referral_date"]) if self.ch.dob <= self.ep["referral_date"] else 0
        if age >= 11 and pool not in ("uasc", "pf"):
            pools.append("teen")
        for _ in range(n * 3):
            if len(out) >= n:
                break
            code = self.g.pick("factor", C.FACTOR_POOLS[r.choice(pools)], r)
            if code not in out:
                out.append(code)
        return out

    def assessment(self, ref: dt.date, outcome: str, pool: str) -> dt.date | None:
        """Returns the authorisation (or completion) date, or None while the assessment is open."""
        g, r = self.g, self.r
        start = g.wd(ref, r.choice((0, 0, 1, 1, 2, 3)))
        if start > self.as_of:
            start = ref
        if r.random() < 0.857:
            total = max(1, min(45, int(r.triangular(3, 46, 32))))
        else:
            total = r.randint(46, 95)
        authorised: dt.date | None = g.wd(start, total)
        completed: dt.date | None = g.wd(authorised, -r.choice((0, 0, 1, 2))) if authorised else None  # type: ignore[arg-type]
        if completed is not None and completed < start:
            completed = start
        self.activity(start, authorised, completed)
        if authorised is not None and authorised > self.as_of:
            authorised = None
        if completed is not None and completed > self.as_of:
            completed = None
        if g.faults and authorised is not None and r.random() < 0.015:
            authorised = None  # data-quality fault: sign-off never recorded
        seen_date = None
        seen = r.random() < 0.96
        if seen:
            seen_date = g.wd(start, r.randint(0, 8))
            if completed is not None and seen_date > completed:
                seen_date = completed
            if seen_date > self.as_of:
                seen, seen_date = False, None
            elif g.faults and r.random() < 0.015:
                seen_date = None  # fault: seen but the date was not recorded
        if seen and (self.ch.row["date_of_birth"] is None or (seen_date is not None and seen_date < self.ch.dob)):
            seen, seen_date = False, None
        row = {
            "id": g.ids.next(ASSESSMENT),
            "episode_id": self.ep["id"],
            "start_date": start,
            "completed_date": completed,
            "authorised_date": authorised,
            "authorised_by_id": None,
            "factors": self.factors(pool) if completed else [],
            "child_seen": seen,
            "child_seen_date": seen_date,
            "outcome": outcome if completed else "",
            "worker_id": None,
            "version": 1,
        }
        g.rows.add(ASSESSMENT, row)
        self.pending.append((row, start, "worker_id"))
        if authorised is not None:
            self.managed.append((row, authorised, "authorised_by_id"))
            self.note(authorised, "Assessment authorised", "Single assessment signed off by the team manager.")
        self.visit("assessment", g.wd(start, r.randint(1, 6)))
        if total > 25:
            self.visit("assessment", g.wd(start, r.randint(15, 25)))
        done = authorised or completed
        if done is not None:
            self.assessment_done = done
        return done

    def strategy_only(self, ref: dt.date) -> None:
        d = self.g.wd(ref, self.r.randint(0, 3))
        if d <= self.as_of:
            self.g.rows.add(
                STRATEGY,
                {
                    "id": self.g.ids.next(STRATEGY),
                    "episode_id": self.ep["id"],
                    "held_on": d,
                    "agencies": ["police", "health"],
                    "section47_id": None,
                    "decision": "Threshold for section 47 not met; assessment continues.",
                },
            )

    def s47(self, start: dt.date, icpc: bool) -> tuple[Row, dt.date | None]:
        g, r = self.g, self.r
        target = g.wd(start, 15)
        icpc_date: dt.date | None = None
        if icpc:
            icpc_date = g.wd(start, r.randint(6, 15)) if r.random() < 0.815 else g.wd(start, r.randint(16, 32))
            self.activity(icpc_date)
            if icpc_date > self.as_of:
                icpc_date = None
        completed: dt.date | None
        if icpc:
            completed = g.wd(icpc_date, -r.randint(1, 3)) if icpc_date else None
            if completed is not None and completed < start:
                completed = start
            outcome = "icpc" if icpc_date else ""
            not_required = False
        else:
            completed = g.wd(start, r.randint(4, 20))
            self.activity(completed)
            if completed > self.as_of:
                completed = None
            outcome = ("not_substantiated" if r.random() < 0.65 else "substantiated_cin") if completed else ""
            # The casework service sets ICPCnotRequired when an enquiry ends without a conference.
            not_required = completed is not None and not self.fault(0.05)
        self.beyond_assessment = True
        self.activity(start, icpc_date, completed)
        row = {
            "id": g.ids.next(S47),
            "episode_id": self.ep["id"],
            "start_date": start,
            "icpc_target_date": target,
            "icpc_date": icpc_date,
            "icpc_not_required": not_required,
            "completed_date": completed,
            "outcome": outcome,
            "version": 1,
        }
        g.rows.add(S47, row)
        agencies = ["police", "health", "education"] if r.random() < 0.8 else ["police", "health"]
        g.rows.add(
            STRATEGY,
            {
                "id": g.ids.next(STRATEGY),
                "episode_id": self.ep["id"],
                "held_on": start,
                "agencies": agencies,
                "section47_id": row["id"],
                "decision": "Section 47 enquiry to start; joint visit with police.",
            },
        )
        self.note(start, "Strategy discussion", "Strategy discussion held; section 47 enquiry agreed.")
        return row, (icpc_date if icpc else completed)

    def s47_path(self, ref: dt.date, path: str) -> None:
        g, r = self.g, self.r
        sd = g.wd(ref, r.choice((0, 0, 0, 1, 1, 2, 3)))
        abuse = self.g.pick("abuse", C.ABUSE, r)
        if sd > self.as_of:
            self.assessment(ref, "strategy", abuse)  # the factors of the abuse category (there is no "cp" pool)
            return
        self.abuse = abuse
        if path in ("cla", "long_cla"):
            icpc = path == "long_cla"
            s47row, when = self.s47(sd, icpc)
            self.assessment(ref, "looked_after" if path == "cla" else "strategy", abuse)
            if path == "cla":
                start = sd if r.random() < 0.6 else g.wd(sd, r.randint(1, 5))
                if start > self.as_of:
                    return
                self.segment("cic", start)
                if g.picker.force_rate >= 1:
                    kind = "emergency" if g.picker.unseen("legal", ["L1", "L2", "L3"]) else "direct"
                else:
                    kind = "emergency" if r.random() < 0.55 else "direct"
                end, rec = CarePeriod(self, start, kind).run()
                self.after_care(end, rec)
                return
            if when is None:
                return
            self.initial_conference(s47row, when, plan=True, cla=True)
            return
        prior = self.ch.cp_plans > 0
        # Conference and plan are decided once for the children referred together (stratified, see Strata).
        icpc = self.event_uniform(("icpc", prior)) < (P_ICPC_AFTER_PLAN if prior else P_ICPC)
        s47row, when = self.s47(sd, icpc)
        done = self.assessment(ref, "strategy", abuse)
        if when is None:
            return
        if icpc:
            self.segment("cin_cp", when)
            self.initial_conference(s47row, when, plan=self.event_uniform(("plan", prior)) < P_PLAN_AT_ICPC)
            return
        after = max(when, done) if done else None
        if after is None:
            return
        if s47row["outcome"] == "substantiated_cin" or r.random() < 0.25:
            self.segment("cin_cp", after)
            self.cin_plan(after + dt.timedelta(days=r.randint(0, 10)))
        else:
            self.close(after + dt.timedelta(days=r.randint(0, 7)), "RC8" if r.random() < 0.85 else "RC9")

    def initial_conference(self, s47row: Row, icpc: dt.date, *, plan: bool, cla: bool = False) -> None:
        if plan:
            self.cp_plan(icpc, s47row, force_cla=cla)
        else:
            self.conference("initial", icpc, s47row, None, False)
            self.cin_plan(icpc + dt.timedelta(days=self.r.randint(1, 10)))

    def conference(self, kind: str, d: dt.date, s47row: Row | None, plan: Row | None, outcome_plan: bool) -> None:
        g = self.g
        self.activity(d)
        g.picker.note("conference", kind)
        g.rows.add(
            CONFERENCE,
            {
                "id": g.ids.next(CONFERENCE),
                "episode_id": self.ep["id"],
                "kind": kind,
                "held_on": d,
                "section47_id": s47row["id"] if s47row else None,
                "plan_id": plan["id"] if plan else None,
                "outcome_plan": outcome_plan,
                "chair_id": g.wf.random_holder("safeguarding", d, self.r, "cp_chair_iro"),
            },
        )

    def cp_plan(self, start: dt.date, s47row: Row | None, *, transfer: bool = False, force_cla: bool = False) -> None:
        g, r = self.g, self.r
        if start > self.as_of:
            return
        self.segment("cin_cp", start)
        abuse = getattr(self, "abuse", None) or g.pick("abuse", C.ABUSE, r)
        latest = abuse if r.random() < 0.88 else g.pick("abuse", C.ABUSE, r)
        plan: Row = {
            "id": g.ids.next(CPP),
            "episode_id": self.ep["id"],
            "start_date": start,
            "end_date": None,
            "initial_category": abuse,
            "latest_category": latest,
            "version": 1,
        }
        g.picker.note("abuse", abuse)
        g.picker.note("abuse", latest)
        g.rows.add(CPP, plan)
        if start >= g.year_start:
            g.stats["cpp_starts_year"] = g.stats.get("cpp_starts_year", 0) + 1
            if self.ch.cp_plans:
                g.stats["cpp_second_year"] = g.stats.get("cpp_second_year", 0) + 1
        self.ch.cp_plans += 1
        self.conference("transfer_in" if transfer else "initial", start, s47row, plan, True)
        self.note(start, "Initial child protection conference", f"Child made subject of a CP plan ({abuse}).")
        # How long the plan lasts (and whether it ends in care) sets the number of children on a plan at the
        # as-of date: decided once for the children referred together, stratified (see Strata).
        n_reviews = weighted(
            self.event_uniform("reviews"), ((1, 22), (2, 44), (3, 19), (4, 8), (5, 3.5), (6, 2.5), (8, 1))
        )
        ends_cla = force_cla or self.event_uniform("ends_cla") < 0.1
        end: dt.date | None = None
        end_kind = "review"
        reviews: list[dt.date] = []
        d = start
        for i in range(n_reviews):
            d = add_months(d, 3 if i == 0 else 6) - dt.timedelta(days=r.randint(0, 12))
            if r.random() < 0.05:
                d += dt.timedelta(days=r.randint(5, 20))
            d = g.cal.roll_forward(d)
            reviews.append(d)
        end = reviews[-1]
        if ends_cla:
            span = max(2, (end - start).days)
            end = start + dt.timedelta(days=r.randint(1 if not force_cla else 20, span))
            reviews = [x for x in reviews if x < end]
            end_kind = "cla"
        if end >= self.age_out:
            end = max(start + dt.timedelta(days=1), self.age_out)
            reviews = [x for x in reviews if x < end]
            end_kind = "age"
        self.beyond_assessment = True
        self.activity(start, end)
        for i, rd in enumerate(reviews):
            if rd > self.as_of:
                break
            last = i == len(reviews) - 1 and end_kind == "review"
            self.conference("review", rd, None, plan, not last)
        # Core groups: the first within 10 working days, then every four to six weeks.
        cg = g.wd(start, r.randint(4, 10)) if r.random() < 0.93 else g.wd(start, r.randint(11, 16))
        while cg <= self.as_of and cg < end:
            g.rows.add(CORE_GROUP, {"id": g.ids.next(CORE_GROUP), "plan_id": plan["id"], "held_on": cg})
            cg += dt.timedelta(days=r.randint(28, 42))
        v = g.wd(start, r.randint(1, 5))
        while v <= self.as_of and v < end:
            self.visit("cp", v, seen_p=0.93)
            v = g.wd(v, r.randint(8, 11))
        if end > self.as_of:
            return
        plan["end_date"] = end
        if end_kind == "cla":
            self.segment("cic", end)
            kind = "cp" if not force_cla else "long"
            care_end, rec = CarePeriod(self, end, kind).run()
            self.after_care(care_end, rec)
            return
        if end_kind == "age":
            self.close(end, "RC7")
            return
        x = r.random()
        if x < 0.62:
            self.cin_plan(end + dt.timedelta(days=1))
        elif x < 0.66:
            self.close(end, "RC5")
        elif x < 0.68:
            self.close(end, "RC3")
        else:
            self.close(end + dt.timedelta(days=r.randint(0, 14)), "RC7")

    def cin_plan(self, start: dt.date, *, long: bool = False) -> None:
        g, r = self.g, self.r
        if start > self.as_of:
            return
        if not long:
            self.segment("cin_cp", start)
        months = r.choices((3, 6, 9, 12, 18, 24), (20, 33, 20, 14, 9, 4))[0]
        if long:
            months = r.choices((12, 24, 36, 60), (25, 30, 25, 20))[0]
        end = start + dt.timedelta(days=months * 30 + r.randint(-20, 20))
        aged_out = end >= self.age_out
        if aged_out:
            end = max(start, self.age_out)
        self.beyond_assessment = True
        self.activity(start, end)
        plan: Row = {
            "id": g.ids.next(CIN_PLAN),
            "episode_id": self.ep["id"],
            "start_date": start,
            "end_date": None,
            "version": 1,
        }
        g.rows.add(CIN_PLAN, plan)
        d = start + dt.timedelta(days=r.randint(75, 100))
        while d <= self.as_of and d < end:
            agencies = ["school", "health"] + (["police"] if r.random() < 0.2 else [])
            g.rows.add(
                CIN_REVIEW, {"id": g.ids.next(CIN_REVIEW), "plan_id": plan["id"], "held_on": d, "agencies": agencies}
            )
            d += dt.timedelta(days=r.randint(80, 110))
        v = start + dt.timedelta(days=r.randint(3, 14))
        while v <= self.as_of and v < end:
            self.visit("cin", v, seen_p=0.92)
            v += dt.timedelta(days=r.randint(24, 40))
        # A second section 47 during the plan, now and then.
        if r.random() < 0.07:
            sd = start + dt.timedelta(days=r.randint(20, max(21, (end - start).days - 5)))
            if sd <= self.as_of and sd < end:
                self.s47(sd, False)
        if end > self.as_of:
            return
        plan["end_date"] = end
        age = age_on(self.ch.dob, end)
        if long and age >= 17:
            reason = "RC6" if self.r.random() < 0.7 else "RC7"
        else:
            reason = r.choices(("RC7", "RC3", "RC4", "RC5", "RC2"), (88, 3.5, 2.5, 5.5, 0.15))[0]
        self.close(end if aged_out else end + dt.timedelta(days=r.randint(0, 10)), reason)

    def short_breaks(self, start: dt.date) -> None:
        """A disabled child's short breaks: V3 stays recorded as periods, or a V4 agreement."""
        r = self.r
        if start > self.as_of or start >= self.age_out:
            return
        # The child is looked after during the short breaks: the case stays open (with its social worker)
        # until they end (903 rules SW11b, SW17).
        if r.random() < 0.25:
            end, _rec = CarePeriod(self, start, "v4").run()
            self.activity(end or self.as_of + dt.timedelta(days=1))
            return
        d = start
        for _ in range(r.randint(2, 6)):
            if d > self.as_of or d >= self.age_out:
                break
            end, _rec = CarePeriod(self, d, "v3").run()
            self.activity(end or self.as_of + dt.timedelta(days=1))
            if end is None:
                break
            d = end + dt.timedelta(days=r.randint(30, 120))

    def after_care(self, end: dt.date | None, rec: str) -> None:
        if end is None:
            return
        r = self.r
        if rec in REC_TO_RC:
            self.close(end, REC_TO_RC[rec])
            if rec in ("E11", "E12", "E3", "E2"):
                self.ch.gone = True
            return
        if rec in ("E4A", "E4B", "E13") and end < self.age_out and r.random() < 0.6:
            self.segment("cin_cp", end + dt.timedelta(days=1))
            self.cin_plan(end + dt.timedelta(days=1))
            return
        if rec in ("E15", "E16") or age_on(self.ch.dob, end) >= 16:
            self.ch.gone = True  # care leavers are supported by the leaving care service from here
        self.close(end, "RC7")

    def private_fostering(self, notified: dt.date) -> None:
        g, r = self.g, self.r
        ref = self.ep["referral_date"]
        done = self.assessment(ref, "cin_plan" if r.random() < 0.3 else "nfa", "pf")
        fam = self.fam
        carer = g._person(
            r,
            sex="F" if r.random() < 0.7 else "M",
            ethnicity=fam.ethnicity if fam.ethnicity not in ("NOBT", "REFU") else "OOTH",
            child=False,
            dob=notified - dt.timedelta(days=r.randint(28 * 365, 65 * 365)),
        )
        g._address(r, carer["id"], g.address(r, "E"), None, None)
        g._rel(carer["id"], self.ch.id, "private_foster_carer", False, notified)
        start = notified - dt.timedelta(days=r.randint(0, 120))
        months = r.choices((3, 6, 12, 24), (20, 35, 30, 15))[0]
        planned_end = min(notified + dt.timedelta(days=months * 30), self.age_out)
        end: dt.date | None = None if planned_end > self.as_of else planned_end
        assessed: dt.date | None = g.wd(notified, r.randint(15, 42))
        answers = {
            "trafficking_considered": r.choice(("yes", "yes", "yes", "no")),
            "trafficking_concern": "yes"
            if r.random() < 0.04 or g.picker.unseen("pf_answer", ["yes"]) and g.cov
            else "no",
            "abandonment_concern": "yes" if r.random() < 0.05 else "no",
            "parents_contacted": "yes" if r.random() < 0.85 else "no",
        }
        if assessed is not None and assessed > self.as_of:
            assessed = None
            if r.random() < 0.6:
                answers = {
                    "trafficking_considered": "",
                    "trafficking_concern": "",
                    "abandonment_concern": "",
                    "parents_contacted": "",
                }
        g.picker.note("pf_answer", answers["trafficking_concern"])
        decision = ""
        if assessed is not None:
            concern = answers["trafficking_concern"] == "yes" or answers["abandonment_concern"] == "yes"
            decision = "not_suitable" if concern else ("conditions" if r.random() < 0.25 else "suitable")
            g.picker.note("pf_decision", decision)
        g.rows.add(
            PRIVATE_FOSTERING,
            {
                "id": g.ids.next(PRIVATE_FOSTERING),
                "child_id": self.ch.id,
                "carer_id": carer["id"],
                "notified_on": notified,
                "arrangement_start": start,
                "arrangement_end": end,
                "parental_contact_arrangements": "Weekly video call with mother; visits in the holidays."
                if answers["parents_contacted"] == "yes"
                else "",
                "assessment_completed_on": assessed,
                "decision": decision,
                "version": 1,
                **answers,
            },
        )
        v = g.wd(notified, r.randint(2, 7))
        first = True
        stop = min(self.as_of, end or self.as_of)
        while v <= stop:
            self.visit("pf", v)
            v += dt.timedelta(days=42 if first or (v - notified).days < 365 else 84)
            first = False
        if end is not None:
            self.close(max(end, done or end), "RC7")


class LegacyFreeing:
    """The one journey that needs a freeing order (D1): before December 2005, so a former care leaver now."""

    def __init__(self, g: BoroughGenerator, r: random.Random, fam: Family, ch: Child) -> None:
        self.g, self.r, self.fam, self.ch = g, r, fam, ch

    def run(self) -> None:
        g, r, ch = self.g, self.r, self.ch
        ref = dt.date(2004, 11, 1)
        source = "3B"
        contact = g._contact(r, ch.id, ref, ref, "referral", "4", source)
        ep = {
            "id": g.ids.next(EPISODE),
            "child_id": ch.id,
            "contact_id": contact["id"],
            "referral_date": ref,
            "referral_source": source,
            "primary_need": "N1",
            "referral_nfa": False,
            "closure_date": None,
            "closure_reason": "",
            "version": 1,
        }
        g.rows.add(EPISODE, ep)
        js = Journey(g, r, self.fam, ch, ep)
        js.segment("cic", ref)
        start = dt.date(2004, 11, 5)
        legal = [(start, "C1"), (dt.date(2005, 6, 20), "D1")]
        end = birthday(ch.dob, 18)
        cp = CarePeriod(js, start, "long")
        eps = cp._episodes(start, legal, "U6", [(dt.date(2007, 3, 1), "U4", "same")], end, "E17")
        period = {
            "id": g.ids.next(PERIOD),
            "child_id": ch.id,
            "start_date": start,
            "end_date": end,
            "care_plan_date": start + dt.timedelta(days=7),
            "pep_date": start + dt.timedelta(days=21),
            "version": 1,
        }
        g.rows.add(PERIOD, period)
        for e in eps:
            e["period_id"] = period["id"]
            g.rows.add(CARE_EPISODE, e)
        ch.periods.append((start, end, "E17"))
        ch.care_starts.append(start)
        js.close(end, "RC7")
        js.finish()
