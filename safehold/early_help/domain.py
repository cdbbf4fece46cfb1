"""Pure early help logic (no Django): local-standard timescales, their due dates, the step-up measure and the
history summary carried into a step-up referral.

There is no national timescale for early help (STATUTE.md §1.3: Family Help is set locally under the
Families First Partnership guide), so both rules are ``local standard`` rules an LA may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.periods import add_months
from safehold.timescales.domain.rules import LOCAL_STANDARD, Rule, Source, Unit

_LOCAL = Source("Local early help standard (FFP25; no national timescale)", "Early help procedures", LOCAL_STANDARD)

EH_ASSESSMENT: Final = Rule(
    code="eh_assessment",
    title="Early help assessment completed",
    starts="Early help assessment started",
    unit=Unit.WORKING_DAYS,
    amount=30,
    stops="Assessment completed or early help closed",
    restarts="-",
    source=_LOCAL,
    local=True,
)
EH_REVIEW: Final = Rule(
    code="eh_review",
    title="Team around the family review",
    starts="Assessment completed, then each review",
    unit=Unit.CALENDAR_WEEKS,
    amount=6,
    stops="Early help closed",
    restarts="Each review",
    source=_LOCAL,
    local=True,
)
RULES: Final = {r.code: r for r in (EH_ASSESSMENT, EH_REVIEW)}

STEP_UP_WINDOW_MONTHS: Final = 12


@dataclass(frozen=True, slots=True)
class EpisodeFacts:
    """What the clocks need to know about one early help episode."""

    episode_id: int
    closed_on: date | None
    assessment_start: date | None = None
    assessment_completed: date | None = None
    review_dates: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class Due:
    episode_id: int
    rule: Rule
    start: date
    due: date
    met_on: date | None = None

    def overdue(self, today: date) -> bool:
        return self.met_on is None and today > self.due

    @property
    def summary(self) -> str:
        unit = self.rule.unit.value.replace("calendar_", "").replace("_", " ")
        return f"{self.rule.amount} {unit} from: {self.rule.starts.lower()} ({self.start.strftime('%-d %B %Y')})"


def deadlines(facts: EpisodeFacts, calendar: WorkingDayCalendar) -> list[Due]:
    """The assessment clock, then a review chain: 6 weeks from completion, then 6 weeks from each review.

    A closed episode keeps its met deadlines (for timeliness) but no open clock.
    """
    out: list[Due] = []
    if facts.assessment_start is not None:
        due = EH_ASSESSMENT.due(facts.assessment_start, calendar)
        assert isinstance(due, date)
        if facts.assessment_completed is not None or facts.closed_on is None:
            out.append(Due(facts.episode_id, EH_ASSESSMENT, facts.assessment_start, due, facts.assessment_completed))
    if facts.assessment_completed is not None:
        start = facts.assessment_completed
        for held in sorted(d for d in facts.review_dates if d >= facts.assessment_completed):
            due = EH_REVIEW.due(start, calendar)
            assert isinstance(due, date)
            out.append(Due(facts.episode_id, EH_REVIEW, start, due, held))
            start = held
        if facts.closed_on is None:
            due = EH_REVIEW.due(start, calendar)
            assert isinstance(due, date)
            out.append(Due(facts.episode_id, EH_REVIEW, start, due))
    return out


@dataclass(frozen=True, slots=True)
class ClosedEpisode:
    """An early help episode closed other than by step-up, and the referral dates of its children."""

    episode_id: int
    closed_on: date
    later_referrals: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class StepUpMeasure:
    closed: int
    stepped_up_within_window: int
    episode_ids: tuple[int, ...] = field(default=())

    @property
    def percent(self) -> float | None:
        return None if self.closed == 0 else round(100 * self.stepped_up_within_window / self.closed, 1)


def step_ups_after_closure(episodes: Iterable[ClosedEpisode], months: int = STEP_UP_WINDOW_MONTHS) -> StepUpMeasure:
    """Of the early help episodes closed (not by step-up), how many had a child referred to social care
    within ``months`` of closure: a measure of premature closure."""
    closed = 0
    hit: list[int] = []
    for ep in episodes:
        closed += 1
        limit = add_months(ep.closed_on, months)
        if any(ep.closed_on <= r <= limit for r in ep.later_referrals):
            hit.append(ep.episode_id)
    return StepUpMeasure(closed=closed, stepped_up_within_window=len(hit), episode_ids=tuple(hit))


@dataclass(frozen=True, slots=True)
class HistoryFacts:
    opened_on: date
    origin: str
    lead: str
    reason: str
    needs: str
    assessment_start: date | None
    assessment_completed: date | None
    goals: Sequence[tuple[str, int | None]]
    taf: Sequence[str]
    reviews: int
    why_step_up: str


def history_summary(h: HistoryFacts) -> str:
    """Plain text the step-up contact and referral carry, so the social worker sees the early help history."""

    def d(value: date | None) -> str:
        return value.strftime("%-d %B %Y") if value else "not recorded"

    lines = [
        "Stepped up from early help.",
        f"Reason for step-up: {h.why_step_up}",
        f"Early help opened {d(h.opened_on)} ({h.origin}); lead practitioner: {h.lead}.",
    ]
    if h.reason:
        lines.append(f"Why early help: {h.reason}")
    lines.append(f"Early help assessment: started {d(h.assessment_start)}, completed {d(h.assessment_completed)}.")
    if h.needs:
        lines.append(f"Needs identified: {h.needs}")
    if h.goals:
        goal_text = "; ".join(f"{text} ({'no score' if s is None else f'{s}/10'})" for text, s in h.goals)
        lines.append(f"Family goals and latest progress: {goal_text}")
    if h.taf:
        lines.append(f"Team around the family: {'; '.join(h.taf)}")
    lines.append(f"Reviews held: {h.reviews}.")
    return "\n".join(lines)
