"""Administration of the working-day calendar and local standards (audited services).

These change what a working day is, or how long a local-standard clock runs, for every child at
once. They do not recalculate deadlines themselves (that is a whole-LA job): the nightly
``python manage.py timescales refresh`` (or an explicit call to
:func:`safehold.timescales.services.deadlines_refresh_all`) moves the affected due dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.timescales.domain.rules import RULES, with_local_amounts
from safehold.timescales.models import ClosureDay, LocalStandard

__all__ = ["closure_day_add", "closure_day_remove", "local_standard_set"]


@service
def closure_day_add(*, actor: Any, date: dt.date, reason: str, kind: str = ClosureDay.Kind.LA_CLOSURE) -> ClosureDay:
    """Record a council closure day or a newly proclaimed bank holiday (not a working day)."""
    if kind not in ClosureDay.Kind.values:
        raise ValidationFailed({"kind": ["Select a council closure day or a newly proclaimed bank holiday"]})
    if not reason.strip():
        raise ValidationFailed({"reason": ["Enter the reason the day is not a working day"]})
    if ClosureDay.objects.filter(date=date).exists():
        raise ValidationFailed({"date": [f"{date:%d %B %Y} is already recorded as a closure day"]})
    closure = ClosureDay(date=date, kind=kind, reason=reason.strip())
    return create_audited(closure, actor=actor, action="closure_day.added", child_id=None)


@service
def closure_day_remove(*, actor: Any, closure: ClosureDay, reason: str) -> None:
    """Withdraw a closure day recorded in error (the audit event keeps what it was)."""
    if not reason.strip():
        raise ValidationFailed({"reason": ["Enter the reason for removing the closure day"]})
    from safehold.audit.services import audit_record, snapshot

    before = snapshot(closure)
    closure.delete()
    audit_record(
        actor=actor,
        action="closure_day.removed",
        object_type="timescales.ClosureDay",
        before=before,
        reason=reason,
        child_id=None,
    )


@service
def local_standard_set(*, actor: Any, rule_code: str, amount: int, note: str = "") -> LocalStandard:
    """Set the LA's own amount for a local-standard rule (statutory rules cannot be changed)."""
    if rule_code not in RULES:
        raise ValidationFailed({"rule_code": [f"There is no timescale rule called {rule_code!r}"]})
    try:
        with_local_amounts({rule_code: amount})
    except ValueError as exc:
        raise ValidationFailed({"amount": [str(exc)]}) from exc
    existing = LocalStandard.objects.filter(rule_code=rule_code).first()
    if existing is not None:
        return update_audited(
            existing,
            actor=actor,
            action="local_standard.changed",
            child_id=None,
            changes={"amount": amount, "note": note},
        )
    standard = LocalStandard(rule_code=rule_code, amount=amount, note=note)
    return create_audited(standard, actor=actor, action="local_standard.set", child_id=None)
