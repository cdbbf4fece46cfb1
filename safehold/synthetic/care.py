"""One period of care as SSDA903 records it, and the records around it (reviews, health, missing, adoption)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from safehold.synthetic import codes as C
from safehold.synthetic.borough import (
    ADOPTION,
    CARE_EPISODE,
    HEALTH,
    LAC_REVIEW,
    MISSING,
    OUTCOME,
    PERIOD,
    PREV_PERM,
    SDQ,
    Row,
    add_months,
    age_on,
    at,
    birthday,
)
from safehold.synthetic.state import (
    COVERAGE,
)

if TYPE_CHECKING:
    from safehold.synthetic.journey import Journey


C_TEMP = frozenset({"T0", "T1", "T2", "T3", "T4"})


def _poisson_quantile(u: float, lam: float) -> int:
    """The smallest ``k`` with P(Poisson(lam) <= k) > u."""
    k = 0
    p = cdf = math.exp(-lam)
    while u >= cdf and k < 100:
        k += 1
        p *= lam / k
        cdf += p
    return k


class CarePeriod:
    """One period of care: 903 episodes (legal status and placement changes), reviews, health, missing."""

    def __init__(self, js: Journey, start: dt.date, kind: str) -> None:
        self.js, self.g, self.r = js, js.g, js.r
        self.ch = js.ch
        self.start = start
        self.kind = kind
        self.as_of = self.g.as_of
        self.eighteen = birthday(self.ch.dob, 18)

    # ------------------------------------------------------------------ plan
    def _age(self, d: dt.date) -> int:
        return age_on(self.ch.dob, d) if self.ch.dob <= d else 0

    def _bucket(self, d: dt.date) -> str:
        a = self._age(d)
        return "baby" if a < 1 else "young" if a < 5 else "child" if a < 11 else "teen" if a < 16 else "older"

    @staticmethod
    def _no_parents_under_s20(
        legal_seq: list[tuple[dt.date, str]], place_events: list[tuple[dt.date, str, str]]
    ) -> list[tuple[dt.date, str, str]]:
        """Drop placements with parents (P1) made while, or lasting into, accommodation under section 20 (V2):
        a child cannot be placed with parents under a single period of accommodation (903 rule 378)."""
        events = sorted(place_events, key=lambda e: e[0])
        out = []
        for i, (d, place, hint) in enumerate(events):
            if place == "P1":
                until = events[i + 1][0] if i + 1 < len(events) else dt.date.max
                status = [ls for when, ls in legal_seq if when <= d][-1:]
                later = [ls for when, ls in legal_seq if d < when < until]
                if "V2" in status + later:
                    continue
            out.append((d, place, hint))
        return out

    def _placement(self, d: dt.date, *, avoid: str | None = None) -> str:
        opts = C.PLACEMENT_BY_AGE[self._bucket(d)]
        if avoid:
            opts = tuple((c, w) for c, w in opts if c != avoid) or opts
        return self.g.pick("placement", opts, self.r)

    def run(self) -> tuple[dt.date | None, str]:
        g, r, ch = self.g, self.r, self.ch
        start, kind = self.start, self.kind
        age = self._age(start)
        if start < ch.dob:
            start = self.start = ch.dob
        if start > self.as_of:
            return None, ""
        if start >= self.eighteen:
            return start, "E8"
        legal_seq: list[tuple[dt.date, str]] = []
        place_events: list[tuple[dt.date, str, str]] = []  # (date, placement or '', RNE hint)
        adoption: dict[str, Any] | None = None
        exit_date: dt.date
        rec: str
        first_place: str
        if kind == "yj":
            ls = g.pick("legal", (("J1", 60.0), ("J2", 30.0), ("J3", 10.0)), r)
            legal_seq.append((start, ls))
            first_place = r.choice(("K2", "K2", "U6", "K1")) if ls != "J2" else r.choice(("K2", "U6"))
            if ls == "J2":
                exit_date, rec = start + dt.timedelta(days=r.randint(1, 2)), r.choice(("E4A", "E8"))
            elif ls == "J1":
                exit_date = start + dt.timedelta(days=r.randint(14, 150))
                rec = g.pick("rec", (("E14", 55.0), ("E9", 22.0), ("E4A", 23.0)), r)
                custody = r.random() < 0.2 or (g.picker.force_rate >= 1 and g.picker.unseen("rpc", ["CUSTOD"]))
                if custody and age >= 15:
                    # remanded to youth detention accommodation a few days after the first placement
                    place_events.append((start + dt.timedelta(days=r.randint(2, 10)), "R5", ""))
            else:
                exit_date = start + dt.timedelta(days=r.randint(90, 200))
                rec = g.pick("rec", (("E4A", 60.0), ("E13", 20.0), ("E8", 20.0)), r)
        elif kind in ("v3", "v4"):
            legal_seq.append((start, "V3" if kind == "v3" else "V4"))
            g.picker.note("legal", legal_seq[0][1])
            first_place = r.choice(("K2", "U6"))
            if kind == "v3":
                exit_date, rec = start + dt.timedelta(days=r.randint(1, 5)), "E4A"
            else:
                exit_date, rec = start + dt.timedelta(days=r.randint(150, 365)), "E8"
        elif kind == "uasc":
            legal_seq.append((start, "V2"))
            g.picker.note("legal", "V2")
            first_place = "U6" if age < 16 else g.pick("placement", (("K3", 60.0), ("U6", 25.0), ("K2", 15.0)), r)
            x = g.pick("rec", (("E15", 4.0), ("E3", 10.0), ("E16", 2.0), ("E8", 2.0), ("stay", 82.0)), r)
            g.picker.note("rec", "stay")
            if x == "E15":
                exit_date, rec = start + dt.timedelta(days=r.randint(10, 90)), "E15"
            elif x == "E3":
                exit_date, rec = start + dt.timedelta(days=r.randint(2, 30)), "E3"
            elif x in ("E16", "E8"):
                exit_date, rec = start + dt.timedelta(days=r.randint(60, 600)), x
            else:
                exit_date, rec = self.eighteen, ""
            if r.random() < 0.3:
                ceased = start + dt.timedelta(days=r.randint(120, 700))
                if ceased < self.eighteen and ceased <= self.as_of:
                    ch.row["uasc_ceased"] = ceased
        else:
            # emergency / direct / cp / long
            route = "care_order"
            if kind == "emergency":
                first_place = r.choice(("U6", "U6", "K2")) if age >= 11 else "U6"
            else:
                first_place = self._placement(start)
                if first_place in ("P1", "R2", "T1"):
                    first_place = "U6"
            if kind == "emergency":
                ls0 = g.pick("legal", (("L1", 52.0), ("L2", 44.0), ("L3", 4.0)), r)
                legal_seq.append((start, ls0))
                nxt = start + dt.timedelta(days={"L1": r.randint(1, 3), "L2": r.randint(3, 8), "L3": 7}[ls0])
            else:
                nxt = start
            weights = (("C1", 70.0), ("V2", 30.0)) if kind in ("cp", "long") else (("C1", 45.0), ("V2", 55.0))
            ls1 = g.pick("legal", weights, r)
            if kind == "emergency" and r.random() < 0.12:
                # returned home when police protection / the EPO ended
                exit_date, rec = nxt, "E4A"
                ls1 = ""
            else:
                legal_seq.append((nxt, ls1))
            if ls1:
                if age < 4 and kind != "long" and (r.random() < 0.33 or g.cov.get("adoption")):
                    route = "adoption"
                elif ls1 == "V2" and kind != "long" and r.random() < 0.7:
                    route = "s20"
                if route == "adoption":
                    adoption = self._adoption_plan(nxt, ls1, legal_seq)
                    exit_date, rec = adoption["exit"], adoption["rec"]
                elif route == "s20":
                    if r.random() < 0.15:
                        legal_seq.append((nxt + dt.timedelta(days=r.randint(30, 200)), "C1"))
                        route = "care_order"
                    exit_date = nxt + dt.timedelta(days=int(r.expovariate(1 / 240)) + 10)
                    rec = g.pick(
                        "rec",
                        (
                            ("E4A", 52.0),
                            ("E13", 9.0),
                            ("E4B", 5.0),
                            ("E8", 6.0),
                            ("E3", 3.0),
                            ("E16", 1.0),
                            ("E41", 3.0),
                            ("E45", 4.0),
                            ("E47", 1.0),
                            ("E5", 2.0),
                            ("E6", 1.0),
                        ),
                        r,
                    )
                if route == "care_order":
                    c1 = next((d for d, s in legal_seq if s == "C1"), nxt)
                    c2 = c1 + dt.timedelta(days=r.randint(150, 330))
                    legal_seq.append((c2, "C2"))
                    y = r.random()
                    if y < 0.1:
                        place_events.append((c2, self._placement(c2), ""))  # new carers with the order: B
                    elif y < 0.16 and first_place in C.LONG_TERM_OF:
                        place_events.append((c2, C.LONG_TERM_OF[first_place], "same"))  # long-term match: U
                    years = r.expovariate(1 / 3.2) if kind != "long" else 30.0
                    exit_date = nxt + dt.timedelta(days=int(years * 365) + 60)
                    rec = g.pick(
                        "rec",
                        (
                            ("E4A", 30.0),
                            ("E41", 6.0),
                            ("E45", 14.0),
                            ("E46", 4.0),
                            ("E47", 2.0),
                            ("E48", 1.0),
                            ("E3", 2.0),
                            ("E16", 0.5),
                            ("E2", 0.3),
                            ("E13", 3.0),
                            ("E8", 2.0),
                            ("E4B", 1.0),
                        ),
                        r,
                    )
                    if rec in ("E4A", "E41") and r.random() < 0.3:
                        place_events.append((exit_date - dt.timedelta(days=r.randint(60, 200)), "P1", ""))
        if g.cov.get("relevant") and kind not in ("v3", "v4"):
            if g.picker.unseen("eligibility", ["relevant"]):
                exit_date = start + dt.timedelta(days=r.randint(150, 200))
            else:
                exit_date = start + dt.timedelta(days=r.randint(20, 60))
            rec = g.pick("rec", (("E5", 50.0), ("E6", 20.0), ("E8", 30.0)), r)
        if exit_date >= self.eighteen:
            exit_date = self.eighteen
            last_place = place_events[-1][1] if place_events else first_place
            opts = (
                ("E17", 30.0 if last_place in C.FOSTER else 0.0),
                ("E5", 40.0),
                ("E6", 10.0),
                ("E8", 8.0),
                ("E7", 25.0 if ch.disabled else 0.3),
                ("E4A", 5.0),
            )
            rec = g.pick("rec", opts, r)
        if kind not in ("v3", "v4") and r.random() < 0.0015:
            # a very few children die while looked after
            exit_date = start + dt.timedelta(days=r.randint(5, max(6, (exit_date - start).days)))
            rec = "E2"
        if exit_date <= start:
            exit_date = start + dt.timedelta(days=1)
        if rec in ("E5", "E6") and exit_date < birthday(ch.dob, 14) and not self.js.fault(0.02):
            rec = "E4A"  # independent living is for children of 14 or over (903 rule 387)
        end = exit_date if exit_date <= self.as_of else None
        horizon = end or self.as_of
        # Placement moves.
        moves_until = min([horizon] + [d for d, p, _h in place_events if p == "P1"])
        if kind != "v3" and (moves_until - start).days > 30:
            mean = 455 if age >= 11 else 740
            cur = first_place
            short_breaks = kind == "v4"  # never a long-term foster or temporary placement (903 rules 384, 382)
            for t in self._move_dates(start, moves_until, mean, open_at_as_of=end is None):
                if adoption and adoption.get("placed") and t >= adoption["placed"] - dt.timedelta(days=10):
                    break
                if cur in C.LONG_TERM_OF and not short_breaks and r.random() < 0.35 and (t - start).days > 180:
                    cur = C.LONG_TERM_OF[cur]
                    place_events.append((t, cur, "same"))
                    continue
                force_temp = g.picker.force_rate >= 1 and g.picker.unseen("placement", [c for c, _ in C.TEMPORARY])
                if not short_breaks and (r.random() < 0.035 or force_temp):  # not in respite care (903 rule 382)
                    temp = g.pick("placement", C.TEMPORARY, r)
                    back = t + dt.timedelta(days=r.randint(1, 7 if temp == "T4" else 10))  # T4: a week (rule 379)
                    if back < horizon:
                        place_events.append((t, temp, "temp"))
                        place_events.append((back, cur, "return"))
                        continue
                nxt_place = self._placement(t, avoid=cur)
                if nxt_place in ("T1",):
                    nxt_place = "U6"
                if short_breaks and nxt_place in ("U1", "U4"):
                    nxt_place = {"U1": "U3", "U4": "U6"}[nxt_place]
                cur = nxt_place
                place_events.append((t, cur, ""))
        if adoption and adoption.get("placed") and adoption["placed"] < horizon:
            place_events.append(
                (adoption["placed"], adoption["place"], "same" if adoption["place"] in ("A5", "A3") else "")
            )
        if not self.js.fault(0.02):
            place_events = self._no_parents_under_s20(legal_seq, place_events)
        last_place = ([first_place] + [p for d, p, _h in sorted(place_events) if d < (end or dt.date.max)])[-1]
        if rec in ("E45", "E46") and last_place not in C.FOSTER and not self.js.fault(0.02):
            rec = {"E45": "E47", "E46": "E48"}[rec]  # an order to former foster carers needs a foster placement (516)
        ep_rows = self._episodes(start, legal_seq, first_place, place_events, end, rec)
        if not ep_rows:
            return None, ""
        # Care plan within 10 working days and first PEP within 20 (fixed offsets: no random draws, so the
        # rest of the borough is unchanged), bounded by the end of care and the as-of date.
        last = min(d for d in (end, g.as_of) if d is not None)
        care_plan = start + dt.timedelta(days=7)
        pep = start + dt.timedelta(days=21)
        period = {
            "id": g.ids.next(PERIOD),
            "child_id": ch.id,
            "start_date": start,
            "end_date": end,
            "care_plan_date": care_plan if care_plan <= last else None,
            "pep_date": pep if pep <= last else None,
            "version": 1,
        }
        g.rows.add(PERIOD, period)
        ch.care_starts.append(start)
        for e in ep_rows:
            e["period_id"] = period["id"]
            g.rows.add(CARE_EPISODE, e)
        if kind not in ("v3", "v4"):
            ch.periods.append((start, end, rec if end else ""))
            ch.row["care_experienced"] = True
        current_ls = ep_rows[-1]["legal_status"]
        if end is None and current_ls not in ("V3", "V4"):
            g.cla_open += 1
            if ch.uasc:
                g.uasc_open += 1
        if ch.uasc:
            ch.row["uasc"] = True
        self._records(period, ep_rows, end, adoption)
        if end is None:
            return None, ""
        return end, rec

    def _move_dates(self, start: dt.date, until: dt.date, mean: int, *, open_at_as_of: bool) -> Iterator[dt.date]:
        """Dates of placement moves before ``until``: gaps of two weeks plus an exponential with ``mean`` days.

        For a period still open at the as-of date, the moves in the year before it (the collection year,
        which the 3+ placements indicator counts) are the same process drawn another way: a Poisson count at
        the same rate, by inversion of a stratified uniform (see :class:`Strata`), spread at random over the
        year at least two weeks apart. So the indicator holds without the sampling noise of ~2,000 children.
        """
        g, r = self.g, self.r
        cut = g.year_start if open_at_as_of else dt.date.max
        last = start
        while True:
            t = last + dt.timedelta(days=int(r.expovariate(1 / mean)) + 14)
            if t >= until or t > cut:
                break
            last = t
            yield t
        if open_at_as_of and until > cut:
            first = max(cut + dt.timedelta(days=1), last + dt.timedelta(days=14))
            span = (until - first).days
            if span <= 0:
                return
            k = _poisson_quantile(g.move_strata.uniform(mean), span / (mean + 14))
            while k > 1 and 14 * (k - 1) >= span:
                k -= 1
            room = span - 14 * (k - 1)
            for i, offset in enumerate(sorted(r.randrange(room) for _ in range(k))):
                yield first + dt.timedelta(days=offset + 14 * i)

    def _adoption_plan(self, c1: dt.date, ls1: str, legal_seq: list[tuple[dt.date, str]]) -> dict[str, Any]:
        g, r = self.g, self.r
        out: dict[str, Any] = {}
        consent = ls1 == "V2" and r.random() < 0.15
        steer = bool(g.cov.get("adoption"))
        if steer:
            consent = bool(g.picker.unseen("placement", ["A3", "A4"]))
            if consent:
                ls1 = "V2"
                legal_seq[-1] = (c1, "V2")
        decision = c1 + dt.timedelta(days=r.randint(90, 240))
        out["decision"] = decision
        if consent:
            po = None
        else:
            po = decision + dt.timedelta(days=r.randint(20, 150))
            if ls1 == "V2":
                legal_seq.append((decision - dt.timedelta(days=r.randint(10, 60)), "C1"))
        reversal = r.random() < 0.14
        if steer:
            reversal = (
                bool(g.picker.unseen("rd", ["RD1", "RD2", "RD3", "RD4"]))
                and not consent
                and not (g.picker.unseen("placement", ["A5", "A6"]) or g.picker.unseen("legal", ["E1"]))
            )
        out["po"] = po
        if reversal:
            reason = g.pick("rd", (("RD1", 25.0), ("RD2", 35.0), ("RD3", 20.0), ("RD4", 20.0)), r)
            if reason == "RD2":
                ceased = po or decision + dt.timedelta(days=90)
                out["po"] = None
                legal_seq.append((ceased, "C2"))
                out.update(
                    ceased=ceased,
                    reason="RD2",
                    exit=ceased + dt.timedelta(days=r.randint(1, 120)),
                    rec=g.pick("rec", (("E45", 50.0), ("E47", 20.0), ("E41", 20.0), ("E4A", 10.0)), r),
                )
                return out
            if po:
                legal_seq.append((po, "E1"))
            ceased = (po or decision) + dt.timedelta(days=r.randint(60, 400))
            if po:
                legal_seq.append((ceased, "C2"))  # the placement order is revoked with the plan (903 rule 553)
            out.update(
                ceased=ceased,
                reason=reason,
                exit=ceased + dt.timedelta(days=int(r.expovariate(1 / 900))),
                rec=g.pick("rec", (("E45", 30.0), ("E4A", 20.0), ("E46", 30.0), ("E8", 20.0)), r),
            )
            return out
        if po:
            legal_seq.append((po, "E1"))
        matched = (po or decision) + dt.timedelta(days=r.randint(45, 240))
        placed = matched + dt.timedelta(days=r.randint(10, 60))
        with_carer = r.random() < 0.18
        if steer:
            with_carer = bool(g.picker.unseen("placement", ["A3"] if consent else ["A5"]))
        out.update(
            matched=matched,
            placed=placed,
            place=("A3" if with_carer else "A4") if consent else ("A5" if with_carer else "A6"),
            with_carer=with_carer,
        )
        out["exit"] = placed + dt.timedelta(days=r.randint(90, 330))
        out["rec"] = g.pick("rec", (("E11", 75.0), ("E12", 25.0)), r)
        return out

    def _provider(self, place: str) -> tuple[str, str, str, int | None]:
        """(provider, URN, placement postcode, carer id) for a placement type, away from the child's home
        postcode unless the child is placed with parents (903 rule 392d; the generator's real postcodes are
        few, so a carer or home can share the family's postcode)."""
        home = self.js.fam.postcode
        out = self._provider_once(place)
        if place == "P1":
            return out
        for _ in range(20):
            if out[2] != home:
                return out
            out = self._provider_once(place)
        # the same carers every time (kinship carers living at the family's postcode): another postcode
        pc = out[2]
        while pc == home:
            pc = self.g.postcode(self.r, self.r.choice(C.NEAR_AREAS))
        return out[0], out[1], pc, out[3]

    def _provider_once(self, place: str) -> tuple[str, str, str, int | None]:
        g, r = self.g, self.r
        fam = self.js.fam
        if place in ("T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"):
            pc = g.postcode(r, r.choice(C.NEAR_AREAS))
            return "", "", pc, None
        provider = g.pick("provider", C.PROVIDER_BY_PLACEMENT[place], r)
        carer: int | None = None
        if place == "P1":
            return provider, "", fam.postcode, fam.mother_id
        if place in C.KINSHIP:
            carer, pc = g._kin_carer(r, fam)
            urn = "SC000901" if provider == "PR1" else g._urn(r, f"fostering-{provider}", 0.1)[0]
            return provider, urn, pc, carer
        if place in C.FOSTER:
            carer, pc = g._foster_carer(r)
            urn = "SC000901" if provider == "PR1" else g._urn(r, f"fostering-{provider}", 0.2)[0]
            return provider, urn, pc, carer
        if place in ("P3", "R1", "R2", "R5"):
            area = r.choice(C.FAR_AREAS if r.random() < 0.4 else C.NEAR_AREAS)
            return provider, "", g.postcode(r, "E" if provider == "PR1" else area), None
        if place.startswith("A"):
            urn, _ = g._urn(r, f"adoption-{provider}", 0.1)
            return provider, urn, g.postcode(r, r.choice(C.FAR_AREAS if r.random() < 0.3 else C.NEAR_AREAS)), None
        if place == "K3" or provider == "PR1":
            # Own provision (and supported accommodation with a URN) is in the borough (903 rules 1015, 241).
            urn, pc = g._urn(r, f"{place}-own", 0.0, own=True)
        else:
            urn, pc = g._urn(r, place, 0.35 if place == "K2" else 0.6)
        return provider, urn, pc, None

    def _episodes(
        self,
        start: dt.date,
        legal_seq: list[tuple[dt.date, str]],
        first_place: str,
        place_events: list[tuple[dt.date, str, str]],
        end: dt.date | None,
        rec: str,
    ) -> list[Row]:
        g, r, ch = self.g, self.r, self.ch
        horizon = end or self.as_of
        need = self.js.ep["primary_need"]
        steer = g.picker.force_rate >= 1 and g.picker.unseen("cla_need", COVERAGE["cla_need"])
        if self.kind == "uasc":
            cin = "N8"
            g.picker.note("cla_need", cin)
        elif need in ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8") and r.random() < 0.95 and not steer:
            cin = need
            g.picker.note("cla_need", cin)
        else:
            cin = g.pick(
                "cla_need",
                (
                    ("N1", 60.0),
                    ("N4", 10.0),
                    ("N5", 12.0),
                    ("N2", 5.0),
                    ("N3", 3.0),
                    ("N6", 4.0),
                    ("N7", 0.5),
                    ("N8", 5.0),
                ),
                r,
            )
        changes: dict[dt.date, dict[str, Any]] = {}
        for d, ls in legal_seq[1:]:
            if start < d < horizon or (end is None and start < d <= self.as_of):
                changes.setdefault(d, {})["ls"] = ls
        for d, place, hint in place_events:
            if start < d < horizon or (end is None and start < d <= self.as_of):
                changes.setdefault(d, {})["place"] = (place, hint)
        ls = legal_seq[0][1]
        place = first_place
        provider, urn, pc, carer = self._provider(place)
        normal: tuple[str, str, str, str, int | None] | None = None
        rows: list[Row] = []
        cur = self._ep_row(start, "S", ls, cin, place, provider, urn, pc, carer)
        rows.append(cur)
        for d in sorted(changes):
            ch_ = changes[d]
            new_ls = ch_.get("ls", ls)
            legal_changed = new_ls != ls
            placement_changed = False
            same_carer = False
            hint = ""
            if "place" in ch_:
                new_place, hint = ch_["place"]
                if hint == "temp":
                    normal = (place, provider, urn, pc, carer)
                    place, (provider, urn, pc, carer) = new_place, self._provider(new_place)
                    placement_changed = True
                elif hint == "return" and normal is not None:
                    place, provider, urn, pc, carer = normal
                    normal = None
                    placement_changed = True
                elif hint == "same" and new_place != place and place in C.FOSTER:
                    # with the same carers: only from a foster placement (else a move, below; 903 rules 550, 392d)
                    place = new_place
                    if place.startswith("A"):
                        provider, urn, pc, _c = self._provider(place)
                    placement_changed = True
                    same_carer = True
                elif new_place != place or hint == "":
                    before = (place, provider, urn, pc, carer)
                    place = new_place
                    provider, urn, pc, carer = self._provider(place)
                    if (place, provider, urn, pc) == before[:4]:
                        # the very same setting, provider, URN and postcode: not a move (903 rule 435)
                        place, provider, urn, pc, carer = before
                    else:
                        placement_changed = True
            if not legal_changed and not placement_changed:
                continue
            if legal_changed and placement_changed:
                rne = "U" if same_carer else "B"
            elif legal_changed:
                rne = "L"
            else:
                rne = "T" if same_carer else "P"
            cur["end_date"] = d
            cur["reason_ceased"] = "X1"
            g.picker.note("rec", "X1")
            if placement_changed and cur["placement_type"] not in C_TEMP and hint not in ("temp",):
                cur["reason_place_change"] = (
                    "PLACE"
                    if same_carer
                    else (
                        "CARPL"
                        if place.startswith("A") or hint == "return"
                        else g.pick("rpc", C.REASON_PLACE_CHANGE, r)
                    )
                )
                if place == "R5":
                    cur["reason_place_change"] = "CUSTOD"
                g.picker.note("rpc", cur["reason_place_change"])
            ls = new_ls
            cur = self._ep_row(d, rne, ls, cin, place, provider, urn, pc, carer)
            rows.append(cur)
        if end is not None:
            cur["end_date"] = end
            cur["reason_ceased"] = rec
            g.picker.note("rec", rec)
            if cur["placement_type"] in C_TEMP:
                # a period cannot end in a temporary placement: fold it into the normal one
                cur["placement_type"] = normal[0] if normal else "U6"
                cur["placement_provider"], cur["urn"], cur["placement_postcode"] = (
                    (normal[1], normal[2], normal[3]) if normal else ("PR1", "SC000901", cur["placement_postcode"])
                )
        for e in rows:
            g.picker.note("rne", e["reason_new_episode"])
            g.picker.note("legal", e["legal_status"])
            g.picker.note("placement", e["placement_type"])
            g.picker.note("provider", e["placement_provider"])
            if e["carer_id"] is not None and e["carer_id"] not in ch.foster_links and e["placement_type"] in C.FOSTER:
                ch.foster_links.add(e["carer_id"])
                g._rel(e["carer_id"], ch.id, "foster_carer", False, e["start_date"])
        return rows

    def _ep_row(
        self, d: dt.date, rne: str, ls: str, cin: str, place: str, provider: str, urn: str, pc: str, carer: int | None
    ) -> Row:
        return {
            "id": self.g.ids.next(CARE_EPISODE),
            "period_id": None,
            "child_id": self.ch.id,
            "start_date": d,
            "reason_new_episode": rne,
            "legal_status": ls,
            "category_of_need": cin,
            "placement_type": place,
            "placement_provider": provider,
            "end_date": None,
            "reason_ceased": "",
            "reason_place_change": "",
            "home_postcode": self.js.fam.postcode,
            "placement_postcode": pc,
            "urn": urn,
            "carer_id": carer,
            "version": 1,
        }

    # ------------------------------------------------------------------ records around the period
    def _records(self, period: Row, eps: list[Row], end: dt.date | None, adoption: dict[str, Any] | None) -> None:
        g, r, js, ch = self.g, self.r, self.js, self.ch
        start = period["start_date"]
        stop = min(end or self.as_of, self.as_of)
        length = (stop - start).days
        # Previous permanence, recorded when the child starts to be looked after (short breaks too: 903 rule 630).
        kind = g.pick("prev_perm", C.PREV_PERM, r) if self.kind != "v3" else "Z1"
        la = ""
        order_date = None
        if kind != "Z1" and ch.dob >= start:
            kind = "Z1"  # no earlier order for a newborn
        if kind != "Z1":
            # Any previous permanence option but Z1 has the LA and the date of the order (903 rule 630).
            la = g.pick("prev_perm_la", C.PREV_PERM_LA, r)
            la = g.la_code if la == "OWN" else la
            order_date = ch.dob + dt.timedelta(days=r.randint(0, max(0, (start - ch.dob).days - 1)))
        g.rows.add(
            PREV_PERM,
            {"id": g.ids.next(PREV_PERM), "child_id": ch.id, "kind": kind, "la": la, "order_date": order_date},
        )
        if self.kind == "v3":
            return
        iro_post = g.wf.role_post("safeguarding", "cp_chair_iro", r)
        js.note(
            start,
            "Became looked after",
            f"Started to be looked after ({eps[0]['legal_status']}, {eps[0]['placement_type']}).",
        )
        # Reviews: 20 working days, then 3 months, then every 6 months.
        d = g.wd(start, r.randint(12, 20) if r.random() < 0.9 else r.randint(21, 30))
        n = 0
        while d <= stop and (end is None or d < end):
            age = self._age(d)
            pn = "PN0" if age < 4 else g.pick("pn", C.PN, r)
            iro = g.wf.random_holder("safeguarding", d, r, "cp_chair_iro")
            if iro_post is not None:
                iro = iro_post.holder_at(d) or iro
            g.rows.add(
                LAC_REVIEW,
                {
                    "id": g.ids.next(LAC_REVIEW),
                    "child_id": ch.id,
                    "period_id": period["id"],
                    "held_on": d,
                    "participation": pn,
                    "iro_id": iro,
                },
            )
            n += 1
            d = add_months(d, 3 if n == 1 else 6) - dt.timedelta(days=r.randint(0, 14))
            if r.random() < 0.06:
                d += dt.timedelta(days=r.randint(5, 40))
            d = g.cal.roll_forward(d)
        # Statutory visits: within a week of each placement, then six-weekly (three-monthly long term).
        for e in eps:
            e_end = min(e["end_date"] or stop, stop)
            v = e["start_date"] + dt.timedelta(days=r.randint(1, 7))
            while v <= e_end and v <= self.as_of:
                js.visit("cla", v, seen_p=0.95)
                gap = 90 if e["placement_type"] in ("U4", "U1") and (v - start).days > 365 else 42
                v += dt.timedelta(days=r.randint(gap - 14, gap))
        if length > 60:
            v = start + dt.timedelta(days=r.randint(60, 200))
            while v <= stop:
                js.visit("iro", v, seen_p=0.9)
                v += dt.timedelta(days=r.randint(300, 420))
        if length >= 28:
            self._health(start, stop)
        self._annual(start, end)
        self._missing(start, stop)
        if adoption:
            self._adoption_row(adoption, end)
        self._mother(start, stop)

    def _health(self, start: dt.date, stop: dt.date) -> None:
        g, r = self.g, self.r
        first = g.wd(start, r.randint(5, 20) if r.random() < 0.85 else r.randint(21, 60))
        if first <= stop:
            self._hc("initial_health", first)
        d = first
        while True:
            d = add_months(d, 6 if self._age(d) < 5 else 12) + dt.timedelta(days=r.randint(-20, 25))
            if d > stop:
                break
            self._hc("review_health", d)
            if self._age(d) >= 1 and r.random() < 0.85:
                self._hc("dental", d + dt.timedelta(days=r.randint(0, 60)) if d + dt.timedelta(days=60) <= stop else d)
            if r.random() < 0.9:
                self._hc("immunisations", d)
            if self._age(d) < 5:
                self._hc("development", d)

    def _hc(self, kind: str, d: dt.date) -> None:
        if d <= self.as_of:
            self.g.rows.add(HEALTH, {"id": self.g.ids.next(HEALTH), "child_id": self.ch.id, "kind": kind, "done_on": d})

    def _annual(self, start: dt.date, end: dt.date | None) -> None:
        """SDQ and OC2 outcomes at each 31 March after a year of continuous care."""
        g, r, ch = self.g, self.r, self.ch
        y = start.year + 1
        while True:
            ye = dt.date(y, 3, 31)
            if ye > self.as_of or (end is not None and ye > end):
                break
            y += 1
            if (ye - start).days < 365:
                continue
            age = self._age(ye)
            if 4 <= age <= 16:
                done = ye - dt.timedelta(days=r.randint(10, 100))
                if r.random() < 0.78:
                    g.rows.add(
                        SDQ,
                        {
                            "id": g.ids.next(SDQ),
                            "child_id": ch.id,
                            "done_on": done,
                            "score": max(0, min(40, int(r.gauss(14, 7)))),
                            "reason": "",
                        },
                    )
                else:
                    reason = g.pick(
                        "sdq",
                        (
                            ("SDQ2", 25.0),
                            ("SDQ3", 15.0 if ch.disabled else 2.0),
                            ("SDQ4", 45.0),
                            ("SDQ5", 25.0 if age >= 11 else 0.0),
                        ),
                        r,
                    )
                    g.rows.add(
                        SDQ,
                        {"id": g.ids.next(SDQ), "child_id": ch.id, "done_on": done, "score": None, "reason": reason},
                    )
            elif (age == 17 and not self.js.fault(0.5)) or (age == 3 and r.random() < 0.3):
                # Turned 17 in the year: the reason for no SDQ is recorded (903 rule 197B).
                g.rows.add(
                    SDQ,
                    {
                        "id": g.ids.next(SDQ),
                        "child_id": ch.id,
                        "done_on": ye - dt.timedelta(days=30),
                        "score": None,
                        "reason": "SDQ1",
                    },
                )
                g.picker.note("sdq", "SDQ1")
            misuse = age >= 10 and r.random() < 0.05
            g.rows.add(
                OUTCOME,
                {
                    "id": g.ids.next(OUTCOME),
                    "child_id": ch.id,
                    "year_ending": ye,
                    "convicted": age >= 10 and r.random() < 0.03,
                    "substance_misuse": misuse,
                    "intervention_received": (r.random() < 0.7) if misuse else None,
                    "intervention_offered": (r.random() < 0.95) if misuse else None,
                },
            )

    def _missing(self, start: dt.date, stop: dt.date) -> None:
        g, r, ch = self.g, self.r, self.ch
        lo = max(start, birthday(ch.dob, 11))
        if lo >= stop or r.random() > 0.22:
            return
        n = r.choices((1, 2, 3, 5, 8, 12), (40, 22, 15, 12, 7, 4))[0]
        days = (stop - lo).days
        busy_until: dt.date | None = None  # the last day of the previous period (None: no period yet)
        for day in sorted(lo + dt.timedelta(days=r.randint(0, days)) for _ in range(n)):
            kind = "M" if r.random() < 0.72 else "A"
            started = at(day, r.randint(14, 23), r.randint(0, 59))
            hours = r.randint(2, 72) if kind == "M" else r.randint(1, 20)
            returned: dt.datetime | None = started + dt.timedelta(hours=hours)
            if returned is not None and returned.date() > self.as_of:
                # Still missing at the as-of date. Not in a --no-faults borough: the sector's 903 validator
                # flags every open period (rules 575/577 see the end dates that other rules fill in).
                returned = None if g.faults else at(self.as_of, 23, 59)
            elif returned is not None and returned.date() > stop:
                returned = at(stop, 23, 59)  # back by the day care ended (903 rule 577)
            if busy_until is not None and day <= busy_until and not self.js.fault(0.1):
                continue  # periods do not overlap, nor start on the day the last one ended (903 rule 574)
            busy_until = returned.date() if returned is not None else dt.date.max
            offered = accepted = None
            rhi_at = None
            if returned is not None:
                offered = r.random() < (0.93 if kind == "M" else 0.5)
                if offered:
                    accepted = r.random() < 0.62
                    if accepted:
                        rhi_at = returned + dt.timedelta(hours=r.randint(6, 96))
                        if rhi_at.date() > self.as_of:
                            rhi_at = None
            g.rows.add(
                MISSING,
                {
                    "id": g.ids.next(MISSING),
                    "child_id": ch.id,
                    "kind": kind,
                    "started_at": started,
                    "returned_at": returned,
                    "rhi_offered": offered,
                    "rhi_accepted": accepted,
                    "rhi_at": rhi_at,
                },
            )
            g.picker.note("missing", kind)

    def _adoption_row(self, a: dict[str, Any], end: dt.date | None) -> None:
        g, r, ch = self.g, self.r, self.ch

        def known(d: dt.date | None) -> dt.date | None:
            return d if d is not None and d <= self.as_of and (end is None or d <= end) else None

        decision = known(a["decision"])
        if decision is None:
            return
        row: Row = {
            "id": g.ids.next(ADOPTION),
            "child_id": ch.id,
            "decision_date": decision,
            "placement_order_date": known(a.get("po")),
            "matched_date": known(a.get("matched")),
            "placed_date": known(a.get("placed")),
            "adoption_order_date": None,
            "ceased_date": None,
            "ceased_reason": "",
            "adopted_by_foster_carer": None,
            "number_of_adopters": None,
            "sex_of_adopters": "",
            "legal_status_of_adopters": "",
            "version": 1,
        }
        if a.get("ceased") and known(a["ceased"]):
            row["ceased_date"] = a["ceased"]
            row["ceased_reason"] = a["reason"]
            g.picker.note("rd", a["reason"])
            row["matched_date"] = row["placed_date"] = None
        if end is not None and a.get("rec") in ("E11", "E12") and not a.get("ceased"):
            row["adoption_order_date"] = end
            sex = g.pick("sex_adopters", C.SEX_ADOPTERS, r)
            row["sex_of_adopters"] = sex
            row["number_of_adopters"] = 1 if sex in ("M1", "F1") else 2
            row["legal_status_of_adopters"] = g.pick("ls_adopters", C.LS_ADOPTERS_BY_SEX[sex], r)
            row["adopted_by_foster_carer"] = bool(a.get("with_carer"))
        g.rows.add(ADOPTION, row)

    def _mother(self, start: dt.date, stop: dt.date) -> None:
        g, r, ch = self.g, self.r, self.ch
        if ch.sex != "F" or r.random() > 0.05:
            return
        lo = max(start, birthday(ch.dob, 15))
        if lo + dt.timedelta(days=30) > stop:
            return
        born = lo + dt.timedelta(days=r.randint(30, (stop - lo).days))
        baby = g._person(
            r,
            sex="M" if r.random() < 0.5 else "F",
            ethnicity=ch.row["ethnicity"] if ch.row["ethnicity"] not in ("NOBT", "REFU") else "WBRI",
            dob=born,
            child=False,
            family_name=ch.row["family_name"],
        )
        g._rel(ch.id, baby["id"], "parent", True, born)
        g.stats["mothers"] = g.stats.get("mothers", 0) + 1
