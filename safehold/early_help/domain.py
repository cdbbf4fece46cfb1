"""Pure early help logic (no Django): local-standard timescales, their due dates, the step-up measure and the
history summary carried into a step-up referral.

There is no national timescale for early help (STATUTE.md §1.3: Family Help is set locally under the
Families First Partnership guide), so both rules are ``local standard`` rules an LA may change; they are defined
with every other clock in :mod:`safehold.timescales.domain.rules` and run by the engine's early help family, so
the episode page and the ``/deadlines/`` worklists agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from safehold.timescales.domain.calendar import WorkingDayCalendar
from safehold.timescales.domain.deadlines import ClockContext, ClockEvent, EventKind, early_help_deadlines
from safehold.timescales.domain.periods import add_months
from safehold.timescales.domain.rules import RULES, Rule

#: The local standards live with every other clock in the timescales engine (an LA may change the amounts there).
EH_ASSESSMENT: Final[Rule] = RULES["eh_assessment"]
EH_REVIEW: Final[Rule] = RULES["eh_review"]
LOCAL_RULES: Final = {r.code: r for r in (EH_ASSESSMENT, EH_REVIEW)}

STEP_UP_WINDOW_MONTHS: Final = 12


@dataclass(frozen=True, slots=True)
class EpisodeFacts:
    """What the clocks need to know about one early help episode: its assessments as (start, completed), or
    just the latest one's dates."""

    episode_id: int
    closed_on: date | None
    assessment_start: date | None = None
    assessment_completed: date | None = None
    review_dates: tuple[date, ...] = ()
    assessments: tuple[tuple[date, date | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Due:
    episode_id: int
    rule: Rule
    start: date
    due: date
    met_on: date | None = None
    stopped_on: date | None = None

    def overdue(self, today: date) -> bool:
        return self.met_on is None and today > self.due

    @property
    def open(self) -> bool:
        return self.met_on is None and self.stopped_on is None

    @property
    def summary(self) -> str:
        unit = self.rule.unit.value.replace("calendar_", "").replace("_", " ")
        return f"{self.rule.amount} {unit} from: {self.rule.starts.lower()} ({self.start.strftime('%-d %B %Y')})"


def events(facts: EpisodeFacts) -> list[ClockEvent]:
    """The episode's clock events, as the timescales engine reads them from the record."""
    K = EventKind
    episode = f"early_help:{facts.episode_id}"
    assessments = facts.assessments or (
        ((facts.assessment_start, facts.assessment_completed),) if facts.assessment_start else ()
    )
    out: list[ClockEvent] = []
    for i, (start, completed) in enumerate(assessments):
        ref = f"eh_assessment:{facts.episode_id}.{i}"
        out.append(ClockEvent(K.EH_ASSESSMENT_START, start, ref, episode))
        if completed is not None:
            out.append(ClockEvent(K.EH_ASSESSMENT_COMPLETE, completed, ref, episode))
    out += [ClockEvent(K.EH_REVIEW, held, episode) for held in facts.review_dates]
    if facts.closed_on is not None:
        out.append(ClockEvent(K.EH_CLOSED, facts.closed_on, episode))
    return out


def deadlines(facts: EpisodeFacts, calendar: WorkingDayCalendar, rules: Mapping[str, Rule] = RULES) -> list[Due]:
    """The timescales engine's early help family over one episode: an assessment clock per assessment, then a
    review chain (the local interval from the first completion, then from each review). A closed episode keeps
    its met deadlines (for timeliness) but no open clock; a clock missed before closure stays, stopped."""
    ctx = ClockContext(calendar=calendar, rules=rules)
    out = []
    for d in early_help_deadlines(events(facts), ctx):
        out.append(Due(facts.episode_id, ctx.rules[d.rule_code], _day(d.start), _day(d.due),
                       None if d.met_on is None else _day(d.met_on),
                       None if d.stopped_on is None else _day(d.stopped_on)))
    return out


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


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
