"""The inspection-readiness pages: who may use them, and what each does."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from safehold.accounts.testing import sign_in
from safehold.audit.models import AccessEvent
from safehold.core.jobs import run_queued_tasks
from safehold.core.testing import make_staff
from safehold.inspection.models import AnnexAExport, CaseSample, ImprovementAction, Inspection
from safehold.inspection.tests.fixtures import NOW, build_borough
from safehold.people.models import AccessGrant

pytestmark = pytest.mark.django_db

PAGES = ["/inspection/", "/inspection/annex-a/", "/inspection/samples/", "/inspection/history/",
         "/inspection/improvement-plan/", "/inspection/history/new/", "/inspection/improvement-plan/new/"]  # fmt: skip


@pytest.fixture
def borough(personas):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield build_borough(personas.social_worker)


@pytest.mark.parametrize("who", ["analyst", "head_of_service", "director"])
def test_analyst_roles_reach_every_page(personas, who) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), getattr(personas, who))
    for url in PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["social_worker", "team_manager", "inspector", "iro", "dpo", "partner"])
def test_other_roles_get_404(personas, who) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), getattr(personas, who))
    for url in PAGES:
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in() -> None:
    response = Client().get("/inspection/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_readiness_counts_and_gap_links(personas, borough) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), personas.analyst)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/inspection/?as_of=2026-03-31").content.decode()
    assert "Readiness on 31 March 2026" in page
    # contact_first is NOBT (unknown ethnicity) and cin_open REFU: both linked.
    assert f'href="/children/{borough["contact_first"].pk}/"' in page
    assert f'href="/children/{borough["cin_open"].pk}/"' in page
    assert "Assessments not signed off: 1" in page


def test_generate_and_download_annex_a_logs_the_export(personas, borough) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), personas.analyst)
    with time_machine.travel(NOW, tick=False):
        response = client.post("/inspection/annex-a/", {"as_of_day": "31", "as_of_month": "3", "as_of_year": "2026"})
        export = AnnexAExport.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/inspection/annex-a/{export.pk}/"
        # Queued for the background worker: the page says so and reloads itself; no download yet.
        queued = client.get(response["Location"])
        assert export.status == "pending" and export.task_id
        assert "Queued" in queued.content.decode() and queued["Refresh"] == "3"
        assert client.get(f"/inspection/annex-a/{export.pk}/download.xlsx").status_code == 404
        assert run_queued_tasks() == 1
        export.refresh_from_db()
        assert export.status == "ready" and export.row_counts["8"] == 2
        ready = client.get(response["Location"])
        assert "Download workbook" in ready.content.decode() and not ready.has_header("Refresh")
        assert not AccessEvent.objects.filter(kind="export").exists()
        download = client.get(f"/inspection/annex-a/{export.pk}/download.xlsx")
        zipped = client.get(f"/inspection/annex-a/{export.pk}/download.zip")
    assert download.status_code == 200 and 'filename="Annex_A_2026_03_31.xlsx"' in download["Content-Disposition"]
    assert load_workbook(io.BytesIO(download.content)).sheetnames[-1] == "List 11"
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    logged = AccessEvent.objects.filter(kind="export", actor_id=personas.analyst.pk)
    assert set(logged.values_list("child_id", flat=True)) == set(export.child_ids)
    assert logged.count() == 2 * len(export.child_ids)


def test_a_future_inspection_date_is_refused(personas) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), personas.analyst)
    with time_machine.travel(NOW, tick=False):
        response = client.post("/inspection/annex-a/", {"as_of_day": "1", "as_of_month": "4", "as_of_year": "2026"})
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert not AnnexAExport.objects.exists()


def test_draw_and_share_a_sample(personas, borough) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), personas.analyst)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            "/inspection/samples/", {"theme": "random_open", "size": "3", "reason": "ILACS case tracking", "seed": "5"}
        )
        sample = CaseSample.objects.get()
        assert response["Location"] == f"/inspection/samples/{sample.pk}/"
        page = client.get(response["Location"]).content.decode()
        assert "ILACS case tracking" in page and "seed 5" in page
        shared = client.post(
            f"/inspection/samples/{sample.pk}/share/", {"inspector": str(personas.inspector.pk), "days": "10"}
        )
        assert shared.status_code == 302
    assert set(AccessGrant.objects.values_list("child_id", flat=True)) == set(
        sample.members.values_list("child_id", flat=True)
    )
    inspector = sign_in(Client(), personas.inspector)
    with time_machine.travel(NOW, tick=False):
        child_id = sample.members.values_list("child_id", flat=True)[0]
        assert inspector.get(f"/children/{child_id}/").status_code == 200
        other = borough["contact_before"].pk
        if not sample.members.filter(child_id=other).exists():
            assert inspector.get(f"/children/{other}/").status_code == 404


def test_record_inspection_and_improvement_action(personas) -> None:  # type: ignore[no-untyped-def]
    owner = make_staff(team=personas.team)
    client = sign_in(Client(), personas.director)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            "/inspection/history/new/",
            {"kind": "standard", "start_date_day": "8", "start_date_month": "5", "start_date_year": "2023",
             "overall_effectiveness": "inadequate", "help_and_protection": "inadequate",
             "children_in_care": "requires_improvement", "care_leavers": "requires_improvement",
             "leaders": "inadequate", "summary": "Serious weaknesses"},
        )  # fmt: skip
        inspection = Inspection.objects.get()
        assert response["Location"] == f"/inspection/history/{inspection.pk}/"
        client.post(response["Location"], {"kind": "recommendation", "text": "Improve the timeliness of assessments"})
        finding = inspection.findings.get()
        timeline = client.get("/inspection/history/").content.decode()
        assert "Overall effectiveness: Inadequate" in timeline
        created = client.post(
            "/inspection/improvement-plan/new/",
            {"title": "Assessments on time", "owner": str(owner.pk), "due_date_day": "30", "due_date_month": "9",
             "due_date_year": "2026", "finding": str(finding.pk), "indicator": "assessments_45wd"},
        )  # fmt: skip
        action = ImprovementAction.objects.get()
        assert created["Location"] == f"/inspection/improvement-plan/{action.pk}/"
        client.post(created["Location"], {"form": "update", "status": "in_progress", "rag": "red", "version": "1"})
        stale = client.post(
            created["Location"], {"form": "update", "status": "complete", "rag": "green", "version": "1"}
        )
        plan = client.get("/inspection/improvement-plan/").content.decode()
    action.refresh_from_db()
    assert (action.status, action.rag) == ("in_progress", "red")
    assert stale.status_code == 200  # the stale version is refused and shown, not saved
    assert "Assessments completed within 45 working days" in plan and "Assessments on time" in plan
    assert action.finding == finding and dt.date(2026, 9, 30) == action.due_date
