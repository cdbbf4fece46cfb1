"""Writes for retention. Each is atomic and audited in the same transaction.

* :func:`schedule_ensure` / :func:`rule_update` — the schedule (an administrator edits it; statutory periods can
  be lengthened, never shortened below the statute).
* :func:`hold_place` / :func:`hold_release` — legal holds on a child's record.
* :func:`review_run` — the nightly review: lists records due for disposal (idempotent).
* :func:`review_decide` — the data protection officer approves (which disposes) or defers a listed record.
* :func:`disposal_execute` — the disposal itself; refuses anything not approved by the data protection officer,
  anything under a legal hold and anything no longer due.

Disposal writes through the same service path as every other write (the write guard is not bypassed). Its one
documented difference: the audit event it records carries counts, not before/after snapshots — a snapshot of
the values being disposed of would copy them into the append-only audit trail. Audit events and field history
already recorded are kept as rows (who did what when), with the disposed values redacted through the one narrow,
permit-based path in ``redaction.py`` (docs/adr/0005-redaction-on-disposal.md); access events are kept as they are.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction

from safehold.accounts.roles import Role
from safehold.audit.models import AuditEvent
from safehold.audit.services import audit_record, snapshot
from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import AccessDenied, ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person
from safehold.retention import disposal, redaction, selectors
from safehold.retention.choices import Decision, ItemStatus
from safehold.retention.domain import DEFAULT_RULES, Basis, Due, anniversary
from safehold.retention.models import DisposalLogEntry, LegalHold, RetentionRule, ReviewDecision, ReviewItem

REASON_MAX = 2000
MAX_DEFER_YEARS = 25
#: Letters and digits only, so the reference is also a valid LA child id (it replaces the disposed one).
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _label(actor: Any) -> tuple[int | None, str]:
    """The actor's id and a readable label, as the audit trail writes them."""
    name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return actor.pk, f"{name or actor.get_username()} ({actor.get_username()})"


def _require_role(actor: Any, *roles: str, what: str) -> None:
    if getattr(actor, "role", None) not in roles or not getattr(actor, "is_active", False):
        raise AccessDenied(f"Only the {what} can do this")


def _reason(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed({field: [message]})
    if len(value) > REASON_MAX:
        raise ValidationFailed({field: [f"The reason must be {REASON_MAX} characters or fewer"]})
    return value


# --- The schedule ------------------------------------------------------------------------------------------


@service
def schedule_ensure(*, actor: Any = None) -> int:
    """Create the default rule for any record type the schedule lacks (install, or a new type). Idempotent."""
    have = set(RetentionRule.objects.values_list("record_type", flat=True))
    created = 0
    for spec in DEFAULT_RULES:
        if spec.record_type.value in have:
            continue
        create_audited(
            RetentionRule(
                record_type=spec.record_type.value,
                basis=spec.basis.value,
                years=spec.years,
                death_years=spec.death_years,
                statutory=spec.statutory,
                minimum_years=spec.minimum_years,
                minimum_death_years=spec.minimum_death_years,
                source=spec.source,
            ),
            actor=actor,
            action="retention.rule_created",
            child_id=None,
            reason="Default retention schedule",
        )
        created += 1
    return created


@service
def rule_update(
    *,
    actor: Any,
    rule: RetentionRule,
    expected_version: int,
    basis: str,
    years: int,
    death_years: int | None,
    source: str,
    reason: str,
    request_id: str = "",
) -> RetentionRule:
    """An administrator changes a rule. Statutory rules keep their basis and may not go below the statute."""
    _require_role(actor, Role.SYSTEM_ADMINISTRATOR, what="system administrator")
    reason = _reason(reason, "reason", "Enter the reason for the change")
    errors: dict[str, list[str]] = {}
    if basis not in {b.value for b in Basis}:
        errors["basis"] = ["Select what the period is measured from"]
    if not 1 <= years <= 150:
        errors["years"] = ["The number of years must be between 1 and 150"]
    if death_years is not None and not 1 <= death_years <= 150:
        errors["death_years"] = ["The number of years after death must be between 1 and 150"]
    if death_years is not None and basis != Basis.BIRTHDAY:
        errors["death_years"] = ["A period after death applies only to a rule measured to a birthday"]
    if not (source or "").strip():
        errors["source"] = ["Enter the source of this period: the regulation, or your local policy"]
    if rule.statutory:
        if basis != rule.basis:
            errors["basis"] = ["A statutory period is measured as the regulation says; this cannot change"]
        if rule.minimum_years is not None and years < rule.minimum_years:
            errors["years"] = [f"The statutory period is {rule.minimum_years} years; it cannot be shortened"]
        if rule.minimum_death_years is not None and (death_years is None or death_years < rule.minimum_death_years):
            errors["death_years"] = [
                f"The statutory period after death is {rule.minimum_death_years} years; it cannot be shortened"
            ]
    if errors:
        raise ValidationFailed(errors)
    return update_audited(
        rule,
        actor=actor,
        action="retention.rule_changed",
        child_id=None,
        changes={"basis": basis, "years": years, "death_years": death_years, "source": source.strip()},
        expected_version=expected_version,
        reason=reason,
        request_id=request_id,
    )


# --- Legal holds -------------------------------------------------------------------------------------------


def _withdraw_open_items(person: Person, why: str, actor: Any, request_id: str = "") -> int:
    n = 0
    for item in ReviewItem.objects.select_for_update().filter(
        person=person, status__in=(ItemStatus.PROPOSED, ItemStatus.DEFERRED)
    ):
        update_audited(
            item,
            actor=actor,
            action="retention.item_withdrawn",
            child_id=person.pk,
            changes={"status": ItemStatus.WITHDRAWN, "withdrawn_reason": why},
            reason=why,
            request_id=request_id,
        )
        n += 1
    return n


@service
def hold_place(*, actor: Any, person: Person, reason: str, request_id: str = "") -> LegalHold:
    """Place a legal hold on a child's record; any proposal to dispose of it is withdrawn."""
    _require_role(actor, Role.DATA_PROTECTION_OFFICER, what="data protection officer")
    reason = _reason(reason, "reason", "Enter the reason for the legal hold")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.is_child_record or person.merged_into_id is not None:
        raise ValidationFailed({"la_child_id": ["No child's record has this LA child id"]})
    if DisposalLogEntry.objects.filter(subject_id=person.pk).exists():
        raise ValidationFailed({"la_child_id": ["This record has already been disposed of"]})
    _, label = _label(actor)
    hold = create_audited(
        LegalHold(person=person, reason=reason, placed_by=actor, placed_by_label=label, placed_at=clock.now()),
        actor=actor,
        action="retention.hold_placed",
        child_id=person.pk,
        reason=reason,
        request_id=request_id,
    )
    _withdraw_open_items(person, "A legal hold was placed", actor, request_id)
    return hold


@service
def hold_release(*, actor: Any, hold: LegalHold, reason: str, expected_version: int, request_id: str = "") -> LegalHold:
    _require_role(actor, Role.DATA_PROTECTION_OFFICER, what="data protection officer")
    reason = _reason(reason, "release_reason", "Enter the reason the legal hold is released")
    if hold.released_at is not None:
        raise ValidationFailed("This legal hold has already been released")
    _, label = _label(actor)
    return update_audited(
        hold,
        actor=actor,
        action="retention.hold_released",
        child_id=hold.person_id,
        changes={
            "released_at": clock.now(),
            "released_by": actor,
            "released_by_label": label,
            "release_reason": reason,
        },
        expected_version=expected_version,
        reason=reason,
        request_id=request_id,
    )


# --- The nightly review ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewResult:
    children: int
    due: int
    added: int
    already_listed: int
    reproposed: int
    withdrawn: int
    held: int
    undatable: int
    open_records: int

    def lines(self) -> list[str]:
        return [
            f"Children's records reviewed: {self.children}",
            f"Due for disposal: {self.due} ({self.added} added to the review list, {self.already_listed} already "
            f"listed, {self.reproposed} returned from deferral)",
            f"Withdrawn from the list (no longer due, or deferral ended with the record no longer due): "
            f"{self.withdrawn}",
            f"Due but under a legal hold (not listed): {self.held}",
            f"Still open (not yet due): {self.open_records}",
            f"Cannot be dated (e.g. no date of birth; never listed): {self.undatable}",
        ]


def _item_values(due: Due, rule: RetentionRule) -> dict[str, Any]:
    return {
        "due_on": due.due_on,
        "record_type": due.record_type.value,
        "rule_id": rule.pk,
        "rule_version": rule.version,
        "rule_summary": due.rule.describe()[:300],
    }


BATCH = 1000


def _propose(items: list[ReviewItem], actor: Any) -> None:
    """Insert new review items and one audit event each, in batches (a first run may list a large backlog)."""
    actor_id, actor_label = _label(actor) if actor is not None else (None, "system")
    for start in range(0, len(items), BATCH):
        created = ReviewItem.objects.bulk_create(items[start : start + BATCH])
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor_id=actor_id,
                actor_label=actor_label,
                action="retention.item_proposed",
                object_type=ReviewItem._meta.label,
                object_id=str(item.pk),
                child_id=item.person_id,
                after=snapshot(item),
                reason="Nightly retention review",
            )
            for item in created
        )


@service
def review_run(*, actor: Any = None, today: dt.date | None = None) -> ReviewResult:
    """List every record due for disposal for the data protection officer's decision. Idempotent.

    A listed record no longer due (the schedule was lengthened, the record reopened) is withdrawn; a deferred
    record whose deferral has ended comes back for a decision if it is still due.
    """
    today = today or clock.today()
    schedule_ensure(actor=actor)
    rules = {r.record_type: r for r in RetentionRule.objects.all()}
    found = selectors.scan(today=today)
    already = reproposed = withdrawn = 0
    listed: set[int] = set()
    for item in ReviewItem.objects.select_for_update().filter(status__in=(ItemStatus.PROPOSED, ItemStatus.DEFERRED)):
        listed.add(item.person_id)
        due = found.due.get(item.person_id)
        if item.status == ItemStatus.DEFERRED and item.defer_until is not None and item.defer_until > today:
            continue
        if due is None:
            why = "No longer due under the current schedule"
            update_audited(
                item, actor=actor, action="retention.item_withdrawn", child_id=item.person_id,
                changes={"status": ItemStatus.WITHDRAWN, "withdrawn_reason": why}, reason=why,
            )  # fmt: skip
            withdrawn += 1
            continue
        changes = _item_values(due, rules[due.record_type.value])
        if item.status == ItemStatus.DEFERRED:
            changes.update(status=ItemStatus.PROPOSED, defer_until=None)
            reproposed += 1
        else:
            already += 1
        if any(getattr(item, k) != v for k, v in changes.items()):
            update_audited(
                item, actor=actor, action="retention.item_updated", child_id=item.person_id, changes=changes,
                reason="Nightly retention review",
            )  # fmt: skip
    new = [
        ReviewItem(person_id=person_id, proposed_on=today, **_item_values(due, rules[due.record_type.value]))
        for person_id, due in sorted(found.due.items())
        if person_id not in listed
    ]
    _propose(new, actor)
    return ReviewResult(
        children=found.children,
        due=len(found.due),
        added=len(new),
        already_listed=already,
        reproposed=reproposed,
        withdrawn=withdrawn,
        held=len(found.held),
        undatable=found.undatable,
        open_records=found.open_records,
    )


# --- Decisions and disposal --------------------------------------------------------------------------------


def _locked_item(item: ReviewItem, expected_version: int | None) -> ReviewItem:
    locked = ReviewItem.objects.select_for_update().select_related("person").get(pk=item.pk)
    if expected_version is not None and locked.version != expected_version:
        from safehold.core.exceptions import ConcurrentEditError

        raise ConcurrentEditError("review item")
    return locked


@service
def review_decide(
    *,
    actor: Any,
    item: ReviewItem,
    decision: str,
    reason: str,
    defer_until: dt.date | None = None,
    expected_version: int | None = None,
    request_id: str = "",
) -> ReviewItem:
    """The data protection officer's decision on a listed record: approve (the record is disposed of now, in
    the same transaction) or defer to a later date. A reason is always required."""
    _require_role(actor, Role.DATA_PROTECTION_OFFICER, what="data protection officer")
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = ["Select whether to approve the disposal or defer it"]
    if not (reason or "").strip():
        errors["reason"] = ["Enter the reason for your decision"]
    elif len(reason.strip()) > REASON_MAX:
        errors["reason"] = [f"The reason must be {REASON_MAX} characters or fewer"]
    today = clock.today()
    if decision == Decision.DEFER:
        if defer_until is None:
            errors["defer_until"] = ["Enter the date to review the record again"]
        elif defer_until <= today:
            errors["defer_until"] = ["The date to review the record again must be in the future"]
        elif defer_until > anniversary(today, MAX_DEFER_YEARS):
            errors["defer_until"] = [f"The date to review the record again must be within {MAX_DEFER_YEARS} years"]
    if errors:
        raise ValidationFailed(errors)
    item = _locked_item(item, expected_version)
    if item.status != ItemStatus.PROPOSED:
        raise ValidationFailed(f"This record is no longer awaiting a decision ({item.get_status_display().lower()})")
    _, label = _label(actor)
    reason = reason.strip()
    create_audited(
        ReviewDecision(
            item=item,
            decision=decision,
            reason=reason,
            defer_until=defer_until if decision == Decision.DEFER else None,
            decided_by=actor,
            decided_by_label=label,
            decided_at=clock.now(),
        ),
        actor=actor,
        action=f"retention.{decision}",
        child_id=item.person_id,
        reason=reason,
        request_id=request_id,
    )
    if decision == Decision.DEFER:
        return update_audited(
            item, actor=actor, action="retention.item_deferred", child_id=item.person_id,
            changes={"status": ItemStatus.DEFERRED, "defer_until": defer_until}, reason=reason, request_id=request_id,
        )  # fmt: skip
    item = update_audited(
        item, actor=actor, action="retention.item_approved", child_id=item.person_id,
        changes={"status": ItemStatus.APPROVED}, reason=reason, request_id=request_id,
    )  # fmt: skip
    disposal_execute(actor=actor, item=item, request_id=request_id)
    item.refresh_from_db()
    return item


def _new_reference() -> str:
    while True:
        ref = "DSP" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(9))
        if not (
            DisposalLogEntry.objects.filter(reference=ref).exists() or Person.objects.filter(la_child_id=ref).exists()
        ):
            return ref


@service
def disposal_execute(*, actor: Any, item: ReviewItem, request_id: str = "") -> DisposalLogEntry:
    """Dispose of an approved record: remove its personal data, keep what the returns count, log it.

    Refused unless the item was approved by the data protection officer, and — checked again now, whatever
    the list said — the record is not under a legal hold and is still due under the current schedule.
    """
    _require_role(actor, Role.DATA_PROTECTION_OFFICER, what="data protection officer")
    item = _locked_item(item, None)
    approval = item.decisions.filter(decision=Decision.APPROVE).select_related("decided_by").last()
    if item.status != ItemStatus.APPROVED or approval is None:
        raise ValidationFailed("This record has not been approved for disposal")
    if getattr(approval.decided_by, "role", None) != Role.DATA_PROTECTION_OFFICER:
        raise ValidationFailed("Disposal must be approved by the data protection officer")
    person = Person.objects.select_for_update().get(pk=item.person_id)
    if selectors.active_holds(person.pk):
        raise ValidationFailed("This record is under a legal hold and cannot be disposed of")
    if DisposalLogEntry.objects.filter(subject_id=person.pk).exists():
        raise ValidationFailed("This record has already been disposed of")
    due = selectors.due_now(person.pk)
    if due is None:
        raise ValidationFailed("This record is no longer due for disposal under the current schedule")
    rule = RetentionRule.objects.get(record_type=due.record_type.value)

    reference = _new_reference()
    gone = selectors.disposed_ids()
    merged = disposal.merged_into({person.pk})
    subjects = {person.pk} | merged
    linked = disposal.people_linked(subjects)
    households = disposal.households_of(subjects | linked)
    files = disposal.document_paths(subjects)
    families = disposal.family_episodes_fully_disposed(subjects, gone)

    touched: dict[str, set[int]] = {}
    rows = disposal.apply_treatments(subjects, families, touched)
    rows["people.Person"] = disposal.scrub_people(subject_id=person.pk, merged_ids=merged, reference=reference)
    adults = disposal.orphaned_adults(linked, subjects | gone)
    rows.update(disposal.scrub_adults(adults, reference, touched))
    renamed = disposal.rename_empty_households(households, touched)
    if renamed:
        rows["people.Household"] = renamed
    # The trails: audit snapshots and field history of what was just disposed of (docs/adr/0005).
    rows.update(
        redaction.redact(
            reference=reference, child_ids=subjects, person_ids=subjects | touched.get("people.Person", set()),
            touched=touched,
        )
    )  # fmt: skip

    approver_id, approver_label = _label(approval.decided_by)
    entry = DisposalLogEntry(
        reference=reference,
        subject_id=person.pk,
        record_type=due.record_type.value,
        rule_basis=rule.basis,
        rule_years=rule.years,
        rule_death_years=rule.death_years,
        rule_statutory=rule.statutory,
        rule_version=rule.version,
        rule_summary=due.rule.describe()[:300],
        rule_source=rule.source,
        due_on=due.due_on,
        approved_by_id=approver_id or 0,
        approved_by_label=approver_label,
        approved_at=approval.decided_at,
        disposed_at=clock.now(),
        rows=dict(sorted(rows.items())),
        files_deleted=len(files),
        audit_events_retained=AuditEvent.objects.filter(child_id__in=subjects).count(),
    )
    entry.save()
    update_audited(
        item, actor=actor, action="retention.item_disposed", child_id=person.pk,
        changes={"status": ItemStatus.DISPOSED, "disposal": entry}, reason="Disposed of", request_id=request_id,
    )  # fmt: skip
    # The audit event names the disposal and counts what changed; it copies none of the disposed values.
    audit_record(
        actor=actor,
        action="retention.disposed",
        object_type="people.Person",
        object_id=str(person.pk),
        child_id=person.pk,
        after={"reference": reference, "record_type": due.record_type.value, "rows": entry.rows,
               "files_deleted": len(files)},
        reason=f"Retention: {due.rule.describe()}",
        request_id=request_id,
    )  # fmt: skip
    transaction.on_commit(partial(disposal.delete_files, files))
    return entry
