"""Writes for subject access requests: open (and assemble), mark and remove redactions, send for approval, and
approve (releasing the redacted export) or return. Each writes its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings

from safehold.audit.services import access_record, audit_record
from safehold.core import clock
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person
from safehold.subject_access import rules
from safehold.subject_access.assemble import assemble
from safehold.subject_access.choices import EXEMPTION_BY_CODE, EXEMPTIONS, ApprovalDecision, SarStatus
from safehold.subject_access.models import SarItem, SarRedaction, SubjectAccessRequest
from safehold.subject_access.redact import released_sections

EXPORT_FORMAT = "safehold-subject-access-export"
NOTE_MAX = 2000


def separate_approver_required() -> bool:
    """A second officer approves the release (the default); the LA may let the reviewing officer approve it."""
    return bool(getattr(settings, "SAFEHOLD_SAR_SEPARATE_APPROVER", True))


def _user_label(user: Any) -> str:
    if user is None:
        return ""
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


def _child_id(person: Person) -> int | None:
    return person.pk if person.is_child_record else None


def _require_status(sar: SubjectAccessRequest, status: str, message: str) -> None:
    if sar.status != status:
        raise ValidationFailed(message)


@service
def sar_open(
    *, actor: Any, person: Person, requester: str, received_on: dt.date, request_id: str = ""
) -> SubjectAccessRequest:
    """Record a request and assemble everything held about the person into items for review."""
    errors: dict[str, list[str]] = {}
    if not requester.strip():
        errors["requester"] = ["Enter who made the request"]
    elif len(requester.strip()) > 200:
        errors["requester"] = ["Who made the request must be 200 characters or fewer"]
    if received_on > clock.today():
        errors["received_on"] = ["The date the request was received must be today or in the past"]
    if errors:
        raise ValidationFailed(errors)
    sar = SubjectAccessRequest(
        person=person,
        requester=requester.strip(),
        received_on=received_on,
        due_on=rules.due_on(received_on),
        opened_by=actor,
        assembled_at=clock.now(),
    )
    sar.save()
    found = assemble(person)
    SarItem.objects.bulk_create(
        SarItem(
            sar=sar,
            position=n,
            section=i.section[:100],
            source=i.source[:100],
            title=i.title[:300],
            occurred_on=i.occurred_on,
            fields=i.fields,
        )
        for n, i in enumerate(found, start=1)
    )
    audit_record(
        actor=actor,
        action="subject_access.opened",
        instance=sar,
        child_id=_child_id(person),
        after={"received_on": received_on.isoformat(), "due_on": sar.due_on.isoformat(), "items": len(found)},
        request_id=request_id,
    )
    if person.is_child_record:
        access_record(
            actor=actor,
            kind="export",
            child_id=person.pk,
            detail=f"{sar.reference}: everything held assembled for a subject access request ({len(found)} items)",
            request_id=request_id,
        )
    return sar


@service
def sar_redact(
    *,
    actor: Any,
    sar: SubjectAccessRequest,
    item: SarItem | None,
    fields: list[str],
    text: str,
    reason: str,
    note: str = "",
    request_id: str = "",
) -> list[SarRedaction]:
    """Withhold fields of an item (``""`` in ``fields``: the whole item), or only a word or phrase in them; with no
    item, a word or phrase everywhere in the release."""
    _require_status(sar, SarStatus.IN_REVIEW, "Redactions can only be changed while the request is being reviewed")
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if item is not None and item.sar_id != sar.pk:
        raise ValidationFailed("This item belongs to another request")
    known = {f["name"] for f in item.fields} if item is not None else set()
    if item is not None:
        if not fields:
            errors["fields"] = ["Select what to redact"]
        elif any(f and f not in known for f in fields):
            errors["fields"] = ["Select only information this item holds"]
    elif not text:
        errors["text"] = ["Enter the word or phrase to redact"]
    if len(text) > 300:
        errors["text"] = ["The word or phrase must be 300 characters or fewer"]
    elif text and len(text) < 2:
        errors["text"] = ["The word or phrase must be at least 2 characters"]
    if reason not in EXEMPTION_BY_CODE:
        errors["reason"] = ["Select the reason the information is withheld"]
    if len(note) > NOTE_MAX:
        errors["note"] = [f"The note must be {NOTE_MAX} characters or fewer"]
    if errors:
        raise ValidationFailed(errors)
    made: list[SarRedaction] = []
    for name in fields if item is not None else [""]:
        SarRedaction.objects.filter(sar=sar, item=item, field=name, text=text).delete()
        redaction = SarRedaction(
            sar=sar, item=item, field=name, text=text, reason=reason, note=note.strip(), marked_by=actor
        )
        redaction.full_clean(exclude=["sar", "item", "marked_by"])
        redaction.save()
        made.append(redaction)
        audit_record(
            actor=actor,
            action="subject_access.redaction_marked",
            instance=redaction,
            child_id=_child_id(sar.person),
            after={
                "sar": sar.pk,
                "item": item.pk if item else None,
                "field": name,
                "phrase": bool(text),
                "reason": reason,
            },  # fmt: skip
            request_id=request_id,
        )
    return made


@service
def sar_redaction_remove(*, actor: Any, redaction: SarRedaction, request_id: str = "") -> None:
    sar = redaction.sar
    _require_status(sar, SarStatus.IN_REVIEW, "Redactions can only be changed while the request is being reviewed")
    audit_record(
        actor=actor,
        action="subject_access.redaction_removed",
        instance=redaction,
        child_id=_child_id(sar.person),
        before={"sar": sar.pk, "item": redaction.item_id, "field": redaction.field, "reason": redaction.reason},
        request_id=request_id,
    )
    redaction.delete()


@service
def sar_submit(
    *, actor: Any, sar: SubjectAccessRequest, expected_version: int, request_id: str = ""
) -> SubjectAccessRequest:
    """The reviewer has finished: the request waits for an officer to approve its release."""
    _require_status(sar, SarStatus.IN_REVIEW, "This request is not being reviewed")
    sar.status = SarStatus.AWAITING_APPROVAL
    sar.submitted_by = actor
    sar.submitted_at = clock.now()
    sar.save_versioned(expected_version=expected_version)
    audit_record(
        actor=actor,
        action="subject_access.submitted",
        instance=sar,
        child_id=_child_id(sar.person),
        after={"redactions": sar.redactions.count()},
        request_id=request_id,
    )
    return sar


def build_export(sar: SubjectAccessRequest, *, approved_by: Any, approved_at: dt.datetime) -> dict[str, Any]:
    """The release: every item with its redactions applied, and the exemptions relied on."""
    from safehold.subject_access.selectors import item_dicts, marks

    applied = marks(sar=sar)
    used = {m.reason for m in applied}
    person = sar.person
    return {
        "format": EXPORT_FORMAT,
        "format_version": 1,
        "reference": sar.reference,
        "subject": {
            "name": person.full_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "la_child_id": person.la_child_id,
        },
        "received_on": sar.received_on.isoformat(),
        "due_on": sar.due_on.isoformat(),
        "released_at": approved_at.isoformat(),
        "reviewed_by": _user_label(sar.submitted_by),
        "approved_by": _user_label(approved_by),
        "exemptions_applied": [
            {
                "code": e.code,
                "label": e.label,
                "source": e.source,
                "redactions": sum(m.reason == e.code for m in applied),
            }
            for e in EXEMPTIONS
            if e.code in used
        ],
        "sections": released_sections(item_dicts(sar=sar), applied),
    }


def export_bytes(export: dict[str, Any]) -> bytes:
    return json.dumps(export, indent=2, ensure_ascii=False, sort_keys=False).encode()


@service
def sar_decide(
    *,
    actor: Any,
    sar: SubjectAccessRequest,
    decision: str,
    note: str,
    expected_version: int,
    request_id: str = "",
) -> SubjectAccessRequest:
    """Approve the release (freezing the redacted export, with who approved it and when) or return it for review."""
    _require_status(sar, SarStatus.AWAITING_APPROVAL, "This request is not awaiting approval")
    errors: dict[str, list[str]] = {}
    if decision not in ApprovalDecision.values:
        errors["decision"] = ["Select whether to approve the release or return it"]
    if decision == ApprovalDecision.RETURN and not note.strip():
        errors["note"] = ["Enter why you are returning the request to the reviewer"]
    if len(note) > NOTE_MAX:
        errors["note"] = [f"The note must be {NOTE_MAX} characters or fewer"]
    if errors:
        raise ValidationFailed(errors)
    if separate_approver_required() and sar.submitted_by_id == getattr(actor, "pk", None):
        raise ValidationFailed(
            "A second officer must approve the release: you reviewed this request. Ask another data protection "
            "officer to approve it."
        )
    now = clock.now()
    if decision == ApprovalDecision.RETURN:
        sar.status = SarStatus.IN_REVIEW
        sar.returned_reason = note.strip()
        sar.save_versioned(expected_version=expected_version)
        action = "subject_access.returned"
    else:
        export = build_export(sar, approved_by=actor, approved_at=now)
        sar.status = SarStatus.RELEASED
        sar.approved_by = actor
        sar.approved_by_label = _user_label(actor)
        sar.approved_at = now
        sar.approval_note = note.strip()
        sar.export = export
        sar.export_sha256 = hashlib.sha256(export_bytes(export)).hexdigest()
        sar.save_versioned(expected_version=expected_version)
        action = "subject_access.released"
    audit_record(
        actor=actor,
        action=action,
        instance=sar,
        child_id=_child_id(sar.person),
        after={
            "status": sar.status,
            "approved_at": now.isoformat() if sar.approved_at else None,
            "export_sha256": sar.export_sha256,
        },  # fmt: skip
        reason=note.strip(),
        request_id=request_id,
    )
    return sar
