"""Simulate a borough's children's social care record: families, contacts, CIN episodes, child protection,
children looked after, care leavers and private fostering, with a workforce and allocations.

Everything is deterministic from ``random.Random(seed)`` and a few streams seeded from the seed and a label
(the stratified draws of :class:`~safehold.synthetic.borough.Strata`): the same seed, population and as-of
date give the same rows with the same ids. No clock is read and no ``hash()`` or set order decides anything.
Rows are plain dicts keyed by model field attname (foreign keys as ``<name>_id``), so the loader can
``bulk_create`` them.

The simulation runs family by family over about six years before the as-of date (longer for children who
have been looked after for many years) until the borough has the national referral rate for its child
population, then tops up children looked after, UASC and private fostering to their national stocks.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from safehold.core.identifiers import make_nhs_number, make_upn
from safehold.people.domain.addresses import Address, make_address
from safehold.people.domain.matching import PersonFacts, make_duplicate_variant
from safehold.people.domain.names import ETHNICITY_DISTRIBUTION, make_name
from safehold.synthetic import codes as C
from safehold.synthetic import rates
from safehold.synthetic.borough import (
    ADDRESS,
    CARE_LEAVER,
    CL_CONTACT,
    CONTACT,
    DISABILITY,
    EPISODE,
    HOUSEHOLD,
    MEMBER,
    NOTE,
    PATHWAY,
    PERSON,
    RELATIONSHIP,
    VISIT,
    Borough,
    Ids,
    Picker,
    Row,
    Rows,
    Strata,
    add_months,
    age_on,
    at,
    birthday,
)
from safehold.synthetic.early_help import add_early_help
from safehold.synthetic.journey import Journey, LegacyFreeing
from safehold.synthetic.postcodes import OWN_AREA, real_postcode
from safehold.synthetic.practice import add_practice
from safehold.synthetic.staffing import add_staffing
from safehold.synthetic.state import (
    CHAIN_END,
    COVERAGE,
    COVERAGE_THRESHOLD,
    DEFAULT_AS_OF,
    EXIT_PERMANENCE,
    HISTORY_YEARS,
    NOTED_ON_WRITE,
    P_REREFER,
    PATH_WEIGHTS,
    RECIPES,
    Child,
    Family,
    Outcome,
    la_code,
    recipe_for,
)
from safehold.synthetic.workforce import MIN_EPISODE_DAYS, Post, Workforce, worker_at
from safehold.timescales.domain.calendar import WorkingDayCalendar

#: Care leaver contacts: the LA is not in touch with this share (national, ``rates``); the others are
#: picked from the remaining codes, and those with an activity (in touch, or no longer requiring services)
#: are EET or in suitable accommodation at the shares that make the national figures over all contacts.
P_NOT_IN_TOUCH = rates.rate("care_leavers_not_in_touch_pct").value / 100
IN_TOUCH_REACHED = tuple((code, w) for code, w in C.IN_TOUCH if code != "NO")
_NO_ACTIVITY = {"REFU": 1.0, "DIED": 1.0, "RHOM": 0.5}  # about half of RHOM picks become YES (see _care_leaver)
_WITH_ACTIVITY = (1 - P_NOT_IN_TOUCH) * (
    1 - sum(w * _NO_ACTIVITY.get(c, 0.0) for c, w in IN_TOUCH_REACHED) / sum(w for _, w in IN_TOUCH_REACHED)
)
P_EET_WITH_ACTIVITY = rates.rate("care_leavers_eet_pct").value / 100 / _WITH_ACTIVITY
P_SUITABLE_WITH_ACTIVITY = rates.rate("care_leavers_suitable_pct").value / 100 / _WITH_ACTIVITY


class BoroughGenerator:
    """Generate a borough. ``workforce_rows()`` first, then iterate ``chunks()``; see :func:`generate_borough`."""

    def __init__(
        self,
        population: int,
        seed: int,
        as_of: dt.date = DEFAULT_AS_OF,
        *,
        faults: bool = True,
        force_coverage: bool | None = None,
    ) -> None:
        if population < 100:
            raise ValueError("child population must be at least 100")
        self.population = population
        self.seed = seed
        self.as_of = as_of
        self.faults = faults
        self.la_code = la_code()
        self.rng = random.Random(seed)
        self.ids = Ids()
        force = population >= COVERAGE_THRESHOLD if force_coverage is None else force_coverage
        self.picker = Picker(random.Random(seed + 1), force)
        # Stratified draws for the decisions that set a calibrated share (see Strata): each from a stream of
        # its own, so they never move another draw.
        self.path_strata = Strata(seed, "referral-path")
        self.leaver_strata = Strata(seed, "care-leaver", block=25, grow=False)  # a whole 4% (not in touch) per block
        self.move_strata = Strata(seed, "placement-moves")
        self.event_strata = Strata(seed, "referral-event")
        self.window_start = as_of - dt.timedelta(days=round(HISTORY_YEARS * 365.25))
        self.year_start = as_of - dt.timedelta(days=365)
        self.cal = WorkingDayCalendar()
        self.cal.precompute(as_of.year - 25, as_of.year + 2)
        self.wf = Workforce(
            rng=random.Random(seed + 2),
            tenure=Strata(seed, "staff-tenure", golden=True),
            ids=self.ids,
            population=population,
            as_of=as_of,
            history_start=self.window_start - dt.timedelta(days=365),
        )
        self.rows = Rows()
        self.nhs_used: set[str] = set()
        self.upn_used: set[str] = set()
        self.planted: list[tuple[int, int]] = []
        self.foster_pool: list[tuple[int, str]] = []
        self.urn_pool: dict[str, list[tuple[str, str]]] = {}
        self.urn_used: set[str] = set()
        k = population / 10_000
        self.target_referrals = rates.rate("referrals").value * k
        self.target_cla = rates.rate("cla_at_as_of").value * k
        self.target_uasc = rates.rate("uasc_at_as_of").value * k
        self.target_pf = rates.rate("private_fostering").value * k * HISTORY_YEARS
        self.refs_last_year = 0
        self.cla_open = 0
        self.uasc_open = 0
        self.demo_post: Post | None = self.wf.special.get("sw")
        self.demo_overdue = 0
        self.stats: dict[str, Any] = {}
        self.cov: dict[str, bool] = {}
        self._current_postcode = ""
        self._pf_count = 0

    # ================================================================== public
    def workforce_rows(self) -> Rows:
        add_staffing(self, self.wf.rows)  # posts, leavers' reasons, training, ASYE (safehold.synthetic.staffing)
        return self.wf.rows

    def demo_staff(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for key, post in self.wf.special.items():
            sid = post.current()
            if sid is not None:
                out[key] = sid
        return out

    def chunks(self, chunk_rows: int = 200_000) -> Iterator[Rows]:
        """Yield rows in chunks (each chunk only refers to ids in itself, earlier chunks or the workforce)."""
        phases = (
            ("regular", lambda: self.refs_last_year < self.target_referrals),
            ("uasc", lambda: self.uasc_open < self.target_uasc),
            ("pf", lambda: self._pf_count < self.target_pf),
            ("long_cla", lambda: self.cla_open < self.target_cla),
        )
        self._pf_count = 0
        for phase, more in phases:
            guard = 0
            while more():
                guard += 1
                if guard > self.population:  # a safety net; never reached with sane rates
                    break
                frng = random.Random(self.rng.getrandbits(64))
                if phase == "regular":
                    self._regular_family(frng)
                elif phase == "uasc":
                    self._uasc_child(frng)
                elif phase == "pf":
                    self._pf_child(frng)
                    self._pf_count += 1
                else:
                    self._long_stay_family(frng)
                if self.rows.count() >= chunk_rows:
                    yield self._flush()
        if self.picker.force:
            self._coverage_extras()
        self.stats.update(
            referrals_last_year=self.refs_last_year,
            cla_open=self.cla_open,
            uasc_open=self.uasc_open,
        )
        yield self._flush()

    def _flush(self) -> Rows:
        out = self.rows
        self.rows = Rows()
        add_early_help(self, out)  # the chunk's families' early help (safehold.synthetic.early_help)
        add_practice(self, out)  # decisions, accommodation, proceedings, audits (safehold.synthetic.practice)
        return out

    # ================================================================== helpers
    def year_index(self, d: dt.date) -> int:
        """0 for a date in the year up to the as-of date, 1 for the year before, and so on."""
        return (self.as_of - d).days // 365

    def wd(self, d: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(d, n)

    def pick(self, category: str, options: tuple[tuple[str, float], ...], r: random.Random) -> str:
        return self.picker.pick(category, options, r, record=category not in NOTED_ON_WRITE)

    def _nhs(self, r: random.Random) -> str:
        while True:
            n = make_nhs_number(r)
            if n not in self.nhs_used:
                self.nhs_used.add(n)
                return n

    def postcode(self, r: random.Random, area: str) -> str:
        """A real postcode in one of the generator's postcode areas (see :mod:`safehold.synthetic.postcodes`)."""
        return real_postcode(r, area, C.NEAR_AREAS)

    def address(self, r: random.Random, area: str) -> Address:
        return replace(make_address(r, area), postcode=self.postcode(r, area))

    def _upn(self, r: random.Random, year: int) -> str:
        while True:
            u = make_upn(r, self.la_code, allocation_year=year)
            if u not in self.upn_used:
                self.upn_used.add(u)
                return u

    def _ethnicity(self, r: random.Random) -> str:
        while True:
            code = r.choices(list(ETHNICITY_DISTRIBUTION), weights=list(ETHNICITY_DISTRIBUTION.values()))[0]
            if self.faults or code not in ("NOBT", "REFU"):
                return code

    def _person(
        self,
        r: random.Random,
        *,
        sex: str,
        ethnicity: str,
        dob: dt.date | None,
        child: bool,
        family_name: str | None = None,
        expected: dt.date | None = None,
        nhs: bool = True,
    ) -> Row:
        pid = self.ids.next(PERSON)
        given, family = make_name(r, sex if sex in ("M", "F") else "U", ethnicity)
        if family_name:
            family = family_name
        row: Row = {
            "id": pid,
            "given_name": given,
            "family_name": family,
            "other_names": "",
            "sex": sex,
            "date_of_birth": dob,
            "expected_date_of_birth": expected,
            "date_of_death": None,
            "ethnicity": ethnicity,
            "is_child_record": child,
            "la_child_id": None,
            "nhs_number": None,
            "upn": "",
            "former_upn": "",
            "upn_unknown": "",
            "uasc": False,
            "uasc_ceased": None,
            "care_experienced": False,
            "restricted": False,
            "merged_into_id": None,
            "version": 1,
        }
        if child:
            row["la_child_id"] = f"SH{pid:08d}"
            if dob is not None and (not self.faults or r.random() > 0.04):
                row["nhs_number"] = self._nhs(r)
            self._set_upn(r, row)
            if r.random() < 0.003:
                row["restricted"] = True
        elif nhs and r.random() < 0.5:
            row["nhs_number"] = self._nhs(r)
        self.rows.add(PERSON, row)
        self.picker.note("sex", sex)
        return row

    def _set_upn(self, r: random.Random, row: Row) -> None:
        dob = row["date_of_birth"]
        if dob is None or age_on(dob, self.as_of) < 5:
            row["upn_unknown"] = "UN1"
            return
        if self.faults and r.random() < 0.06:
            row["upn_unknown"] = r.choices(("UN3", "UN4", "UN5", "UN6", "UN2"), (20, 35, 15, 10, 20))[0]
            return
        row["upn"] = self._upn(r, min(dob.year + 5, self.as_of.year))
        if r.random() < 0.005:
            row["former_upn"] = self._upn(r, min(dob.year + 4, self.as_of.year))

    def _address(self, r: random.Random, person_id: int, line: Any, start: dt.date | None, end: dt.date | None) -> None:
        self.rows.add(
            ADDRESS,
            {
                "id": self.ids.next(ADDRESS),
                "person_id": person_id,
                "line1": line.line1,
                "line2": line.line2,
                "town": line.town,
                "postcode": line.postcode,
                "start_date": start,
                "end_date": end,
            },
        )

    def _rel(self, a: int, b: int, kind: str, pr: bool, start: dt.date | None, end: dt.date | None = None) -> None:
        self.rows.add(
            RELATIONSHIP,
            {
                "id": self.ids.next(RELATIONSHIP),
                "person_id": a,
                "other_id": b,
                "kind": kind,
                "has_parental_responsibility": pr,
                "start_date": start,
                "end_date": end,
            },
        )

    def _age_days(self, r: random.Random) -> int:
        band = r.choices(("u1", "1-4", "5-9", "10-15", "16+"), (5.0, 16.0, 23.0, 38.0, 18.0))[0]
        lo, hi = {
            "u1": (0, 364),
            "1-4": (365, 5 * 365 - 1),
            "5-9": (5 * 365, 10 * 365 - 1),
            "10-15": (10 * 365, 16 * 365 - 1),
            "16+": (16 * 365, 18 * 365 - 60),
        }[band]
        return r.randint(lo, hi)

    # ================================================================== families
    def _new_family(
        self,
        r: random.Random,
        t0: dt.date,
        index_dob: dt.date | None,
        n_children: int,
        *,
        expected: dt.date | None = None,
        index_sex: str | None = None,
        ethnicity: str | None = None,
    ) -> Family:
        eth = ethnicity or self._ethnicity(r)
        parent_eth = eth if eth not in ("NOBT", "REFU") or self.faults else "WBRI"
        hh_id = self.ids.next(HOUSEHOLD)
        ref_dob = index_dob or expected or t0
        mother_dob = ref_dob - dt.timedelta(days=r.randint(17 * 365, 38 * 365))
        mother = self._person(r, sex="F", ethnicity=parent_eth, dob=mother_dob, child=False)
        father: Row | None = None
        if r.random() < 0.7:
            father = self._person(
                r,
                sex="M",
                ethnicity=parent_eth,
                dob=mother_dob - dt.timedelta(days=r.randint(-700, 3000)),
                child=False,
            )
        family_name = father["family_name"] if father and r.random() < 0.7 else mother["family_name"]
        addr = self.address(r, OWN_AREA)
        fam = Family(hh_id, family_name, eth, addr.postcode, mother["id"], father["id"] if father else None, [])
        self.rows.add(HOUSEHOLD, {"id": hh_id, "name": f"{family_name} household"})
        dobs: list[tuple[dt.date | None, dt.date | None]] = [(index_dob, expected)]
        for _ in range(n_children - 1):
            sib = ref_dob + dt.timedelta(days=r.choice((-1, 1)) * r.randint(330, 8 * 365))
            if sib <= self.as_of and age_on(sib, self.as_of) < 24:
                dobs.append((sib, None))
        for i, (dob, exp) in enumerate(dobs):
            sex = index_sex if i == 0 and index_sex else ("M" if r.random() < 0.52 else "F")
            born = dob if dob is not None else None
            if born is None and exp is not None and exp + dt.timedelta(days=7) <= self.as_of:
                born = exp + dt.timedelta(days=r.randint(-14, 7))
            if born is None:
                row = self._person(
                    r, sex="U", ethnicity=eth, dob=None, child=True, family_name=family_name, expected=exp
                )
            else:
                row = self._person(
                    r, sex=sex, ethnicity=eth, dob=born, child=True, family_name=family_name, expected=exp
                )
            ch = Child(row["id"], row, born or exp or t0, row["sex"] if row["sex"] != "U" else sex)
            ch.disabled = r.random() < 0.06
            self._disabilities(r, ch)
            fam.children.append(ch)
        move_in = min(c.dob for c in fam.children) - dt.timedelta(days=r.randint(0, 900))
        previous = None
        if r.random() < 0.3:
            previous = self.address(r, OWN_AREA)
            move_in = max(move_in, t0 - dt.timedelta(days=r.randint(30, 1500)))
        members = [mother["id"]] + ([father["id"]] if father and r.random() < 0.6 else [])
        for pid in members + [c.id for c in fam.children]:
            self._address(r, pid, addr, move_in, None)
            if previous is not None:
                self._address(r, pid, previous, None, move_in - dt.timedelta(days=1))
            self.rows.add(
                MEMBER,
                {
                    "id": self.ids.next(MEMBER),
                    "household_id": hh_id,
                    "person_id": pid,
                    "start_date": move_in,
                    "end_date": None,
                },
            )
        half = r.random() < 0.2
        for c in fam.children:
            self._rel(mother["id"], c.id, "parent", True, c.dob)
            if father is not None and not (half and c is not fam.children[0]):
                self._rel(father["id"], c.id, "parent", r.random() < 0.78, c.dob)
        for i, a in enumerate(fam.children):
            for b in fam.children[i + 1 :]:
                kind = "half_sibling" if half else "sibling"
                self._rel(a.id, b.id, kind, False, None)
                self._rel(b.id, a.id, kind, False, None)
        if father is None and r.random() < 0.15:
            partner = self._person(
                r,
                sex="M",
                ethnicity=self._ethnicity(r),
                dob=mother_dob - dt.timedelta(days=r.randint(-1500, 3000)),
                child=False,
            )
            for c in fam.children:
                self._rel(partner["id"], c.id, "partner", False, t0 - dt.timedelta(days=r.randint(30, 900)))
        if self.faults:
            for c in fam.children:
                if r.random() < rates.rate("duplicates_pct").value / 100:
                    self._plant_duplicate(r, c, fam)
        return fam

    def _disabilities(self, r: random.Random, ch: Child) -> None:
        codes = ["NONE"]
        if ch.disabled:
            n = r.choices((1, 2, 3), (60, 30, 10))[0]
            codes = []
            while len(codes) < n:
                c = self.pick("disability", C.DISABILITY, r)
                if c not in codes:
                    codes.append(c)
        for code in codes:
            self.rows.add(DISABILITY, {"id": self.ids.next(DISABILITY), "person_id": ch.id, "code": code})

    def _plant_duplicate(self, r: random.Random, ch: Child, fam: Family) -> None:
        row = ch.row
        facts = PersonFacts(
            row["given_name"], row["family_name"], row["date_of_birth"], row["nhs_number"], fam.postcode, row["sex"]
        )
        v = make_duplicate_variant(r, facts)
        if v.date_of_birth is not None and v.date_of_birth > self.as_of:
            v = replace(v, date_of_birth=row["date_of_birth"])
        dup = dict(row)
        dup["id"] = self.ids.next(PERSON)
        dup.update(
            given_name=v.given_name,
            family_name=v.family_name,
            date_of_birth=v.date_of_birth,
            nhs_number=v.nhs_number,
            la_child_id=f"SH{dup['id']:08d}",
            upn="",
            former_upn="",
            upn_unknown="UN4" if v.date_of_birth and age_on(v.date_of_birth, self.as_of) >= 5 else "UN1",
        )
        self.rows.add(PERSON, dup)
        if v.postcode:
            self._address(r, dup["id"], replace(make_address(r, "E"), postcode=v.postcode), None, None)
        self.planted.append((row["id"], dup["id"]))
        # The duplicate exists because a contact was logged against a new record.
        when = self.as_of - dt.timedelta(days=r.randint(1, 5 * 365))
        self._other_contact(r, dup["id"], when)

    # ================================================================== contacts
    def _contact(
        self,
        r: random.Random,
        child_id: int,
        received: dt.date,
        decided: dt.date | None,
        outcome: str,
        threshold: str,
        source: str,
    ) -> Row:
        rec_at = at(received, r.randint(8, 17), r.randint(0, 59))
        dec_at = None
        if decided is not None and decided <= self.as_of:
            dec_at = at(decided, r.randint(9, 18), r.randint(0, 59))
            if dec_at < rec_at:
                dec_at = rec_at + dt.timedelta(minutes=r.randint(20, 300))
        else:
            outcome = ""
            threshold = ""
        row = {
            "id": self.ids.next(CONTACT),
            "child_id": child_id,
            "received_at": rec_at,
            "source": source,
            "referrer_name": "",
            "summary": r.choice(C.CONTACT_SUMMARIES),
            "threshold_level": threshold,
            "outcome": outcome,
            "decision_reason": C.DECISION_REASONS.get(outcome, "") if outcome else "",
            "decided_at": dec_at,
            "decided_by_id": self.wf.random_holder("front_door", received, r, "social_worker") if dec_at else None,
            "version": 1,
        }
        self.rows.add(CONTACT, row)
        return row

    def _decision_lag(self, r: random.Random, received: dt.date) -> dt.date:
        x = r.random()
        if x < 0.62:
            return received if self.cal.is_working_day(received) else self.cal.next_working_day(received)
        if x < 0.92:
            return self.wd(received, 1)
        return self.wd(received, r.randint(2, 6))

    def _other_contact(self, r: random.Random, child_id: int, received: dt.date) -> None:
        if received > self.as_of:
            return
        outcome = self.pick("contact_outcome", C.CONTACT_OUTCOME_OTHER, r)
        threshold = {"nfa": "1", "advice": r.choice("12"), "early_help": "2"}[outcome]
        self._contact(
            r,
            child_id,
            received,
            self._decision_lag(r, received),
            outcome,
            threshold,
            self.pick("source", C.REFERRAL_SOURCE, r),
        )

    def _contact_only_child(self, r: random.Random, when: dt.date) -> None:
        when = min(when, self.as_of - dt.timedelta(days=r.randint(0, 20)))
        dob = when - dt.timedelta(days=self._age_days(r))
        eth = self._ethnicity(r)
        row = self._person(r, sex="M" if r.random() < 0.5 else "F", ethnicity=eth, dob=dob, child=True)
        self.rows.add(DISABILITY, {"id": self.ids.next(DISABILITY), "person_id": row["id"], "code": "NONE"})
        addr = self.address(r, OWN_AREA)
        self._current_postcode = addr.postcode
        self._address(r, row["id"], addr, dob, None)
        if self.faults and row["upn"] == "" and row["upn_unknown"] != "UN1" and r.random() < 0.3:
            row["upn_unknown"] = "UN7"  # the only social care involvement is contacts with no further action
        if r.random() < 0.5:
            parent = self._person(
                r,
                sex="F",
                ethnicity=eth if eth not in ("NOBT", "REFU") else "WBRI",
                dob=dob - dt.timedelta(days=r.randint(17 * 365, 40 * 365)),
                child=False,
                family_name=row["family_name"],
            )
            self._rel(parent["id"], row["id"], "parent", True, dob)
        self._other_contact(r, row["id"], when)
        if r.random() < 0.45:
            self._other_contact(r, row["id"], when + dt.timedelta(days=r.randint(20, 500)))
        if self.faults and r.random() < rates.rate("duplicates_pct").value / 100:
            ch = Child(row["id"], row, dob, row["sex"])
            self._plant_duplicate(r, ch, Family(0, row["family_name"], eth, self._current_postcode, None, None, [ch]))

    # ================================================================== regular chains
    def _regular_family(self, r: random.Random) -> None:
        t0 = self.window_start + dt.timedelta(days=r.randint(0, (self.as_of - self.window_start).days))
        n = r.choices((1, 2, 3, 4), (45, 30, 17, 8))[0]
        expected = None
        age_days = self._age_days(r)
        index_dob: dt.date | None = t0 - dt.timedelta(days=age_days)
        if r.random() < 0.012:
            index_dob, expected = None, t0 + dt.timedelta(days=r.randint(30, 150))
        fam = self._new_family(r, t0, index_dob, n, expected=expected)
        self._chain(r, fam, t0)

    def _long_stay_family(self, r: random.Random) -> None:
        """A child looked after for a long time, whose journey started before the six-year window."""
        t0 = self.as_of - dt.timedelta(days=r.randint(365, 14 * 365))
        age_days = r.randint(30, 9 * 365)
        fam = self._new_family(r, t0, t0 - dt.timedelta(days=age_days), r.choices((1, 2), (70, 30))[0])
        self._chain(r, fam, t0, first_path="long_cla")

    def _eligible(self, fam: Family, t: dt.date) -> list[Child]:
        out = []
        for i, c in enumerate(fam.children):
            if c.gone or (c.last_closure is not None and c.last_closure >= t):
                continue
            if c.dob > t:
                # only the index child can be referred before birth (a pre-birth referral)
                if i != 0 or c.row["expected_date_of_birth"] is None or (c.dob - t).days > 200:
                    continue
            elif age_on(c.dob, t) >= 18:
                continue
            out.append(c)
        return out

    def _choose_path(self, index: Child, t: dt.date, size: int) -> str:
        """The path of a referral of ``size`` children with ``index`` first."""
        weights = dict(PATH_WEIGHTS)
        age = age_on(index.dob, t) if index.dob <= t else -1
        if index.disabled:
            weights["disabled"] *= 12
        if age < 10 or t <= birthday(index.dob, 10):
            weights["yj"] = 0.0  # youth justice legal statuses from the day after the 10th birthday (903 rule 358)
        else:
            weights["yj"] *= 3
        if index.cp_plans:
            weights["s47"] *= 2.5
        if age < 0:
            weights.update(disabled=0.0, nfa=weights["nfa"] / 2)
        # One stratified draw per referral (siblings referred together share it), per year, number of
        # children referred together and prior plan, so the mix of paths over children in each year holds to
        # the weights without the sampling noise of independent draws (see Strata).
        return self.path_strata.choice(("path", index.cp_plans > 0, size, self.year_index(t)), tuple(weights.items()))

    def _chain(self, r: random.Random, fam: Family, t0: dt.date, first_path: str | None = None) -> None:
        t = t0
        first = True
        while t <= self.as_of:
            kids = self._eligible(fam, t)
            if not kids:
                break
            index = kids[0]
            together = [index] + [c for c in kids[1:] if r.random() < 0.65 and c.dob <= t]
            path = first_path if first and first_path else self._choose_path(index, t, len(together))
            if path == "yj":
                together = [index]  # remanded or sentenced: the young person alone, not the brothers and sisters
            source = self.pick("source", C.REFERRAL_SOURCE, r)
            if path == "long_cla":
                source = r.choice(("6", "2A", "3E", "3B"))
            ev_seed = r.getrandbits(64)
            event: dict[Any, float] = {"size": len(together)}
            ends: list[dt.date] = []
            open_any = False
            for c in together:
                er = random.Random(ev_seed)
                out = self._episode(er, fam, c, t, path, source, event)
                if out.closure is None:
                    open_any = True
                else:
                    ends.append(out.closure)
                    if out.reason in CHAIN_END:
                        c.gone = True
            # Contacts that did not become referrals: on this child before/after, and on other children.
            extra = r.random()
            if extra < 0.62:
                self._other_contact(r, index.id, t - dt.timedelta(days=r.randint(20, 400)))
            for _ in range(2 if r.random() < 0.32 else 1):
                self._contact_only_child(random.Random(r.getrandbits(64)), t + dt.timedelta(days=r.randint(-300, 300)))
            first = False
            if open_any or not ends:
                break
            last = max(ends)
            prior = index.cp_plans > 0
            if not self.path_strata.below(
                ("rerefer", prior, self.year_index(last)), P_REREFER + (0.3 if prior else 0.0)
            ):
                break
            # 72% come back within 14-220 days, the others within 220-1,400 (uniform within each range).
            u = self.path_strata.uniform(("gap", prior))
            gap = 14 + int(u / 0.72 * 207) if u < 0.72 else 220 + int((u - 0.72) / 0.28 * 1181)
            t = last + dt.timedelta(days=gap)
        for c in fam.children:
            self._care_leaver(r, c)

    # ================================================================== the CIN episode
    def _episode(
        self,
        r: random.Random,
        fam: Family,
        ch: Child,
        ref: dt.date,
        path: str,
        source: str,
        event: dict[Any, float] | None = None,
    ) -> Outcome:
        """One referral for one child, through to closure (or still open at the as-of date). ``event`` holds
        the decisions shared with the other children referred at the same time."""
        if ref > self.as_of:
            return Outcome(ref, "RC7")
        received = ref if r.random() < 0.8 else ref - dt.timedelta(days=1)
        threshold = "4" if path in ("s47", "cla", "long_cla") else "3"
        contact = self._contact(r, ch.id, received, ref, "referral", threshold, source)
        if self.year_start < ref <= self.as_of:
            self.refs_last_year += 1
        nfa = path == "nfa"
        need_key = {
            "s47": "cp",
            "cla": "cp",
            "long_cla": "cp",
            "cin": "cin",
            "disabled": "disabled",
            "yj": "yj",
            "uasc": "uasc",
            "pf": "pf",
        }.get(path, "assess")
        need = self.pick("need", C.NEED_BY_PATH[need_key], r)
        if nfa:
            need = r.choices(("", "N9", "N0"), (70, 20, 10))[0]
        elif self.faults and r.random() < 0.005:
            need = ""  # data-quality fault: primary need missing on a referral that went on
        ep: Row = {
            "id": self.ids.next(EPISODE),
            "child_id": ch.id,
            "contact_id": contact["id"],
            "referral_date": ref,
            "referral_source": source,
            "primary_need": need,
            "referral_nfa": nfa,
            "closure_date": None,
            "closure_reason": "",
            "version": 1,
        }
        self.rows.add(EPISODE, ep)
        self.picker.note("need", need)
        self.picker.note("source", source)
        js = Journey(self, r, fam, ch, ep, event)
        js.note(ref, "Referral received", "Referral accepted by the front door for a social care response.")
        if nfa:
            js.segment("front_door", ref)
            days = r.randint(0, 2)
            if ch.care_starts:
                # A child who has been looked after is checked with the team that knew them before the referral
                # is closed. The 903 export reports a child's allocations from their first period of care to
                # their last, so the front door's, between two periods, must last a whole social worker episode
                # (SW09STG2).
                days = max(days, MIN_EPISODE_DAYS)
            js.close(ref + dt.timedelta(days=days), "RC7")
        else:
            js.run(path)
        js.finish()
        return Outcome(ep["closure_date"], ep["closure_reason"])

    # ================================================================== UASC, private fostering
    def _uasc_child(self, r: random.Random) -> None:
        arrival = self.as_of - dt.timedelta(days=r.randint(1, 4 * 365))
        dob = arrival - dt.timedelta(days=r.randint(14 * 365, 18 * 365 - 40))
        eth = r.choice(("OOTH", "AOTH", "BAFR", "BOTH", "WOTH", "OOTH"))
        sex = "M" if r.random() < 0.92 else "F"
        hh_id = 0
        row = self._person(r, sex=sex, ethnicity=eth, dob=dob, child=True)
        row["uasc"] = True
        if self.faults or r.random() < 0.5:
            row["upn"], row["upn_unknown"] = "", "UN2"
        ch = Child(row["id"], row, dob, sex, uasc=True)
        self.rows.add(DISABILITY, {"id": self.ids.next(DISABILITY), "person_id": ch.id, "code": "NONE"})
        fam = Family(hh_id, row["family_name"], eth, self.postcode(r, OWN_AREA), None, None, [ch])
        self._episode(r, fam, ch, arrival, "uasc", r.choice(("6", "7", "5C", "8")))
        self._care_leaver(r, ch)

    def _pf_child(self, r: random.Random) -> None:
        notified = self.window_start + dt.timedelta(days=r.randint(0, (self.as_of - self.window_start).days))
        dob = notified - dt.timedelta(days=r.randint(3 * 365, 17 * 365))
        fam = self._new_family(r, notified, dob, 1)
        ch = fam.children[0]
        self._episode(r, fam, ch, notified, "pf", r.choice(("2A", "2A", "8", "1A", "3A")))

    # ================================================================== care leavers
    def _care_leaver(self, r: random.Random, ch: Child) -> None:
        if not ch.periods or ch.row["date_of_birth"] is None:
            return
        dob = ch.dob
        b14, b16, b18, b21 = (birthday(dob, y) for y in (14, 16, 18, 21))
        days_since_14 = 0
        in_care_16 = False
        for s, e, _rec in ch.periods:
            end = e or self.as_of
            lo = max(s, b14)
            if end > lo:
                days_since_14 += (end - lo).days
            if end >= b16:
                in_care_16 = True
        if not in_care_16 or self.as_of < b16:
            return
        last_s, last_e, last_rec = ch.periods[-1]
        age = age_on(dob, self.as_of)
        if age > 25 or ch.row["date_of_death"] is not None or last_rec in ("E2", "E3", "E15", "E16"):
            return
        eligible_time = days_since_14 >= 91
        if last_e is None:
            if not eligible_time:
                return
            status = "eligible"
        elif last_rec in ("E4A", "E4B", "E13") and last_e < b18:
            return
        elif last_rec in EXIT_PERMANENCE or not eligible_time:
            if last_e < b16:
                return
            status = "qualifying"
        else:
            status = "relevant" if age < 18 else "former_relevant"
        ch.row["care_experienced"] = True
        self.picker.note("eligibility", status)
        left = last_e
        pa_post: Post | None = None
        allocs: list[Row] = []
        busy = any(a["end_date"] is None for a in ch.allocs)
        if left is not None and status in ("relevant", "former_relevant", "qualifying") and not busy:
            start = left + dt.timedelta(days=1)
            if ch.allocs:
                start = max(start, max(a["end_date"] for a in ch.allocs) + dt.timedelta(days=1))
            keep_to_25 = r.random() < 0.2
            end_at = birthday(dob, 25) - dt.timedelta(days=1) if keep_to_25 else b21 - dt.timedelta(days=1)
            if status == "qualifying" and r.random() < 0.5:
                end_at = min(end_at, start + dt.timedelta(days=r.randint(60, 500)))
            if start <= self.as_of:
                alloc_end = None if end_at >= self.as_of else end_at
                allocs = self.wf.allocations(
                    ch.id,
                    [("leaving_care", start, alloc_end, "OTHERS")],
                    r,
                    unallocated=alloc_end is None
                    and self.leaver_strata.below("unallocated", rates.rate("unallocated_pct").value / 100),
                    care_starts=ch.care_starts,
                )
                self.rows.setdefault("workforce.Allocation", []).extend(allocs)
        if allocs:
            pa = allocs[-1]["worker_id"]
        else:
            pa_post = self.wf.history_post("leaving_care", r)
            pa = pa_post.current() if status != "eligible" or age >= 17 else None
        self.rows.add(
            CARE_LEAVER,
            {
                "id": self.ids.next(CARE_LEAVER),
                "child_id": ch.id,
                "eligibility": status,
                "personal_adviser_id": pa,
                "staying_put": last_rec == "E17" and age <= 21,
                "version": 1,
            },
        )
        # Pathway plan reviews from 16 (every six months) to 21 or the as-of date.
        d = add_months(b16, 3)
        stop = min(self.as_of, b21)
        while d <= stop:
            self.rows.add(
                PATHWAY,
                {
                    "id": self.ids.next(PATHWAY),
                    "child_id": ch.id,
                    "held_on": d + dt.timedelta(days=r.randint(-10, 20))
                    if d + dt.timedelta(days=20) <= self.as_of
                    else d,
                },
            )
            d = add_months(d, 6)
        if left is None:
            return
        # OC3 contacts at the birthdays after leaving care; personal adviser contacts every two months.
        died = False
        for year in (17, 18, 19, 20, 21):
            bd = birthday(dob, year)
            if bd > self.as_of or bd < left or (bd == left and year == 18):
                continue
            when = min(self.as_of, max(left, bd + dt.timedelta(days=r.randint(-20, 25))))
            # Not in touch, EET and suitable accommodation are the national care leaver indicators: each is
            # a stratified share per collection year and age band (see Strata), so a few hundred contacts
            # meet the national figure without sampling noise.
            stratum = ((self.as_of - when).days // 365, "19-21" if year >= 19 else "17-18")
            if self.cov:
                in_touch = self.pick("in_touch", C.IN_TOUCH, r)
            elif self.leaver_strata.below(("no", stratum), P_NOT_IN_TOUCH):
                in_touch = "NO"
            else:
                in_touch = self.pick("in_touch", IN_TOUCH_REACHED, r)
            if in_touch == "RHOM" and last_rec not in ("E4A", "E4B", "E13") and not self.cov:
                in_touch = "YES" if r.random() < 0.5 else "RHOM"
            self.picker.note("in_touch", in_touch)
            if in_touch in ("NO", "DIED", "REFU", "RHOM"):
                activity, accom = "0", "0"
                self.picker.note("accom", "0")
                self.picker.note("eet", "0")
            else:
                eet = self.leaver_strata.below(("eet", stratum), P_EET_WITH_ACTIVITY)
                if self.cov:
                    eet = bool(self.picker.unseen("eet", [c for c, _ in C.EET])) or not self.picker.unseen(
                        "neet", [c for c, _ in C.NEET]
                    )
                activity = self.pick("eet", C.EET, r) if eet else self.pick("neet", C.NEET, r)
                if activity == "G6" and ch.sex == "M" and r.random() < 0.7 and not self.cov:
                    activity = "G5"
                self.picker.note("eet" if eet else "neet", activity)
                suitable = self.leaver_strata.below(("suitable", stratum), P_SUITABLE_WITH_ACTIVITY)
                if self.cov:
                    suitable = not self.picker.unseen(
                        "accom", [c for c, _ in C.ACCOM_UNSUITABLE if not (year == 17 and c[0] in "ZT")]
                    )
                if suitable:
                    options = tuple(
                        (c, w)
                        for c, w in C.ACCOM_SUITABLE
                        if not (year == 17 and c[0] in "ZT") and not (year >= 18 and c[0] == "C" and r.random() < 0.7)
                    )
                    accom = self.pick("accom", options, r)
                else:
                    options = tuple((c, w) for c, w in C.ACCOM_UNSUITABLE if not (year == 17 and c[0] in "ZT"))
                    accom = self.pick("accom", options, r)
            self.rows.add(
                CL_CONTACT,
                {
                    "id": self.ids.next(CL_CONTACT),
                    "child_id": ch.id,
                    "contacted_on": when,
                    "in_touch": in_touch,
                    "activity": activity,
                    "accommodation": accom,
                },
            )
            if in_touch == "DIED":
                ch.row["date_of_death"] = max(left, when - dt.timedelta(days=r.randint(1, 60)))
                died = True
                break
        if allocs:
            d = left + dt.timedelta(days=r.randint(5, 30))
            stop = min(self.as_of, allocs[-1]["end_date"] or self.as_of)
            if died:
                stop = min(stop, ch.row["date_of_death"] or stop)
            while d <= stop:
                self._visit(r, ch, "care_leaver", d, worker_at(allocs, d), seen_p=0.85)
                d += dt.timedelta(days=r.randint(40, 75))

    # ================================================================== shared writers
    def _visit(
        self,
        r: random.Random,
        ch: Child,
        kind: str,
        d: dt.date,
        worker: int | None,
        *,
        seen_p: float = 0.94,
        note_p: float = 0.45,
    ) -> None:
        seen = r.random() < seen_p
        alone = seen and ch.dob <= d and age_on(ch.dob, d) >= 5 and r.random() < 0.68
        self.rows.add(
            VISIT,
            {
                "id": self.ids.next(VISIT),
                "child_id": ch.id,
                "visit_type": kind,
                "visited_on": d,
                "seen": seen,
                "seen_alone": alone,
                "worker_id": worker,
                "notes": "",
                "version": 1,
            },
        )
        if r.random() < note_p:
            body = r.choice(C.NOTE_BODIES) if seen else C.NOTE_BODIES[4]
            self._note(r, ch.id, d, C.NOTE_SUBJECTS[kind], body, worker)

    def _note(self, r: random.Random, child_id: int, d: dt.date, subject: str, body: str, author: int | None) -> None:
        self.rows.add(
            NOTE,
            {
                "id": self.ids.next(NOTE),
                "child_id": child_id,
                "written_at": at(d, r.randint(9, 19), r.randint(0, 59)),
                "author_id": author,
                "subject": subject,
                "body": body,
                "restricted": False,
                "version": 1,
            },
        )

    def _urn(self, r: random.Random, bucket: str, far_p: float, *, own: bool = False) -> tuple[str, str]:
        pool = self.urn_pool.setdefault(bucket, [])
        if pool and r.random() < 0.85:
            return r.choice(pool)
        while True:
            urn = f"SC{r.randint(0, 999_999):06d}"
            if urn not in self.urn_used:
                self.urn_used.add(urn)
                break
        area = r.choice(C.FAR_AREAS) if r.random() < far_p else r.choice(C.NEAR_AREAS)
        item = (urn, self.postcode(r, OWN_AREA if own else area))
        pool.append(item)
        return item

    def _foster_carer(self, r: random.Random) -> tuple[int, str]:
        if len(self.foster_pool) > 20 and r.random() < 0.7:
            return r.choice(self.foster_pool)
        area = r.choice(C.FAR_AREAS) if r.random() < 0.12 else r.choice(C.NEAR_AREAS)
        addr = self.address(r, area)
        sex = "F" if r.random() < 0.8 else "M"
        row = self._person(
            r,
            sex=sex,
            ethnicity=self._ethnicity(r),
            child=False,
            dob=self.as_of - dt.timedelta(days=r.randint(30 * 365, 66 * 365)),
            nhs=False,
        )
        self._address(r, row["id"], addr, None, None)
        item = (row["id"], addr.postcode)
        self.foster_pool.append(item)
        return item

    def _kin_carer(self, r: random.Random, fam: Family) -> tuple[int, str]:
        if fam.kin is None:
            eth = fam.ethnicity if fam.ethnicity not in ("NOBT", "REFU") else "WBRI"
            row = self._person(
                r,
                sex="F" if r.random() < 0.75 else "M",
                ethnicity=eth,
                child=False,
                dob=self.as_of - dt.timedelta(days=r.randint(38 * 365, 72 * 365)),
                family_name=fam.family_name if r.random() < 0.5 else None,
            )
            addr = self.address(r, r.choice(C.NEAR_AREAS))
            self._address(r, row["id"], addr, None, None)
            kind = "grandparent" if r.random() < 0.6 else "aunt_uncle"
            for c in fam.children:
                self._rel(row["id"], c.id, kind, False, None)
            fam.kin = (row["id"], addr.postcode)
        return fam.kin

    # ================================================================== coverage
    def _coverage_extras(self) -> None:
        """Extra journeys, with every choice steered to a code not yet used, until each statutory code has
        turned up (large boroughs only; a few dozen families at most)."""
        r = random.Random(self.seed + 99)
        if self.picker.unseen("legal", ["D1"]):
            # A care leaver freed for adoption in 2005, before placement orders replaced freeing orders,
            # never adopted, looked after until 18 and now a former relevant young person.
            dob = dt.date(2004, 9, 14)
            if age_on(dob, self.as_of) <= 25:
                fam = self._new_family(r, dt.date(2004, 11, 1), dob, 1, index_sex="F")
                ch = fam.children[0]
                LegacyFreeing(self, r, fam, ch).run()
                self._care_leaver(r, ch)
                self.picker.note("legal", "D1")
        if self.picker.unseen("conference", ["transfer_in"]):
            t0 = self.as_of - dt.timedelta(days=400)
            fam = self._new_family(r, t0, t0 - dt.timedelta(days=2000), 1)
            self._episode(r, fam, fam.children[0], t0, "transfer_in", "5C")
        if self.picker.unseen("sex", ["U"]):
            t0 = self.as_of - dt.timedelta(days=20)
            fam = self._new_family(r, t0, None, 1, expected=self.as_of + dt.timedelta(days=60))
            self._chain(r, fam, t0, first_path="s47")
        saved = self.picker.force_rate
        self.picker.force_rate = 1.0
        try:
            for _round in range(40):
                recipes = {
                    recipe_for(cat, code) for cat, codes in COVERAGE.items() for code in self.picker.unseen(cat, codes)
                }
                if not recipes:
                    break
                for recipe in RECIPES:
                    if recipe in recipes:
                        self._recipe(random.Random(r.getrandbits(64)), recipe)
        finally:
            self.picker.force_rate = saved
            self.cov = {}

    def _recipe(self, r: random.Random, recipe: str) -> None:
        a = self.as_of
        if recipe == "adoption":
            self.cov = {"adoption": True}
            t0 = a - dt.timedelta(days=r.randint(900, 1500))
            fam = self._new_family(r, t0, t0 - dt.timedelta(days=r.randint(10, 700)), 1)
            self._chain(r, fam, t0, first_path="cla")
        elif recipe == "teen_leaver":
            self.cov = {"leaver": True}
            t0 = a - dt.timedelta(days=r.randint(5 * 365 + 150, 6 * 365))
            fam = self._new_family(r, t0, t0 - dt.timedelta(days=r.randint(17 * 365 - 200, 17 * 365 - 100)), 1)
            self._chain(r, fam, t0, first_path="cla")
        elif recipe == "relevant":
            self.cov = {"relevant": True}
            t0 = a - dt.timedelta(days=r.randint(250, 330))
            fam = self._new_family(r, t0, t0 - dt.timedelta(days=r.randint(16 * 365 + 20, 16 * 365 + 120)), 1)
            self._chain(r, fam, t0, first_path="cla")
        elif recipe == "moves":
            t0 = a - dt.timedelta(days=r.randint(2 * 365, 5 * 365))
            age_days = r.randint(10, 300) if r.random() < 0.5 else r.randint(365, 13 * 365)
            fam = self._new_family(r, t0, t0 - dt.timedelta(days=age_days), 1)
            self._chain(r, fam, t0, first_path="cla")
        elif recipe == "uasc":
            self._uasc_child(r)
        elif recipe == "yj":
            t0 = a - dt.timedelta(days=r.randint(200, 1500))
            fam = self._new_family(r, t0, t0 - dt.timedelta(days=r.randint(13 * 365, 16 * 365)), 1)
            self._chain(r, fam, t0, first_path="yj")
        elif recipe == "disabled":
            t0 = a - dt.timedelta(days=r.randint(700, 1400))
            fam = self._new_family(r, t0, t0 - dt.timedelta(days=r.randint(14 * 365, 16 * 365)), 1)
            fam.children[0].disabled = True
            self._chain(r, fam, t0, first_path="disabled")
            t1 = a - dt.timedelta(days=r.randint(500, 900))
            fam = self._new_family(r, t1, t1 - dt.timedelta(days=r.randint(17 * 365 - 300, 17 * 365 - 100)), 1)
            fam.children[0].disabled = True
            self._chain(r, fam, t1, first_path="cla")
        elif recipe == "pf":
            self.cov = {"pf": True}
            self._pf_child(r)
        else:
            t0 = a - dt.timedelta(days=r.randint(400, 2000))
            fam = self._new_family(r, t0, t0 - dt.timedelta(days=r.randint(30, 17 * 365)), 1)
            self._chain(r, fam, t0, first_path=r.choice(("cla", "s47", "cin")))
        self.cov = {}


def generate_borough(
    population: int,
    seed: int,
    as_of: dt.date = DEFAULT_AS_OF,
    *,
    faults: bool = True,
    force_coverage: bool | None = None,
) -> Borough:
    """Generate a whole borough in memory (rows per model, planted duplicate pairs, demo staff ids)."""
    gen = BoroughGenerator(population, seed, as_of, faults=faults, force_coverage=force_coverage)
    b = Borough(population=population, seed=seed, as_of=as_of, faults=faults)
    b.rows.extend_from(gen.workforce_rows())
    for chunk in gen.chunks(chunk_rows=math.inf):  # type: ignore[arg-type]
        b.rows.extend_from(chunk)
    b.planted_duplicates = list(gen.planted)
    b.demo_staff = gen.demo_staff()
    b.stats = dict(gen.stats)
    return b
