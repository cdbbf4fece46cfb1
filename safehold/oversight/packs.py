"""The scrutiny pack: a printable monthly report of the leadership dashboard for councillors.

Whole-LA aggregates only, counts from 1 to 4 shown as "fewer than 5", no child named and no drill-down: each
indicator's 12-month figure beside the England figure, then each trend indicator's 13 months as a chart with its
data table. Built by a background task (:func:`safehold.oversight.tasks.build_scrutiny_pack`) into a
self-contained HTML file whose print stylesheet (``@media print``: A4, page breaks, no screen chrome) makes it
print, or save as PDF from the browser, as a paper pack. Figures come from the latest snapshot refresh where it
has them (:mod:`safehold.oversight.snapshots`), otherwise they are computed by the task.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import time
from typing import Any

from django.template.loader import render_to_string

from safehold.core import clock
from safehold.core.auditing import create_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.inspection.annex_a.domain import months_before
from safehold.oversight import charts, indicators, snapshots
from safehold.oversight.choices import PackStatus
from safehold.oversight.models import ScrutinyPack
from safehold.oversight.selectors import LA

SUPPRESSED = "fewer than 5"


def pack_months(today: dt.date | None = None, count: int = 12) -> list[dt.date]:
    """The months a pack can be asked for: this month and the 11 before it, newest first."""
    this = (today or clock.today()).replace(day=1)
    return [months_before(this, i) for i in range(count)]


def pack_as_of(month: dt.date) -> dt.date:
    """The day the pack's figures are as at: the month's last day, or today for the current month."""
    return min(indicators.month_end(month), clock.today())


def build(month: dt.date, progress: Any = None) -> str:
    """The pack's HTML for ``month`` (whole LA, suppressed)."""
    as_of = pack_as_of(month)
    figures = snapshots.Figures([LA], as_of=as_of)
    first, last = indicators.period(as_of)
    national = indicators.national_figures()
    trend_codes = [code for code, ind in indicators.DASHBOARD.items() if ind.trend]
    total = 1 + len(trend_codes)
    summary = []
    for ind in indicators.DASHBOARD.values():
        figure = figures.figure(LA, ind)
        summary.append(
            {
                "indicator": ind,
                "shown": figure.display(suppress=True),
                "national": national.get(ind.national_code) if ind.national_code else None,
            }
        )
    if progress:
        progress(1, total, "Indicators for the 12 months")
    sections = []
    for n, code in enumerate(trend_codes, start=2):
        ind = indicators.DASHBOARD[code]
        rows = [(m, f.display(suppress=True), f) for m, f in figures.trend(LA, ind)]
        points = [(m, None if shown == SUPPRESSED else f.value) for m, shown, f in rows]
        chart = charts.line_chart(
            title=f"{ind.title}, whole local authority, by month", points=points, unit=ind.unit, chart_id=f"c-{code}"
        )
        sections.append({"indicator": ind, "rows": [(m, shown) for m, shown, _ in rows], "chart": chart})
        if progress:
            progress(n, total, f"Trend: {ind.title}"[:120])
    return render_to_string(
        "oversight/pack_document.html",
        {
            "month": month,
            "as_of": as_of,
            "first": first,
            "last": last,
            "summary": summary,
            "sections": sections,
            "generated_at": clock.now(),
            "computed_at": figures.source.computed_at,
        },
    )


def style_hash(html: str) -> str:
    """The CSP hash of the pack's one ``<style>`` element (the download is served with a CSP allowing only it)."""
    found = re.search(r"<style>(.*?)</style>", html, re.S)
    digest = hashlib.sha256((found.group(1) if found else "").encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# --- The job ---------------------------------------------------------------------------------------------------


@service
def scrutiny_pack_request(*, actor: Any, month: dt.date, request_id: str = "") -> ScrutinyPack:
    """Record a request for a month's pack and enqueue the task that builds it (in the same transaction)."""
    if month not in pack_months():
        raise ValidationFailed({"month": ["Select a month from the list"]})
    pack = ScrutinyPack(
        month=month,
        requested_by=actor,
        requested_at=clock.now(),
        progress_total=1 + sum(1 for i in indicators.DASHBOARD.values() if i.trend),
        progress_label="Waiting for the background worker",
    )
    create_audited(pack, actor=actor, action="scrutiny_pack.requested", child_id=None, request_id=request_id)
    from safehold.oversight.tasks import build_scrutiny_pack

    result = build_scrutiny_pack.enqueue(pack.pk)
    pack.task_id = str(result.id)
    pack.save(update_fields=["task_id", "updated_at"])
    return pack


@service
def scrutiny_pack_start(*, pack: ScrutinyPack) -> ScrutinyPack:
    pack = ScrutinyPack.objects.select_for_update().get(pk=pack.pk)
    if pack.status != PackStatus.QUEUED:
        raise ValidationFailed("This pack has already been started")
    pack.status = PackStatus.RUNNING
    pack.started_at = clock.now()
    pack.progress_done = 0
    pack.progress_label = "Starting"
    pack.save(update_fields=["status", "started_at", "progress_done", "progress_label", "updated_at"])
    return pack


@service
def scrutiny_pack_progress(*, pack: ScrutinyPack, done: int, total: int, label: str) -> None:
    pack.progress_done, pack.progress_total, pack.progress_label = done, total, label[:120]
    pack.save(update_fields=["progress_done", "progress_total", "progress_label", "updated_at"])


@service
def scrutiny_pack_finish(*, pack: ScrutinyPack, html: str, seconds: float) -> ScrutinyPack:
    data = html.encode("utf-8")
    pack.file = data
    pack.file_name = f"scrutiny-pack-{pack.month:%Y-%m}.html"
    pack.sha256 = hashlib.sha256(data).hexdigest()
    pack.status = PackStatus.READY
    pack.finished_at = clock.now()
    pack.seconds = round(seconds, 2)
    pack.progress_done = pack.progress_total
    pack.progress_label = "Done"
    pack.save()
    from safehold.audit.services import audit_record

    audit_record(actor=None, action="scrutiny_pack.built", instance=pack, after={"sha256": pack.sha256})
    return pack


@service
def scrutiny_pack_fail(*, pack: ScrutinyPack, error: str) -> ScrutinyPack:
    pack.status = PackStatus.FAILED
    pack.finished_at = clock.now()
    pack.error = error[:2000]
    pack.save(update_fields=["status", "finished_at", "error", "updated_at"])
    return pack


def scrutiny_pack_run(*, pack: ScrutinyPack) -> ScrutinyPack:
    """Build the pack (the task's body). Not itself a service: progress is recorded step by step, each its own
    short transaction, so the pack's page sees it move. Any error fails the pack with its message."""
    pack = scrutiny_pack_start(pack=pack)
    started = time.monotonic()
    try:

        def progress(done: int, total: int, label: str) -> None:
            scrutiny_pack_progress(pack=pack, done=done, total=total, label=label)

        html = build(pack.month, progress)
    except Exception as exc:  # noqa: BLE001 - recorded on the pack, shown on its page
        return scrutiny_pack_fail(pack=pack, error=f"{type(exc).__name__}: {exc}")
    return scrutiny_pack_finish(pack=pack, html=html, seconds=time.monotonic() - started)


@service
def scrutiny_pack_download(*, actor: Any, pack: ScrutinyPack, request_id: str = "") -> None:
    """Record that a user downloaded the pack (it names no child, so no access event)."""
    from safehold.audit.services import audit_record

    audit_record(actor=actor, action="scrutiny_pack.downloaded", instance=pack, request_id=request_id)
