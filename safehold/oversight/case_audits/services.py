"""Writes about case audits. Each is atomic and writes its audit event (``AuditEvent``) in the same transaction.

Samples are drawn with :mod:`safehold.inspection.sampling` (the same themes and the same reproducible draw as
inspection samples): the month keeps its theme, seed, size and the date it was drawn, so the draw can be
repeated and checked.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.inspection import sampling
from safehold.inspection.models import SampleTheme
from safehold.oversight.case_audits.domains import domains
from safehold.oversight.case_audits.selectors import allocation_of
from safehold.oversight.choices import AD_HOC_THEME, REAUDIT_THEME, Grade, Moderation
from safehold.oversight.models import (
    AuditAction,
    AuditDomainGrade,
    AuditMonth,
    AuditProgramme,
    AuditSampleChild,
    CaseAudit,
)
from safehold.people.models import Person
from safehold.workforce.models import StaffMember

MAX_SAMPLE = 50


def _not_future(value: dt.date, field: str, label: str) -> None:
    if value > clock.today():
        raise ValidationFailed({field: [f"{label} must be today or in the past"]})


@service
def audit_programme_create(*, actor: Any, title: str, request_id: str = "") -> AuditProgramme:
    if not title.strip():
        raise ValidationFailed({"title": ["Enter a name for the programme"]})
    programme = AuditProgramme(title=title.strip(), created_by=actor, created_on=clock.today())
    return create_audited(
        programme, actor=actor, action="audit_programme.created", child_id=None, request_id=request_id
    )


@service
def audit_month_add(
    *,
    actor: Any,
    programme: AuditProgramme,
    month: dt.date,
    theme: str,
    sample_size: int,
    seed: int | None = None,
    request_id: str = "",
) -> AuditMonth:
    """Give a month of the programme its theme and sample size (the seed is chosen at random unless given)."""
    errors: dict[str, list[str]] = {}
    if theme not in SampleTheme.values:
        errors["theme"] = ["Select the theme of the month's audits"]
    if not 1 <= sample_size <= MAX_SAMPLE:
        errors["sample_size"] = [f"The sample size must be between 1 and {MAX_SAMPLE}"]
    if seed is not None and not 0 <= seed < 2**62:
        errors["seed"] = ["The seed must be a whole number from 0 upwards"]
    first = month.replace(day=1)
    if AuditMonth.objects.filter(programme=programme, month=first).exists():
        errors["month"] = [f"{first:%B %Y} already has a theme in this programme"]
    if errors:
        raise ValidationFailed(errors)
    row = AuditMonth(
        programme=programme,
        month=first,
        theme=theme,
        sample_size=sample_size,
        seed=seed if seed is not None else secrets.randbelow(2**31),
    )
    return create_audited(row, actor=actor, action="audit_month.added", child_id=None, request_id=request_id)


@service
def audit_month_draw(
    *, actor: Any, month: AuditMonth, as_of: dt.date | None = None, request_id: str = ""
) -> AuditMonth:
    """Draw the month's sample: the theme's children on ``as_of`` that the person drawing may see, then
    ``sampling.draw`` with the month's seed. Drawn once; the same theme, date, seed and record draw the same."""
    if month.drawn_on is not None:
        raise ValidationFailed(f"The sample for {month.month:%B %Y} was drawn on {month.drawn_on:%-d %B %Y}")
    as_of = as_of or clock.today()
    _not_future(as_of, "as_of", "The date of the draw")
    pool = sampling.candidates(user=actor, theme=month.theme, as_of=as_of)
    chosen = sampling.draw(pool, size=month.sample_size, seed=month.seed)
    for position, child_id in enumerate(chosen, start=1):
        create_audited(
            AuditSampleChild(month=month, child_id=child_id, position=position),
            actor=actor,
            action="audit_month.sampled",
            child_id=child_id,
            request_id=request_id,
        )
    return update_audited(
        month,
        actor=actor,
        action="audit_month.drawn",
        child_id=None,
        changes={"drawn_on": as_of, "drawn_by": actor, "population": len(pool)},
        request_id=request_id,
    )


def _grade_errors(grades: dict[str, str], overall: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for d in domains():
        if grades.get(d.code) not in Grade.values:
            errors[f"grade_{d.code}"] = [f"Select a grade for {d.title[:1].lower()}{d.title[1:]}"]
    unknown = set(grades) - {d.code for d in domains()}
    if unknown:
        errors["__all__"] = [f"Unknown audit domain: {', '.join(sorted(unknown))}"]
    if overall not in Grade.values:
        errors["grade"] = ["Select the overall grade"]
    return errors


def _action_errors(
    action: str, owner: StaffMember | None, due: dt.date | None, audited_on: dt.date, allowed: set[int]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not action.strip():
        return errors
    if owner is None or due is None:
        errors["action_due"] = ["Give the action an owner and a due date"]
    elif owner.pk not in allowed:
        errors["action_owner"] = ["An action goes back to the child's social worker or their manager"]
    if due is not None and due < audited_on:
        errors.setdefault("action_due", []).append("The action cannot be due before the audit")
    return errors


@service
def case_audit_record(
    *,
    actor: Any,
    auditor: StaffMember,
    child: Person,
    audited_on: dt.date,
    grades: dict[str, str],
    findings: str,
    grade: str,
    comments: dict[str, str] | None = None,
    month: AuditMonth | None = None,
    reaudit_of: CaseAudit | None = None,
    action: str = "",
    action_owner: StaffMember | None = None,
    action_due: dt.date | None = None,
    request_id: str = "",
) -> CaseAudit:
    """An auditor's audit of one child: every domain graded, findings, an overall grade, and optionally an
    action back to the worker or manager. For a month's sample, the child must be in it (and not yet audited
    for it); a re-audit names the audit it follows up."""
    errors = _grade_errors(grades, grade)
    if not findings.strip():
        errors["findings"] = ["Enter the audit's findings"]
    team, worker, manager = allocation_of(child=child)
    allowed = {s.pk for s in (worker, manager) if s is not None}
    errors.update(_action_errors(action, action_owner, action_due, audited_on, allowed))
    if errors:
        raise ValidationFailed(errors)
    _not_future(audited_on, "audited_on", "The date of the audit")
    if month is not None and reaudit_of is not None:
        raise ValidationFailed("An audit is either part of a month's sample or a re-audit, not both")
    if month is not None:
        if not month.sample.filter(child=child).exists():
            raise ValidationFailed({"child": ["This child is not in the month's sample"]})
        if month.audits.filter(child=child).exists():
            raise ValidationFailed({"child": ["This child has already been audited for this month"]})
        theme = month.theme
    elif reaudit_of is not None:
        if reaudit_of.child_id != child.pk:
            raise ValidationFailed("A re-audit must be of the same child")
        if audited_on < reaudit_of.audited_on:
            raise ValidationFailed({"audited_on": ["A re-audit cannot be before the audit it follows up"]})
        theme = REAUDIT_THEME
    else:
        theme = AD_HOC_THEME
    audit = CaseAudit(
        child=child,
        month=month,
        theme=theme,
        reaudit_of=reaudit_of,
        auditor=auditor,
        audited_on=audited_on,
        team=team,
        worker=worker,
        manager=manager,
        findings=findings.strip(),
        grade=grade,
    )
    create_audited(audit, actor=actor, action="case_audit.recorded", child_id=child.pk, request_id=request_id)
    for d in domains():
        create_audited(
            AuditDomainGrade(
                audit=audit, domain=d.code, grade=grades[d.code], comment=(comments or {}).get(d.code, "").strip()
            ),
            actor=actor,
            action="case_audit.domain_graded",
            child_id=child.pk,
            request_id=request_id,
        )
    if action.strip():
        assert action_owner is not None and action_due is not None
        create_audited(
            AuditAction(audit=audit, child=child, owner=action_owner, description=action.strip(), due_date=action_due),
            actor=actor,
            action="case_audit.action_set",
            child_id=child.pk,
            request_id=request_id,
        )
    return audit


@service
def case_audit_moderate(
    *,
    actor: Any,
    audit: CaseAudit,
    moderator: StaffMember,
    outcome: str,
    moderated_on: dt.date,
    grade: str = "",
    reason: str = "",
    request_id: str = "",
) -> CaseAudit:
    """A second auditor agrees with the grade, or regrades it with a reason. The auditor cannot moderate their
    own audit, and an audit is moderated once."""
    if moderator.pk == audit.auditor_id:
        raise ValidationFailed(
            {"moderator": ["You cannot moderate your own audit: ask another auditor to moderate it"]}
        )
    if audit.moderated_on is not None:
        raise ValidationFailed(f"This audit was moderated on {audit.moderated_on:%-d %B %Y}")
    errors: dict[str, list[str]] = {}
    if outcome not in Moderation.values:
        errors["outcome"] = ["Select whether you agree with the grade or regrade it"]
    if outcome == Moderation.REGRADED:
        if grade not in Grade.values:
            errors["grade"] = ["Select the moderated grade"]
        elif grade == audit.grade:
            errors["grade"] = ["The moderated grade is the auditor's grade: select a different grade, or agree"]
        if not reason.strip():
            errors["reason"] = ["Enter why you regraded the audit"]
    if errors:
        raise ValidationFailed(errors)
    _not_future(moderated_on, "moderated_on", "The date of the moderation")
    if moderated_on < audit.audited_on:
        raise ValidationFailed({"moderated_on": ["The moderation cannot be before the audit"]})
    changes = {
        "moderator": moderator,
        "moderated_on": moderated_on,
        "moderation": outcome,
        "moderated_grade": grade if outcome == Moderation.REGRADED else "",
        "moderation_reason": reason.strip(),
    }
    return update_audited(
        audit,
        actor=actor,
        action=f"case_audit.moderated_{outcome}",
        child_id=audit.child_id,
        changes=changes,
        reason=reason.strip(),
        request_id=request_id,
    )


@service
def audit_action_add(
    *,
    actor: Any,
    audit: CaseAudit,
    owner: StaffMember | None,
    description: str,
    due_date: dt.date | None,
    request_id: str = "",
) -> AuditAction:
    """An action from the audit back to the child's worker or manager (as they were when audited)."""
    allowed = {s for s in (audit.worker_id, audit.manager_id) if s is not None}
    if not allowed:
        raise ValidationFailed("The child had no allocated worker or manager when audited: nobody to give an action to")
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["action"] = ["Enter the action"]
    if owner is None:
        errors["action_owner"] = ["Select who owns the action"]
    elif owner.pk not in allowed:
        errors["action_owner"] = ["An action goes back to the child's social worker or their manager"]
    if due_date is None:
        errors["action_due"] = ["Enter the date the action is due"]
    elif due_date < audit.audited_on:
        errors["action_due"] = ["The action cannot be due before the audit"]
    if errors:
        raise ValidationFailed(errors)
    assert owner is not None and due_date is not None
    row = AuditAction(
        audit=audit, child_id=audit.child_id, owner=owner, description=description.strip(), due_date=due_date
    )
    return create_audited(
        row, actor=actor, action="case_audit.action_set", child_id=audit.child_id, request_id=request_id
    )


@service
def audit_action_complete(
    *, actor: Any, action: AuditAction, completed_on: dt.date, request_id: str = ""
) -> AuditAction:
    if action.completed_on is not None:
        raise ValidationFailed("This action is already complete")
    _not_future(completed_on, "completed_on", "The date the action was completed")
    if completed_on < action.audit.audited_on:
        raise ValidationFailed({"completed_on": ["The action cannot be completed before the audit"]})
    return update_audited(
        action,
        actor=actor,
        action="case_audit.action_completed",
        child_id=action.child_id,
        changes={"completed_on": completed_on},
        request_id=request_id,
    )
