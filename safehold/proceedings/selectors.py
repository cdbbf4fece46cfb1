"""Reads about a child's pre-proceedings and care proceedings, with the PLO deadline as the engine holds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import Http404

from safehold.core import clock
from safehold.people.models import Person
from safehold.proceedings.models import PreProceedings, PreProceedingsMeeting, Proceedings
from safehold.timescales.domain.rules import RULES, Rule


@dataclass
class PLODeadline:
    """The 26-week timetable of one set of proceedings, from the stored deadline (CA89 s.32)."""

    rule: Rule
    issued_on: dt.date
    statutory_limit: dt.date
    due_date: dt.date | None
    state: str
    extended: bool

    @property
    def source(self) -> str:
        return f"{self.rule.source.document}, {self.rule.source.reference}"

    @property
    def status(self) -> str:
        return self.rule.source.status

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def week(self) -> int:
        """Which week of the timetable today falls in (week 1 begins with the day of issue)."""
        return (clock.today() - self.issued_on).days // 7 + 1


@dataclass
class CaseSummary:
    child: Person
    pre_proceedings: PreProceedings | None = None
    meetings: list[PreProceedingsMeeting] = field(default_factory=list)
    next_review_on: dt.date | None = None
    proceedings: Proceedings | None = None
    deadline: PLODeadline | None = None
    history: list[Proceedings] = field(default_factory=list)

    @property
    def can_start_pre_proceedings(self) -> bool:
        open_pp = self.pre_proceedings is not None and self.pre_proceedings.is_open
        return not open_pp and not (self.proceedings and self.proceedings.is_open)

    @property
    def can_apply(self) -> bool:
        return not (self.proceedings and self.proceedings.is_open)


def plo_deadline(*, proceedings: Proceedings) -> PLODeadline:
    from safehold.proceedings.services import statutory_limit
    from safehold.timescales.models import Deadline

    row = (
        Deadline.objects.filter(
            child_id=proceedings.child_id,
            rule_code="plo_proceedings",
            start_ref__startswith=f"proceedings:{proceedings.pk}@",
        )
        .values_list("due_date", "state")
        .first()
    )
    limit = statutory_limit(proceedings)
    due, state = row if row else (None, "")
    return PLODeadline(
        rule=RULES["plo_proceedings"],
        issued_on=proceedings.issued_on,
        statutory_limit=limit,
        due_date=due,
        state=state,
        extended=due is not None and due > limit,
    )


def case_for(*, child: Person) -> CaseSummary:
    summary = CaseSummary(child=child)
    summary.pre_proceedings = PreProceedings.objects.filter(child=child).order_by("-started_on", "-pk").first()
    if summary.pre_proceedings is not None:
        summary.meetings = list(summary.pre_proceedings.meetings.all())
        reviews = [m.next_review_on for m in summary.meetings if m.next_review_on]
        summary.next_review_on = reviews[-1] if reviews else None
    all_proceedings = list(
        Proceedings.objects.filter(child=child).order_by("-issued_on", "-pk").prefetch_related("hearings", "extensions")
    )
    if all_proceedings:
        summary.proceedings = all_proceedings[0]
        summary.history = all_proceedings[1:]
        summary.deadline = plo_deadline(proceedings=summary.proceedings)
    return summary


def pre_proceedings_for(*, child: Person, pk: int) -> PreProceedings:
    pp = PreProceedings.objects.filter(child=child, pk=pk).first()
    if pp is None:
        raise Http404("No such pre-proceedings")
    return pp


def proceedings_for(*, child: Person, pk: int) -> Proceedings:
    proceedings = Proceedings.objects.filter(child=child, pk=pk).first()
    if proceedings is None:
        raise Http404("No such proceedings")
    return proceedings
