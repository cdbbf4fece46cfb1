"""Importing an SSDA903 return into the record: all or nothing, idempotent (children matched on CHILD,
the LA child id; each row matched on its natural key, e.g. a child's episode by its start date)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from safehold.audit.services import audit_record
from safehold.core.exceptions import ValidationFailed
from safehold.core.identifiers import is_valid_la_child_id
from safehold.core.services import service
from safehold.looked_after import choices as lc
from safehold.looked_after.models import (
    AdoptionJourney,
    AnnualOutcome,
    CareEpisode,
    CareLeaver,
    CareLeaverContact,
    HealthCheck,
    LACReview,
    MissingEpisode,
    PeriodOfCare,
    PreviousPermanence,
    SDQAssessment,
)
from safehold.people.choices import Ethnicity, RelationshipType, Sex, UPNUnknown
from safehold.people.models import Person, Relationship
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.csvio import FileProblem, read_csv
from safehold.returns.ssda903.domain.dates import CollectionYear, parse
from safehold.workforce.choices import ChangeReason, ServiceArea, StaffRole
from safehold.workforce.models import Allocation, StaffMember, Team

LONDON = ZoneInfo("Europe/London")
IMPORT_TEAM = "Imported from SSDA903"


@dataclass
class ImportSummary:
    year: int
    children: int = 0
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def describe(self) -> str:
        made = ", ".join(f"{n} {k}" for k, n in sorted(self.created.items()) if n) or "nothing new"
        changed = ", ".join(f"{n} {k}" for k, n in sorted(self.updated.items()) if n) or "nothing"
        return f"SSDA903 {CollectionYear(self.year).label}: {self.children} children; created {made}; updated {changed}"


def guess_year(ret: t.Return903) -> int:
    """The collection year of a return: the one holding its latest episode, review or missing date."""
    dates = [parse(v) for e in ret.episodes for v in (e.DECOM, e.DEC)]
    dates += [parse(r.REVIEW) for r in ret.reviews] + [parse(m.MIS_START) for m in ret.missing]
    known = [x for x in dates if x is not None]
    if not known:
        raise ValidationFailed("The return has no dated episodes, so its collection year is unknown")
    latest = max(known)
    return latest.year + 1 if latest.month >= 4 else latest.year


def _names(names_csv: bytes | None) -> dict[str, tuple[str, str]]:
    """CHILD → (given name, family name) from an optional CSV with columns CHILD, GIVEN_NAME, FAMILY_NAME."""
    if not names_csv:
        return {}
    reader = csv.DictReader(io.StringIO(names_csv.decode("utf-8-sig")))
    out = {}
    for row in reader:
        child = (row.get("CHILD") or "").strip()
        if child:
            out[child] = ((row.get("GIVEN_NAME") or "").strip(), (row.get("FAMILY_NAME") or "").strip())
    return out


class _Checker:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, table: str, line: int, message: str) -> None:
        self.errors[t.FILE_NAMES[table]].append(f"{t.FILE_NAMES[table]}.csv row {line}: {message}")

    def date(self, table: str, line: int, name: str, value: str, *, required: bool = False) -> None:
        if value == "":
            if required:
                self.add(table, line, f"{name} is blank")
        elif parse(value) is None:
            self.add(table, line, f"{name} '{value}' is not a dd/mm/yyyy date")

    def code(self, table: str, line: int, name: str, value: str, allowed: Any, *, required: bool = True) -> None:
        values = {c for c, _ in allowed} if not isinstance(allowed, set | frozenset) else allowed
        if value == "" and not required:
            return
        if value not in values:
            self.add(table, line, f"{name} '{value}' is not a valid code")


def _check(ret: t.Return903) -> dict[str, list[str]]:
    """Everything that would stop a row being stored (the DfE rules are reported separately, by ``validate``)."""
    c = _Checker()
    header = {h.CHILD for h in ret.header}
    seen: set[str] = set()
    for n, h in enumerate(ret.header, start=2):
        if not is_valid_la_child_id(h.CHILD):
            c.add("Header", n, f"CHILD '{h.CHILD}' is not a valid LA child id")
        if h.CHILD in seen:
            c.add("Header", n, f"CHILD {h.CHILD} appears twice")
        seen.add(h.CHILD)
        c.code("Header", n, "SEX", h.SEX, Sex.choices)
        c.date("Header", n, "DOB", h.DOB, required=True)
        c.code("Header", n, "ETHNIC", h.ETHNIC, Ethnicity.choices)
        c.date("Header", n, "MC_DOB", h.MC_DOB)
        c.code("Header", n, "MOTHER", h.MOTHER, {"0", "1"}, required=False)
    for table in t.COLUMNS:
        if table == "Header" or not ret.has(table):
            continue
        for n, row in enumerate(ret.rows(table), start=2):
            if row.CHILD not in header:
                c.add(table, n, f"CHILD {row.CHILD} is not in the header file")
    for n, e in enumerate(ret.episodes, start=2):
        c.date("Episodes", n, "DECOM", e.DECOM, required=True)
        c.date("Episodes", n, "DEC", e.DEC)
        c.code("Episodes", n, "RNE", e.RNE, lc.ReasonNewEpisode.choices)
        c.code("Episodes", n, "LS", e.LS, lc.LegalStatus.choices)
        c.code("Episodes", n, "CIN", e.CIN, lc.CategoryOfNeed.choices)
        c.code("Episodes", n, "PLACE", e.PLACE, lc.PlacementType.choices)
        c.code("Episodes", n, "PLACE_PROVIDER", e.PLACE_PROVIDER, lc.PlacementProvider.choices, required=False)
        c.code("Episodes", n, "REC", e.REC, lc.ReasonEpisodeCeased.choices, required=e.DEC != "")
        c.code(
            "Episodes", n, "REASON_PLACE_CHANGE", e.REASON_PLACE_CHANGE, lc.ReasonPlaceChange.choices, required=False
        )
        if e.REC and not e.DEC:
            c.add("Episodes", n, "REC is given but DEC is blank")
        decom, dec = parse(e.DECOM), parse(e.DEC)
        if decom and dec and dec < decom:
            c.add("Episodes", n, "DEC is before DECOM")
    for n, r in enumerate(ret.reviews, start=2):
        c.date("Reviews", n, "REVIEW", r.REVIEW, required=True)
        c.code("Reviews", n, "REVIEW_CODE", r.REVIEW_CODE, lc.ReviewParticipation.choices)
    for n, m in enumerate(ret.missing, start=2):
        c.code("Missing", n, "MISSING", m.MISSING, lc.MissingKind.choices)
        c.date("Missing", n, "MIS_START", m.MIS_START, required=True)
        c.date("Missing", n, "MIS_END", m.MIS_END)
    for n, o in enumerate(ret.oc2, start=2):
        if o.SDQ_SCORE and not (o.SDQ_SCORE.isdigit() and int(o.SDQ_SCORE) <= 40):
            c.add("OC2", n, f"SDQ_SCORE '{o.SDQ_SCORE}' is not a whole number 0–40")
        c.code("OC2", n, "SDQ_REASON", o.SDQ_REASON, lc.SDQReason.choices, required=False)
    for n, o3 in enumerate(ret.oc3, start=2):
        c.code("OC3", n, "IN_TOUCH", o3.IN_TOUCH, lc.InTouch.choices)
        c.code("OC3", n, "ACTIV", o3.ACTIV, lc.Activity.choices)
        c.code("OC3", n, "ACCOM", o3.ACCOM, lc.ACCOMMODATION_CHOICES)
    for n, p in enumerate(ret.placed_adoption, start=2):
        c.date("PlacedAdoption", n, "DATE_PLACED", p.DATE_PLACED, required=True)
        c.date("PlacedAdoption", n, "DATE_PLACED_CEASED", p.DATE_PLACED_CEASED)
        c.code(
            "PlacedAdoption",
            n,
            "REASON_PLACED_CEASED",
            p.REASON_PLACED_CEASED,
            lc.ReasonPlacedCeased.choices,
            required=p.DATE_PLACED_CEASED != "",
        )
    for n, a in enumerate(ret.ad1, start=2):
        c.date("AD1", n, "DATE_INT", a.DATE_INT, required=True)
        c.date("AD1", n, "DATE_MATCH", a.DATE_MATCH)
    for n, pp in enumerate(ret.prev_perm, start=2):
        c.code("PrevPerm", n, "PREV_PERM", pp.PREV_PERM, lc.PreviousPermanenceKind.choices)
        c.date("PrevPerm", n, "DATE_PERM", pp.DATE_PERM)
    for n, s in enumerate(ret.sw_episodes, start=2):
        if not s.SW_ID:
            c.add("SWEpisodes", n, "SW_ID is blank")
        c.date("SWEpisodes", n, "SW_DECOM", s.SW_DECOM, required=True)
        c.date("SWEpisodes", n, "SW_DEC", s.SW_DEC)
        if s.SW_REASON != "FCONTA":
            c.code("SWEpisodes", n, "SW_REASON", s.SW_REASON, ChangeReason.choices, required=False)
    if ret.dolo:
        c.add("DoLo", 2, "deprivation of liberty orders are not held in Safehold yet; remove the DoLo rows")
    return dict(c.errors)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=LONDON)


class _Writer:
    def __init__(self, summary: ImportSummary):
        self.summary = summary

    def upsert(self, model: type[Any], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        obj = model.objects.filter(**lookup).order_by("pk").first()
        name = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.summary.created[name] += 1
            return obj
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save()
            self.summary.updated[name] += 1
        return obj


@service
def ssda903_import(*, actor: Any, files: Mapping[str, bytes], names_csv: bytes | None = None) -> ImportSummary:
    """Import an SSDA903 return (one CSV per table). Every row is checked before anything is written; any
    problem raises ValidationFailed listing each bad row and nothing is stored."""
    try:
        probe = read_csv(files, year=2026)
    except FileProblem as exc:
        raise ValidationFailed({"files": exc.problems}) from exc
    year = guess_year(probe) if probe.episodes else 2026
    ret = read_csv(files, year=year)
    errors = _check(ret)
    if errors:
        raise ValidationFailed(errors)
    summary = ImportSummary(year=year)
    w = _Writer(summary)
    names = _names(names_csv)
    cy = CollectionYear(year)
    people: dict[str, Person] = {}
    for h in ret.header:
        people[h.CHILD] = _person(w, h, names.get(h.CHILD))
    uasc = {u.CHILD: u for u in ret.uasc}
    for child, p in people.items():
        u = uasc.get(child)
        if u is not None and (not p.uasc or p.uasc_ceased != parse(u.DUC)):
            p.uasc, p.uasc_ceased = True, parse(u.DUC)
            p.save()
    periods = _episodes(w, ret, people)
    for r in ret.reviews:
        day = parse(r.REVIEW)
        assert day is not None
        period = _period_on(periods.get(r.CHILD, []), day)
        if period is None:
            raise ValidationFailed({"reviews": [f"reviews.csv: review on {r.REVIEW} for {r.CHILD} is outside care"]})
        w.upsert(
            LACReview, {"child": people[r.CHILD], "held_on": day}, {"period": period, "participation": r.REVIEW_CODE}
        )
    for m in ret.missing:
        start, end = parse(m.MIS_START), parse(m.MIS_END)
        assert start is not None
        existing = MissingEpisode.objects.filter(child=people[m.CHILD], started_at__date=start).first()
        values = {"kind": m.MISSING, "returned_at": _at(end) if end else None}
        if existing is None:
            w.upsert(MissingEpisode, {"child": people[m.CHILD], "started_at": _at(start)}, values)
        else:
            w.upsert(MissingEpisode, {"pk": existing.pk}, values)
    _outcomes(w, ret, people, cy)
    _adoptions(w, ret, people)
    for pp in ret.prev_perm:
        w.upsert(
            PreviousPermanence,
            {"child": people[pp.CHILD]},
            {"kind": pp.PREV_PERM, "la": pp.LA_PERM, "order_date": parse(pp.DATE_PERM)},
        )
    _social_workers(w, ret, people)
    for h in ret.header:
        if h.MOTHER == "1" and h.MC_DOB:
            _baby(w, people[h.CHILD], parse(h.MC_DOB))
    summary.children = len(people)
    for p in people.values():
        audit_record(
            actor=actor, action="ssda903.imported", instance=p, child_id=p.pk, reason=f"SSDA903 {cy.label} import"
        )
    audit_record(
        actor=actor,
        action="ssda903.import",
        object_type="returns.SSDA903",
        object_id=cy.label,
        after={"summary": summary.describe()},
    )
    _refresh([p.pk for p in people.values()])
    return summary


def _refresh(child_ids: list[int]) -> None:
    try:
        from safehold.timescales.services import deadlines_refresh_child
    except ImportError:  # pragma: no cover - the timescales app is always installed
        return
    for pk in child_ids:
        deadlines_refresh_child(child_id=pk)


def _person(w: _Writer, h: t.Header, name: tuple[str, str] | None) -> Person:
    upn, upn_unknown = ("", h.UPN) if h.UPN in UPNUnknown.values else (h.UPN, "")
    values: dict[str, Any] = {
        "sex": h.SEX,
        "date_of_birth": parse(h.DOB),
        "ethnicity": h.ETHNIC,
        "upn": upn,
        "upn_unknown": upn_unknown,
    }
    existing = Person.objects.filter(la_child_id=h.CHILD).first()
    if existing is None:
        given, family = name or ("Unknown", f"Child {h.CHILD}")
        values |= {
            "given_name": given or "Unknown",
            "family_name": family or f"Child {h.CHILD}",
            "is_child_record": True,
            "care_experienced": True,
        }
    elif name is not None:
        values |= {"given_name": name[0] or existing.given_name, "family_name": name[1] or existing.family_name}
    person: Person = w.upsert(Person, {"la_child_id": h.CHILD}, values)
    return person


def _period_on(periods: list[PeriodOfCare], day: dt.date) -> PeriodOfCare | None:
    for p in periods:
        if p.start_date <= day and (p.end_date is None or day <= p.end_date):
            return p
    return None


def _episodes(w: _Writer, ret: t.Return903, people: dict[str, Person]) -> dict[str, list[PeriodOfCare]]:
    """Episodes in runs: a period of care starts at RNE S (or after an episode that ended other than X1)."""
    by_child: dict[str, list[t.Episode]] = defaultdict(list)
    for e in ret.episodes:
        by_child[e.CHILD].append(e)
    out: dict[str, list[PeriodOfCare]] = {}
    for child, eps in by_child.items():
        eps.sort(key=lambda e: parse(e.DECOM))  # type: ignore[arg-type,return-value]
        runs: list[list[t.Episode]] = []
        for e in eps:
            if not runs or e.RNE == "S" or runs[-1][-1].REC not in ("X1", ""):
                runs.append([e])
            else:
                runs[-1].append(e)
        person = people[child]
        periods = []
        for run in runs:
            first, last = run[0], run[-1]
            start = parse(first.DECOM)
            end = parse(last.DEC) if last.REC not in ("", "X1") else None
            existing = PeriodOfCare.objects.filter(child=person, start_date__lte=start).order_by("-start_date").first()
            if existing is not None and (existing.end_date is None or existing.end_date >= start):  # type: ignore[operator]
                period = w.upsert(PeriodOfCare, {"pk": existing.pk}, {"end_date": end})
            else:
                period = w.upsert(PeriodOfCare, {"child": person, "start_date": start}, {"end_date": end})
            periods.append(period)
            for e in run:
                w.upsert(
                    CareEpisode,
                    {"child": person, "start_date": parse(e.DECOM)},
                    {
                        "period": period,
                        "reason_new_episode": e.RNE,
                        "legal_status": e.LS,
                        "category_of_need": e.CIN,
                        "placement_type": e.PLACE,
                        "placement_provider": e.PLACE_PROVIDER,
                        "end_date": parse(e.DEC),
                        "reason_ceased": e.REC,
                        "reason_place_change": e.REASON_PLACE_CHANGE,
                        "home_postcode": e.HOME_POST,
                        "placement_postcode": e.PL_POST,
                        "urn": e.URN,
                    },
                )
        out[child] = periods
    return out


def _outcomes(w: _Writer, ret: t.Return903, people: dict[str, Person], cy: CollectionYear) -> None:
    """OC2 and OC3 carry yes/no answers for the year, not dates: they are stored dated 31 March."""
    kinds = {
        "IMMUNISATIONS": lc.HealthCheckKind.IMMUNISATIONS,
        "TEETH_CHECK": lc.HealthCheckKind.DENTAL,
        "HEALTH_ASSESSMENT": lc.HealthCheckKind.REVIEW_HEALTH,
        "HEALTH_CHECK": lc.HealthCheckKind.DEVELOPMENT,
    }
    for o in ret.oc2:
        child = people[o.CHILD]
        for column, kind in kinds.items():
            if getattr(o, column) == "1":
                done = HealthCheck.objects.filter(child=child, kind=kind, done_on__range=(cy.start, cy.end)).exists()
                if not done:
                    w.upsert(HealthCheck, {"child": child, "kind": kind, "done_on": cy.end}, {})
        if o.SDQ_SCORE or o.SDQ_REASON:
            score = int(o.SDQ_SCORE) if o.SDQ_SCORE else None
            latest = (
                SDQAssessment.objects.filter(child=child, done_on__range=(cy.start, cy.end))
                .order_by("-done_on", "-id")
                .first()
            )
            if latest is None:
                w.upsert(SDQAssessment, {"child": child, "done_on": cy.end}, {"score": score, "reason": o.SDQ_REASON})
            else:
                w.upsert(SDQAssessment, {"pk": latest.pk}, {"score": score, "reason": o.SDQ_REASON})

        def flag(v: str) -> bool | None:
            return None if v == "" else v == "1"

        w.upsert(
            AnnualOutcome,
            {"child": child, "year_ending": cy.end},
            {
                "convicted": o.CONVICTED == "1",
                "substance_misuse": o.SUBSTANCE_MISUSE == "1",
                "intervention_received": flag(o.INTERVENTION_RECEIVED),
                "intervention_offered": flag(o.INTERVENTION_OFFERED),
            },
        )
    for o3 in ret.oc3:
        child = people[o3.CHILD]
        if not CareLeaver.objects.filter(child=child).exists():
            w.upsert(CareLeaver, {"child": child}, {"eligibility": lc.CareLeaverEligibility.FORMER_RELEVANT})
        latest_contact = (
            CareLeaverContact.objects.filter(child=child, contacted_on__range=(cy.start, cy.end))
            .order_by("-contacted_on", "-id")
            .first()
        )
        values = {"in_touch": o3.IN_TOUCH, "activity": o3.ACTIV, "accommodation": o3.ACCOM}
        if latest_contact is None:
            w.upsert(CareLeaverContact, {"child": child, "contacted_on": cy.end}, values)
        else:
            w.upsert(CareLeaverContact, {"pk": latest_contact.pk}, values)


def _adoptions(w: _Writer, ret: t.Return903, people: dict[str, Person]) -> None:
    ad1 = {a.CHILD: a for a in ret.ad1}
    for p in ret.placed_adoption:
        a = ad1.pop(p.CHILD, None)
        values: dict[str, Any] = {"ceased_date": parse(p.DATE_PLACED_CEASED), "ceased_reason": p.REASON_PLACED_CEASED}
        if a is not None:
            values |= _ad1_values(a)
        w.upsert(AdoptionJourney, {"child": people[p.CHILD], "decision_date": parse(p.DATE_PLACED)}, values)
    for child, a in ad1.items():
        w.upsert(AdoptionJourney, {"child": people[child], "decision_date": parse(a.DATE_INT)}, _ad1_values(a))


def _ad1_values(a: t.AD1) -> dict[str, Any]:
    return {
        "matched_date": parse(a.DATE_MATCH),
        "adopted_by_foster_carer": None if a.FOSTER_CARE == "" else a.FOSTER_CARE == "1",
        "number_of_adopters": int(a.NB_ADOPTR) if a.NB_ADOPTR.isdigit() else None,
        "sex_of_adopters": a.SEX_ADOPTR,
        "legal_status_of_adopters": a.LS_ADOPTR,
    }


def _social_workers(w: _Writer, ret: t.Return903, people: dict[str, Person]) -> None:
    """A row's SW_REASON is why that worker took over, so it is stored as the previous allocation's end reason."""
    if not ret.sw_episodes:
        return
    team = Team.objects.filter(name=IMPORT_TEAM).first()
    if team is None:
        team = w.upsert(Team, {"name": IMPORT_TEAM}, {"service_area": ServiceArea.CHILDREN_IN_CARE})
    by_child: dict[str, list[t.SWEpisode]] = defaultdict(list)
    for s in ret.sw_episodes:
        by_child[s.CHILD].append(s)
    for child, rows in by_child.items():
        rows.sort(key=lambda s: parse(s.SW_DECOM))  # type: ignore[arg-type,return-value]
        for s, nxt in zip(rows, [*rows[1:], None], strict=True):
            start = parse(s.SW_DECOM)
            assert start is not None
            worker = StaffMember.objects.filter(sw_id=s.SW_ID).first()
            if worker is None:
                worker = w.upsert(
                    StaffMember,
                    {"sw_id": s.SW_ID},
                    {
                        "given_name": "Unknown",
                        "family_name": s.SW_ID,
                        "role": StaffRole.SOCIAL_WORKER,
                        "start_date": start,
                    },
                )
            existing = Allocation.objects.filter(child=people[child], start_date=start).first()
            values = {
                "worker": worker,
                "end_date": parse(s.SW_DEC),
                "end_reason": (nxt.SW_REASON if nxt is not None and s.SW_DEC else ""),
            }
            if existing is None:
                values["team"] = team
                if s.SW_DEC == "" and Allocation.objects.filter(child=people[child], end_date__isnull=True).exists():
                    raise ValidationFailed(
                        {
                            "social_workers": [
                                f"social_workers.csv: {child} already has an open allocation; "
                                f"close it before importing the one starting {s.SW_DECOM}"
                            ]
                        }
                    )
                w.upsert(Allocation, {"child": people[child], "start_date": start}, values)
            else:
                w.upsert(Allocation, {"pk": existing.pk}, values)


def _baby(w: _Writer, mother: Person, born: dt.date | None) -> None:
    if (
        born is None
        or Relationship.objects.filter(person=mother, kind=RelationshipType.PARENT, other__date_of_birth=born).exists()
    ):
        return
    baby = w.upsert(
        Person, {"given_name": "Unknown", "family_name": f"Child of {mother.la_child_id}", "date_of_birth": born}, {}
    )
    w.upsert(
        Relationship,
        {"person": mother, "other": baby, "kind": RelationshipType.PARENT},
        {"has_parental_responsibility": True},
    )
