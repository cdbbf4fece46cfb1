"""Dashboard snapshots (equal to the live computation) and the councillors' scrutiny pack."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from safehold.audit.models import AuditEvent
from safehold.casework import services as cw
from safehold.core import jobs
from safehold.core.testing import allocate, make_child
from safehold.oversight import indicators, packs, services, snapshots
from safehold.oversight.choices import PackStatus
from safehold.oversight.indicators import DASHBOARD, Figure
from safehold.oversight.models import IndicatorSnapshot, ScrutinyPack, SnapshotRefresh
from safehold.oversight.selectors import LA, Scope

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safehold.oversight.tests.urls")]
TODAY = dt.date(2025, 6, 16)
D = dt.date


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2025, 6, 16, 12, tzinfo=dt.UTC), tick=False):
        yield


def _assess(child, referral: dt.date, completed: dt.date):  # type: ignore[no-untyped-def]
    episode = cw.referral_create(actor=None, child=child, referral_date=referral, source="2A", primary_need="N1")
    assessment = cw.assessment_start(actor=None, episode=episode, start_date=referral + dt.timedelta(days=1))
    cw.assessment_complete(
        actor=None,
        assessment=assessment,
        expected_version=assessment.version,
        completed_date=completed,
        factors=["3B"],
        child_seen=True,
        outcome="cin_plan",
    )
    return episode


@pytest.fixture
def borough(personas):  # type: ignore[no-untyped-def]
    """A hand-built borough, all allocated to the social worker (team A):

    * Amy: referral 1 Oct 2024 (closed 1 Nov 2024), then referral 3 Mar 2025 with an assessment completed
      1 Apr 2025 — 20 working days after the referral: on time;
    * Ben: referral 6 Jan 2025, assessment completed 15 Apr 2025 — 70 working days: late;
    * Amy is discussed in supervision today; Ben is not.
    """
    amy, ben = make_child(given_name="Amy", family_name="Zephyrine"), make_child(given_name="Ben", family_name="Quist")
    for child in (amy, ben):
        allocate(child, personas.social_worker)
    first = cw.referral_create(actor=None, child=amy, referral_date=D(2024, 10, 1), source="2A", primary_need="N1")
    cw.episode_close(
        actor=None, episode=first, expected_version=first.version, closure_date=D(2024, 11, 1), reason="RC1"
    )
    _assess(amy, D(2025, 3, 3), D(2025, 4, 1))
    _assess(ben, D(2025, 1, 6), D(2025, 4, 15))
    sup = services.supervision_record(
        actor=personas.team_manager, manager=personas.team_manager.staff, worker=personas.social_worker.staff,
        held_on=TODAY,
    )  # fmt: skip
    services.supervision_discussion_add(
        actor=personas.team_manager, supervision=sup, child=amy, discussion="Progress", decision="Continue",
        impact_analysis="Attendance improving",
    )  # fmt: skip
    return {"amy": amy, "ben": ben, "personas": personas}


def test_snapshots_equal_the_live_computation(borough) -> None:  # type: ignore[no-untyped-def]
    """Every stored figure (LA, service and team; the 12-month period and each of 13 months) equals the
    indicator computed live for the same scope and period. Worked by hand:

    * assessments within 45 working days: period (17 Jun 2024 – 16 Jun 2025) 1 of 2; April 2025 1 of 2 (both
      met then); March 2025 none (0 of 0, "No data");
    * re-referrals: the period has three referrals (Amy's 1 Oct 2024 and 3 Mar 2025, Ben's 6 Jan 2025); Amy's
      second is 5 months after her first → 1 of 3;
    * supervision coverage: Amy of the two open children → 1 of 2.
    """
    p = borough["personas"]
    refresh = snapshots.snapshot_refresh(actor=None, levels=("la", "service", "team"))
    rows = list(IndicatorSnapshot.objects.filter(refresh=refresh))
    scopes = {(s.level, s.key): s for s in snapshots.scopes_for(("la", "service", "team"))}
    trend_codes = [c for c, i in DASHBOARD.items() if i.trend]
    assert len(rows) == len(scopes) * (len(DASHBOARD) + 13 * len(trend_codes)) == refresh.rows
    for row in rows:
        live = DASHBOARD[row.code].compute(scopes[(row.level, row.key)], row.first, row.last)
        assert (Decimal(row.numerator), Decimal(row.denominator)) == (
            Decimal(live.numerator),
            Decimal(live.denominator),
        ), (row.code, row.level, row.key, row.first, row.last)

    figures = snapshots.Figures([LA])
    assert figures.source.refresh == refresh
    team = Scope("team", str(p.team.pk), p.team.name)
    team_figures = snapshots.Figures([team])
    for f in (figures, team_figures):
        scope = f.scopes[0]
        assessments = f.figure(scope, DASHBOARD["assessments_45wd"])
        assert (assessments.numerator, assessments.denominator) == (1, 2)
        trend = dict(f.trend(scope, DASHBOARD["assessments_45wd"]))
        assert (trend[D(2025, 4, 1)].numerator, trend[D(2025, 4, 1)].denominator) == (1, 2)
        assert trend[D(2025, 3, 1)].display() == "No data"
        assert len(trend) == 13 and min(trend) == D(2024, 6, 1)
        rereferrals = f.figure(scope, DASHBOARD["rereferrals_12m"])
        assert (rereferrals.numerator, rereferrals.denominator) == (1, 3)
        coverage = f.figure(scope, DASHBOARD["supervision_coverage"])
        assert (coverage.numerator, coverage.denominator) == (1, 2)


def test_bulk_monthly_forms_equal_the_single_period_formula(borough) -> None:  # type: ignore[no-untyped-def]
    """The one-query monthly forms (contacts, timescales clocks) give each month what ``compute`` gives it."""
    periods = snapshots.month_periods(TODAY)
    for ind in DASHBOARD.values():
        if ind.compute_many is None:
            continue
        for scope in (LA, Scope("team", str(borough["personas"].team.pk))):
            assert ind.figures(scope, periods) == [ind.compute(scope, f, last) for f, last in periods], ind.code


def test_dashboard_reads_a_recent_refresh_and_says_when(client, borough) -> None:  # type: ignore[no-untyped-def]
    """With a refresh from today the dashboard shows its figures and time; the same figures as live. A refresh
    older than the allowed age is ignored (figures worked out now)."""
    p = borough["personas"]
    client.force_login(p.director)
    live = client.get("/oversight/?live=1")
    assert b"Figures worked out now" in live.content
    refresh = snapshots.snapshot_refresh(actor=None)
    page = client.get("/oversight/")
    assert page.context["source"].refresh == refresh and b"Figures as at" in page.content
    assert [r["shown"] for r in page.context["rows"]] == [r["shown"] for r in live.context["rows"]]
    assert [b["cells"] for b in page.context["breakdown"]] == [b["cells"] for b in live.context["breakdown"]]
    trend = client.get("/oversight/indicators/assessments_45wd/")
    assert trend.context["source"].refresh == refresh and len(trend.context["table"]) == 13
    # Every indicator month by month: one chart and one 13-row table each, the same figures as live.
    every = client.get("/oversight/trends/")
    live_every = client.get("/oversight/trends/?live=1")
    trend_codes = [c for c, i in DASHBOARD.items() if i.trend]
    assert every.context["source"].refresh == refresh and live_every.context["source"].refresh is None
    assert [s["indicator"].code for s in every.context["sections"]] == trend_codes
    assert every.content.count(b"<svg") == len(trend_codes) and every.content.count(b"Data for the chart") == len(
        trend_codes
    )
    assert [[shown for _, _, shown in s["table"]] for s in every.context["sections"]] == [
        [shown for _, _, shown in s["table"]] for s in live_every.context["sections"]
    ]
    april = next(s for s in every.context["sections"] if s["indicator"].code == "assessments_45wd")["table"][10]
    assert april[0] == D(2025, 4, 1) and april[2] == "50.0%"
    csv_text = client.get("/oversight/trends/?format=csv").content.decode()
    assert "Assessments completed within 45 working days,2025-04,50.0%,1,2" in csv_text
    # A councillor cannot ask for live figures (the snapshot is used), and sees 1 of 2 suppressed, no counts.
    client.force_login(p.councillor)
    assert client.get("/oversight/?live=1").context["source"].refresh == refresh
    csv_text = client.get("/oversight/trends/?format=csv").content.decode()
    assert "Assessments completed within 45 working days,2025-04,fewer than 5,," in csv_text
    assert client.get(f"/oversight/trends/?level=team&key={p.team.pk}").status_code == 404
    # Two days later the refresh is too old: live.
    with time_machine.travel(dt.datetime(2025, 6, 18, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(p.director)  # a new day's session
        assert client.get("/oversight/").context["source"].refresh is None


def test_refresh_command_task_and_old_refreshes_removed(borough) -> None:  # type: ignore[no-untyped-def]
    call_command("oversight", "snapshots", "--levels", "la")
    first = SnapshotRefresh.objects.get()
    assert first.levels == "la" and first.rows == len(DASHBOARD) + 13 * sum(1 for i in DASHBOARD.values() if i.trend)
    from safehold.oversight.tasks import refresh_snapshots

    refresh_snapshots.enqueue()
    assert jobs.run_queued_tasks() == 1
    latest = SnapshotRefresh.objects.get()  # the older refresh (and its rows) went
    assert latest.pk != first.pk and latest.levels == "la,service"
    assert not IndicatorSnapshot.objects.filter(refresh_id=first.pk).exists()
    assert AuditEvent.objects.filter(action="oversight.snapshots_refreshed").count() == 2


# --- Scrutiny pack ---------------------------------------------------------------------------------------------


def test_scrutiny_pack_for_a_councillor(client, borough) -> None:  # type: ignore[no-untyped-def]
    """The lead member asks for June 2025's pack, the background task builds it, and they download it: every
    indicator and every trend is in it, small counts are suppressed, and no child is named."""
    p = borough["personas"]
    client.force_login(p.councillor)
    assert client.get("/oversight/scrutiny-packs/").status_code == 200
    response = client.post("/oversight/scrutiny-packs/", {"month": "2025-06-01"})
    pack = ScrutinyPack.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/oversight/scrutiny-packs/{pack.pk}/"
    queued = client.get(f"/oversight/scrutiny-packs/{pack.pk}/")
    assert b"Queued" in queued.content and queued["Refresh"]
    assert jobs.run_queued_tasks() == 1
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY and pack.progress_done == pack.progress_total
    page = client.get(f"/oversight/scrutiny-packs/{pack.pk}/")
    assert b"Download scrutiny-pack-2025-06.html" in page.content and not page.has_header("Refresh")
    download = client.get(f"/oversight/scrutiny-packs/{pack.pk}/download/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert packs.style_hash(download.content.decode()) in download["Content-Security-Policy"]
    html = download.content.decode()
    for ind in DASHBOARD.values():
        assert f'id="pack-{ind.code}"' in html and ind.title in html
        assert (f'id="trend-{ind.code}"' in html) == ind.trend
    assert "@media print" in html and html.count("<svg") == sum(1 for i in DASHBOARD.values() if i.trend)
    # 1 of 2 on time, 1 of 3 re-referred, 1 of 2 discussed: all suppressed; no percentage of them shown.
    summary = html.split('<section class="trends">')[0]
    for code in ("assessments_45wd", "rereferrals_12m", "supervision_coverage"):
        row = summary.split(f'id="pack-{code}"')[1].split("</tr>")[0]
        assert "fewer than 5" in row, code
    assert "50.0%" not in summary and "33.3%" not in summary
    for child in (borough["amy"], borough["ben"]):
        for name in (child.given_name, child.family_name, child.la_child_id):
            assert name not in html
    assert AuditEvent.objects.filter(action="scrutiny_pack.downloaded", object_id=str(pack.pk)).exists()


def test_pack_uses_recent_snapshots_and_shows_their_time(borough) -> None:  # type: ignore[no-untyped-def]
    snapshots.snapshot_refresh(actor=None)
    html = packs.build(D(2025, 6, 1))
    assert "from the dashboard's figures as at 16 June 2025" in html
    # A past month's pack: as at its last day (the 12 months to 31 May 2025).
    html = packs.build(D(2025, 5, 1))
    assert "1 June 2024 to 31 May 2025" in html


def test_pack_request_validation_and_access(client, borough) -> None:  # type: ignore[no-untyped-def]
    p = borough["personas"]
    client.force_login(p.director)
    response = client.post("/oversight/scrutiny-packs/", {"month": ""})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    response = client.post("/oversight/scrutiny-packs/", {"month": "2019-01-01"})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert ScrutinyPack.objects.count() == 0
    pack = packs.scrutiny_pack_request(actor=p.director, month=D(2025, 5, 1))
    # Not ready yet: no download.
    assert client.get(f"/oversight/scrutiny-packs/{pack.pk}/download/").status_code == 404
    client.force_login(p.social_worker)
    for url in ("/oversight/scrutiny-packs/", f"/oversight/scrutiny-packs/{pack.pk}/"):
        assert client.get(url).status_code == 404


def test_pack_failure_is_recorded(borough, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A build that raises fails the pack with its reason (the page shows it)."""
    pack = packs.scrutiny_pack_request(actor=borough["personas"].director, month=D(2025, 6, 1))

    def broken(month, progress=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("no figures")

    monkeypatch.setattr(packs, "build", broken)
    jobs.run_queued_tasks()
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED and "no figures" in pack.error


def test_figure_units_survive_storage() -> None:
    """Ratios keep their decimals through the snapshot's DecimalField (caseload 10567 ÷ 756.5 FTE = 13.97)."""
    assert snapshots._num(Decimal("757.5000")) == Decimal("757.5") and snapshots._num(Decimal("12.0000")) == 12
    assert Figure(snapshots._num(Decimal("10567")), snapshots._num(Decimal("756.5")), "ratio").display() == "14.0"
    assert indicators.period(TODAY) == (D(2024, 6, 17), TODAY)
