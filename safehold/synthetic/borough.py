"""Plain containers for a generated borough: rows per model (dicts keyed by field attname, ids included)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

Row = dict[str, Any]
T = TypeVar("T")

LONDON = ZoneInfo("Europe/London")

# Load order: every model after the models its foreign keys point at.
PERSON = "people.Person"
DISABILITY = "people.PersonDisability"
ADDRESS = "people.Address"
RELATIONSHIP = "people.Relationship"
HOUSEHOLD = "people.Household"
MEMBER = "people.HouseholdMember"
TEAM = "workforce.Team"
STAFF = "workforce.StaffMember"
ALLOCATION = "workforce.Allocation"
CONTACT = "casework.Contact"
EPISODE = "casework.CINEpisode"
ASSESSMENT = "casework.Assessment"
S47 = "casework.Section47"
STRATEGY = "casework.StrategyDiscussion"
CPP = "casework.ChildProtectionPlan"
CONFERENCE = "casework.Conference"
CORE_GROUP = "casework.CoreGroup"
CIN_PLAN = "casework.CINPlan"
CIN_REVIEW = "casework.CINPlanReview"
VISIT = "casework.Visit"
NOTE = "casework.CaseNote"
PERIOD = "looked_after.PeriodOfCare"
CARE_EPISODE = "looked_after.CareEpisode"
LAC_REVIEW = "looked_after.LACReview"
MISSING = "looked_after.MissingEpisode"
HEALTH = "looked_after.HealthCheck"
SDQ = "looked_after.SDQAssessment"
OUTCOME = "looked_after.AnnualOutcome"
ADOPTION = "looked_after.AdoptionJourney"
PREV_PERM = "looked_after.PreviousPermanence"
CARE_LEAVER = "looked_after.CareLeaver"
PATHWAY = "looked_after.PathwayPlanReview"
CL_CONTACT = "looked_after.CareLeaverContact"
PRIVATE_FOSTERING = "looked_after.PrivateFostering"

MODEL_ORDER: tuple[str, ...] = (
    TEAM,
    STAFF,
    PERSON,
    DISABILITY,
    ADDRESS,
    RELATIONSHIP,
    HOUSEHOLD,
    MEMBER,
    ALLOCATION,
    CONTACT,
    EPISODE,
    ASSESSMENT,
    S47,
    STRATEGY,
    CPP,
    CONFERENCE,
    CORE_GROUP,
    CIN_PLAN,
    CIN_REVIEW,
    VISIT,
    NOTE,
    PERIOD,
    CARE_EPISODE,
    LAC_REVIEW,
    MISSING,
    HEALTH,
    SDQ,
    OUTCOME,
    ADOPTION,
    PREV_PERM,
    CARE_LEAVER,
    PATHWAY,
    CL_CONTACT,
    PRIVATE_FOSTERING,
    # Early help (safehold.synthetic.early_help).
    "early_help.PartnerOrganisation",
    "early_help.EarlyHelpEpisode",
    "early_help.EpisodeChild",
    "early_help.Consent",
    "early_help.EarlyHelpAssessment",
    "early_help.FamilyGoal",
    "early_help.TAFMember",
    "early_help.Review",
    "early_help.GoalProgress",
    # Posts and training (safehold.synthetic.staffing); decisions, leaving-care accommodation, proceedings and
    # case audits (safehold.synthetic.practice).
    "workforce.Post",
    "workforce.TrainingRecord",
    "casework.StrategyDecision",
    "looked_after.LeavingCareAccommodation",
    "proceedings.PreProceedings",
    "proceedings.PreProceedingsMeeting",
    "proceedings.Proceedings",
    "proceedings.Hearing",
    "proceedings.Extension",
    "oversight.CaseAudit",
    "oversight.AuditDomainGrade",
    "oversight.AuditAction",
)


class Rows(dict[str, list[Row]]):
    """Rows per model label (ids are assigned by :class:`Ids` when a row is built)."""

    def add(self, label: str, row: Row) -> Row:
        self.setdefault(label, []).append(row)
        return row

    def extend_from(self, other: Rows) -> None:
        for label, rows in other.items():
            self.setdefault(label, []).extend(rows)

    def count(self) -> int:
        return sum(len(v) for v in self.values())


class Ids:
    """Primary keys per model, handed out in generation order (so the same seed gives the same ids)."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def next(self, label: str) -> int:
        n = self._next.get(label, 0) + 1
        self._next[label] = n
        return n

    def last(self, label: str) -> int:
        return self._next.get(label, 0)


@dataclass
class Borough:
    """A whole generated borough held in memory (small and medium sizes; large ones are streamed)."""

    population: int
    seed: int
    as_of: dt.date
    faults: bool
    rows: Rows = field(default_factory=Rows)
    planted_duplicates: list[tuple[int, int]] = field(default_factory=list)
    demo_staff: dict[str, int] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {label: len(self.rows.get(label, [])) for label in MODEL_ORDER}


class Picker:
    """Weighted choices that, for a large enough borough, make sure every code turns up.

    With ``force`` on, a small share of draws picks the first not-yet-seen code among the codes allowed
    in that context (weight > 0), so rare codes appear without distorting the rates much. Iteration is
    over the weights in their given order: deterministic.
    """

    def __init__(self, rng: random.Random, force: bool, force_rate: float = 0.04) -> None:
        self.rng = rng
        self.force = force
        self.force_rate = force_rate
        self.seen: dict[str, Counter[str]] = {}

    def pick(
        self,
        category: str,
        options: Sequence[tuple[str, float]],
        rng: random.Random | None = None,
        *,
        record: bool = True,
    ) -> str:
        """A weighted choice. ``record=False`` when the code may yet be discarded: the caller notes it when
        it is written, so a code only counts as seen once it is in a row."""
        r = rng or self.rng
        seen = self.seen.setdefault(category, Counter())
        if self.force and r.random() < self.force_rate:
            for code, weight in options:
                if weight > 0 and seen[code] == 0:
                    if record:
                        seen[code] += 1
                    return code
        total = 0.0
        for _, w in options:
            total += w
        x = r.random() * total
        acc = 0.0
        chosen = options[-1][0]
        for code, w in options:
            acc += w
            if x < acc:
                chosen = code
                break
        if record:
            seen[chosen] += 1
        return chosen

    def unseen(self, category: str, codes: Iterable[str]) -> list[str]:
        seen = self.seen.get(category, Counter())
        return [c for c in codes if seen[c] == 0]

    def note(self, category: str, code: str) -> None:
        self.seen.setdefault(category, Counter())[code] += 1


_GOLDEN = (5**0.5 - 1) / 2


class Strata:
    """Stratified uniforms for the draws that set a calibrated share directly.

    A share decided by independent draws wanders with sampling noise: 4% of the ~400 care leaver contacts
    of a 300,000-child borough has a standard error of 1 point, more than twice the +-10% calibration band.
    Each stratum here hands out its uniforms in shuffled blocks: the k-th block of a stratum has
    ``n = block * k`` values, one from each interval ``[i/n, (i+1)/n)``, in random order. So a share
    decided as ``uniform() < p`` is met to within about one unit per block (growing blocks: a few units
    over thousands of draws, and still close in the small strata of a small borough) instead of one
    binomial standard error, while the order in which units get their values stays random (no pattern
    between successive draws, which may be the successive decisions of one family). Without ``grow`` every
    block has ``block`` values: for a share that is a whole number of units per block (4% of 25).

    With ``golden`` the values are instead the golden-ratio sequence ``frac(u0 + n * 0.618...)`` from a
    random start: every run of draws is spread evenly (a share is met to within one or two units however
    many draws there are), but successive values follow a pattern, so it is only for draws in no meaningful
    order (the posts of the workforce), never for the successive decisions of one family.

    The values come from a stream of their own, seeded from the borough seed and a label, so drawing here
    never moves any other draw of the generator. Rates the generator calibrates therefore still come out
    of the simulated journeys; only the sampling noise around them is smaller.
    """

    def __init__(self, seed: int, label: str, block: int = 16, *, grow: bool = True, golden: bool = False) -> None:
        self._rng = random.Random(f"{label}:{seed}")
        self._block = block
        self._grow = grow
        self._golden = golden
        self._queues: dict[Any, list[float]] = {}
        self._filled: dict[Any, int] = {}
        self._next: dict[Any, float] = {}

    def uniform(self, stratum: Any) -> float:
        if self._golden:
            u = self._next.get(stratum)
            if u is None:
                u = self._rng.random()
            self._next[stratum] = (u + _GOLDEN) % 1.0
            return u
        queue = self._queues.get(stratum)
        if not queue:
            k = self._filled.get(stratum, 0) + 1
            self._filled[stratum] = k
            n = self._block * k if self._grow else self._block
            queue = [(i + self._rng.random()) / n for i in range(n)]
            self._rng.shuffle(queue)
            self._queues[stratum] = queue
        return queue.pop()

    def below(self, stratum: Any, p: float) -> bool:
        """True for a share ``p`` of the calls in ``stratum``."""
        return self.uniform(stratum) < p

    def choice(self, stratum: Any, options: Sequence[tuple[T, float]]) -> T:
        """A weighted choice by inversion of the stratum's next uniform."""
        return weighted(self.uniform(stratum), options)


def weighted(u: float, options: Sequence[tuple[T, float]]) -> T:
    """The weighted choice that the uniform ``u`` in [0, 1) picks (inversion of the cumulative weights)."""
    total = 0.0
    for _, w in options:
        total += w
    x = u * total
    acc = 0.0
    for value, w in options:
        acc += w
        if x < acc:
            return value
    return options[-1][0]


def at(d: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware London date-time on ``d``."""
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=LONDON)


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` plus calendar months, clamped to the month end."""
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    day = min(d.day, _days_in_month(y, m))
    return dt.date(y, m, day)


def _days_in_month(y: int, m: int) -> int:
    if m == 12:
        return 31
    return (dt.date(y, m + 1, 1) - dt.date(y, m, 1)).days


def birthday(dob: dt.date, years: int) -> dt.date:
    """The ``years``-th birthday (29 February birthdays fall on 28 February in common years)."""
    y = dob.year + years
    if dob.month == 2 and dob.day == 29 and _days_in_month(y, 2) == 28:
        return dt.date(y, 2, 28)
    return dt.date(y, dob.month, dob.day)


def age_on(dob: dt.date, d: dt.date) -> int:
    """Whole years of age on ``d``."""
    years = d.year - dob.year
    if (d.month, d.day) < (dob.month, dob.day):
        years -= 1
    return years
