"""Writes for inspection readiness. Each is a service: atomic, validated, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from typing import Any

from safehold.accounts.roles import Role
from safehold.audit.services import access_record_many, audit_record
from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import SafeholdError, ValidationFailed
from safehold.core.services import service
from safehold.inspection import sampling
from safehold.inspection.annex_a import selectors as annex_selectors
from safehold.inspection.annex_a import writer
from safehold.inspection.annex_a.domain import AnnexA
from safehold.inspection.indicators import INDICATORS
from safehold.inspection.models import (
    JUDGED_KINDS,
    AnnexAExport,
    CaseSample,
    CaseSampleMember,
    CaseSampleShare,
    ImprovementAction,
    ImprovementEvidence,
    Inspection,
    InspectionFinding,
    SampleTheme,
)
from safehold.people.models import AccessGrant

logger = logging.getLogger(__name__)

#: Inspections from this date give no overall effectiveness judgement.
NO_OVERALL_JUDGEMENT_FROM = dt.date(2026, 4, 1)
MAX_SHARE_DAYS = 90
MAX_SAMPLE = 200

# --- Annex A ------------------------------------------------------------------------------------------------


@service
def annex_a_export_logged(*, actor: Any, annex: AnnexA, path: str, request_id: str = "") -> int:
    """Record an export of Annex A: one access-log row per child it names."""
    ids = sorted(annex.child_ids)
    access_record_many(actor=actor, kind="export", child_ids=ids, path=path, request_id=request_id)
    return len(ids)


#: Steps of an Annex A job: reading the record, the eleven lists, the workbook, the CSV files.
ANNEX_A_STEPS = 14
ANNEX_A_SYSTEM = "background task (Annex A)"
ANNEX_A_FAILED = "Something went wrong while generating Annex A. The error has been logged"


def _export_snapshot(export: AnnexAExport) -> dict[str, Any]:
    """What the audit trail keeps of an export: never the files or the list of children."""
    return {
        "as_of": export.as_of.isoformat(),
        "status": export.status,
        "progress": f"{export.progress_done}/{export.progress_total}",
        "rows": export.row_counts,
        "seconds": export.seconds,
        "error": export.error,
    }


@service
def annex_a_export_request(*, actor: Any, as_of: dt.date, request_id: str = "") -> AnnexAExport:
    """Record a request for Annex A and enqueue the task that generates it (in the same transaction)."""
    if as_of > clock.today():
        raise ValidationFailed({"as_of": ["The inspection date cannot be in the future"]})
    if as_of < dt.date(2000, 1, 1):
        raise ValidationFailed({"as_of": ["Enter an inspection date from 2000 onwards"]})
    export = AnnexAExport(
        as_of=as_of,
        requested_by=actor,
        progress_total=ANNEX_A_STEPS,
        progress_label="Waiting for the background worker",
    )
    create_audited(export, actor=actor, action="annex_a.requested", child_id=None, request_id=request_id)
    from safehold.inspection.tasks import generate_annex_a

    result = generate_annex_a.enqueue(export.pk)
    export.task_id = str(result.id)
    export.save(update_fields=["task_id", "updated_at"])
    return export


@service
def annex_a_export_start(*, export: AnnexAExport) -> AnnexAExport:
    export = AnnexAExport.objects.select_for_update().get(pk=export.pk)
    if export.status != AnnexAExport.Status.PENDING:
        raise ValidationFailed("This export has already started")
    export.status = AnnexAExport.Status.RUNNING
    export.started_at = clock.now()
    export.progress_done, export.progress_total, export.progress_label = 0, ANNEX_A_STEPS, "Reading the record"
    export.save()
    audit_record(actor=ANNEX_A_SYSTEM, action="annex_a.started", instance=export, after=_export_snapshot(export))
    return export


@service
def annex_a_export_progress(*, export: AnnexAExport, done: int, label: str) -> None:
    """Record how far the export has got (not audited: the start and the outcome are)."""
    export.progress_done, export.progress_label = done, label[:120]
    export.save(update_fields=["progress_done", "progress_label", "updated_at"])


@service
def annex_a_export_finish(
    *, export: AnnexAExport, annex: AnnexA, workbook: bytes, csv_zip: bytes, seconds: float
) -> AnnexAExport:
    export.workbook = workbook
    export.csv_zip = csv_zip
    export.row_counts = {str(lst.number): len(lst.rows) for lst in annex.lists}
    export.child_ids = sorted(annex.child_ids)
    export.status = AnnexAExport.Status.READY
    export.progress_done, export.progress_label = ANNEX_A_STEPS, "Done"
    export.finished_at = clock.now()
    export.seconds = round(seconds, 2)
    export.save()
    audit_record(actor=ANNEX_A_SYSTEM, action="annex_a.generated", instance=export, after=_export_snapshot(export))
    return export


@service
def annex_a_export_fail(*, export: AnnexAExport, error: str) -> AnnexAExport:
    export = AnnexAExport.objects.select_for_update().get(pk=export.pk)
    if export.is_finished:
        return export
    export.status = AnnexAExport.Status.FAILED
    export.error = error[:2000]
    export.finished_at = clock.now()
    export.save()
    audit_record(actor=ANNEX_A_SYSTEM, action="annex_a.failed", instance=export, after=_export_snapshot(export))
    return export


def annex_a_export_run(*, export: AnnexAExport) -> AnnexAExport:
    """Generate the files for a requested export: the body of the background task.

    Not itself a service: each step is its own short transaction, so progress ("List 6 of 11") is visible while
    it runs. Any error marks the export failed and is raised again, so the worker records the task as failed too.
    """
    started = time.perf_counter()
    export = annex_a_export_start(export=export)
    try:

        def on_list(number: int) -> None:
            annex_a_export_progress(export=export, done=number, label=f"List {number} of 11")

        annex = annex_selectors.annex_a(as_of=export.as_of, on_list=on_list)
        annex_a_export_progress(export=export, done=12, label="Writing the workbook")
        workbook = writer.workbook_bytes(annex)
        annex_a_export_progress(export=export, done=13, label="Writing the CSV files")
        csv_zip = writer.csv_zip_bytes(annex)
        return annex_a_export_finish(
            export=export, annex=annex, workbook=workbook, csv_zip=csv_zip, seconds=time.perf_counter() - started
        )
    except BaseException as exc:
        if isinstance(exc, SafeholdError):
            reason = str(exc)
        else:
            logger.exception("Annex A export %s failed", export.pk)
            reason = f"{ANNEX_A_FAILED} (export {export.pk}, task {export.task_id or '-'}: {type(exc).__name__})."
        try:
            annex_a_export_fail(export=export, error=reason)
        except Exception:  # pragma: no cover - the database itself is failing; the worker records the task
            logger.exception("Could not record the failure of Annex A export %s", export.pk)
        raise


@service
def annex_a_export_download(*, actor: Any, export: AnnexAExport, path: str, request_id: str = "") -> None:
    """Log a download: every child in the export, as an export by ``actor``."""
    if export.status != AnnexAExport.Status.READY:
        raise ValidationFailed("This export is not ready")
    access_record_many(actor=actor, kind="export", child_ids=list(export.child_ids), path=path, request_id=request_id)


# --- Case samples ---------------------------------------------------------------------------------------------


@service
def case_sample_draw(
    *,
    actor: Any,
    theme: str,
    size: int,
    reason: str,
    title: str = "",
    seed: int | None = None,
    as_of: dt.date | None = None,
    request_id: str = "",
) -> CaseSample:
    errors: dict[str, list[str]] = {}
    if theme not in SampleTheme.values:
        errors["theme"] = ["Select a theme"]
    if not 1 <= size <= MAX_SAMPLE:
        errors["size"] = [f"The sample size must be between 1 and {MAX_SAMPLE}"]
    if not reason.strip():
        errors["reason"] = ["Enter why the sample is being drawn"]
    if errors:
        raise ValidationFailed(errors)
    as_of = as_of or clock.today()
    seed = seed if seed is not None else secrets.randbelow(2**31)
    pool = sampling.candidates(user=actor, theme=theme, as_of=as_of)
    chosen = sampling.draw(pool, size=size, seed=seed)
    sample = CaseSample(
        title=title.strip() or f"{SampleTheme(theme).label} ({as_of:%d %b %Y})",
        theme=theme,
        reason=reason.strip(),
        size=size,
        seed=seed,
        as_of=as_of,
        population=len(pool),
        drawn_by=actor,
    )
    create_audited(sample, actor=actor, action="case_sample.drawn", child_id=None, request_id=request_id)
    for position, child_id in enumerate(chosen, start=1):
        member = CaseSampleMember(sample=sample, child_id=child_id, position=position)
        create_audited(member, actor=actor, action="case_sample.member", child_id=child_id, request_id=request_id)
    return sample


@service
def case_sample_share(
    *,
    actor: Any,
    sample: CaseSample,
    inspector: Any,
    expires_at: dt.datetime,
    request_id: str = "",
) -> CaseSampleShare:
    """Give an inspector read-only access to exactly the sample's children until ``expires_at``."""
    if getattr(inspector, "role", None) != Role.INSPECTOR or not inspector.is_active:
        raise ValidationFailed({"inspector": ["Select an active inspector's account"]})
    now = clock.now()
    if expires_at <= now:
        raise ValidationFailed({"expires_at": ["The access must end in the future"]})
    if expires_at > now + dt.timedelta(days=MAX_SHARE_DAYS):
        raise ValidationFailed({"expires_at": [f"Access can be given for at most {MAX_SHARE_DAYS} days"]})
    share = CaseSampleShare(sample=sample, inspector=inspector, shared_by=actor, expires_at=expires_at)
    create_audited(share, actor=actor, action="case_sample.shared", child_id=None, request_id=request_id)
    label = f"{actor.get_full_name() or actor.get_username()} ({actor.get_username()})"
    grant_ids = []
    for child_id in sample.members.order_by("position").values_list("child_id", flat=True):
        grant = AccessGrant(
            child_id=child_id,
            user=inspector,
            reason=f"Case sample {sample.pk} shared for inspection: {sample.title}",
            granted_by_label=label,
            expires_at=expires_at,
        )
        create_audited(grant, actor=actor, action="access_grant.created", child_id=child_id, request_id=request_id)
        grant_ids.append(grant.pk)
    share.grant_ids = grant_ids
    share.save(update_fields=["grant_ids", "updated_at"])
    return share


@service
def case_sample_share_revoke(*, actor: Any, share: CaseSampleShare, request_id: str = "") -> CaseSampleShare:
    """End an inspector's access now: every grant the share made expires."""
    if share.revoked_at is not None:
        raise ValidationFailed("This access has already been withdrawn")
    now = clock.now()
    for grant in AccessGrant.objects.filter(pk__in=share.grant_ids, expires_at__gt=now):
        update_audited(
            grant, actor=actor, action="access_grant.revoked", child_id=grant.child_id, changes={"expires_at": now}
        )
    update_audited(share, actor=actor, action="case_sample.share_revoked", child_id=None, changes={"revoked_at": now})
    return share


# --- Inspection history -------------------------------------------------------------------------------------

_JUDGEMENT_FIELDS = ("overall_effectiveness", "help_and_protection", "children_in_care", "care_leavers", "leaders")


def _check_inspection(inspection: Inspection) -> None:
    errors: dict[str, list[str]] = {}
    if inspection.kind not in JUDGED_KINDS:
        for name in _JUDGEMENT_FIELDS:
            if getattr(inspection, name):
                errors.setdefault(name, []).append("Only standard and short inspections give judgements")
    elif inspection.overall_effectiveness and inspection.start_date >= NO_OVERALL_JUDGEMENT_FROM:
        errors["overall_effectiveness"] = ["Inspections from 1 April 2026 do not give an overall effectiveness grade"]
    if inspection.start_date > clock.today():
        errors["start_date"] = ["The inspection cannot start in the future"]
    if inspection.end_date and inspection.end_date < inspection.start_date:
        errors["end_date"] = ["The last day cannot be before the first"]
    if errors:
        raise ValidationFailed(errors)


@service
def inspection_record(*, actor: Any, request_id: str = "", **fields: Any) -> Inspection:
    inspection = Inspection(**fields)
    _check_inspection(inspection)
    return create_audited(inspection, actor=actor, action="inspection.recorded", child_id=None, request_id=request_id)


@service
def inspection_update(
    *, actor: Any, inspection: Inspection, expected_version: int, request_id: str = "", **changes: Any
) -> Inspection:
    for name, value in changes.items():
        setattr(inspection, name, value)
    _check_inspection(inspection)
    return update_audited(
        inspection,
        actor=actor,
        action="inspection.updated",
        child_id=None,
        changes=changes,
        expected_version=expected_version,
        request_id=request_id,
    )


@service
def inspection_finding_add(
    *, actor: Any, inspection: Inspection, kind: str, text: str, request_id: str = ""
) -> InspectionFinding:
    if not text.strip():
        raise ValidationFailed({"text": ["Enter the finding"]})
    finding = InspectionFinding(inspection=inspection, kind=kind, text=text.strip())
    return create_audited(finding, actor=actor, action="inspection.finding", child_id=None, request_id=request_id)


# --- Improvement plan ----------------------------------------------------------------------------------------


def _check_indicator(code: str) -> None:
    if code and code not in INDICATORS:
        raise ValidationFailed({"indicator": ["Select an indicator from the list"]})


@service
def improvement_action_create(*, actor: Any, request_id: str = "", **fields: Any) -> ImprovementAction:
    _check_indicator(fields.get("indicator", ""))
    if not str(fields.get("title", "")).strip():
        raise ValidationFailed({"title": ["Enter the action"]})
    action = ImprovementAction(**fields)
    return create_audited(
        action, actor=actor, action="improvement.action_created", child_id=None, request_id=request_id
    )


@service
def improvement_action_update(
    *, actor: Any, action: ImprovementAction, expected_version: int, request_id: str = "", **changes: Any
) -> ImprovementAction:
    _check_indicator(changes.get("indicator", action.indicator))
    return update_audited(
        action,
        actor=actor,
        action="improvement.action_updated",
        child_id=None,
        changes=changes,
        expected_version=expected_version,
        request_id=request_id,
    )


@service
def improvement_evidence_add(
    *, actor: Any, action: ImprovementAction, label: str, url: str, request_id: str = ""
) -> ImprovementEvidence:
    if not label.strip():
        raise ValidationFailed({"label": ["Enter a name for the evidence"]})
    evidence = ImprovementEvidence(action=action, label=label.strip(), url=url, added_by=actor)
    return create_audited(
        evidence, actor=actor, action="improvement.evidence_added", child_id=None, request_id=request_id
    )
