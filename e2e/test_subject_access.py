"""A data protection officer opens a subject access request, marks third-party information for redaction and sends
it for approval; a second officer approves the release and downloads it. The withheld text is in neither the JSON
export nor the printable copy — every page accessible (axe: no serious or critical violations)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from e2e.test_inspection import assert_accessible, sign_in
from safehold.casework import services as cw
from safehold.core import clock
from safehold.core.testing import allocate, make_child, make_personas, make_user
from safehold.subject_access.models import SarItem, SubjectAccessRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REFERRER = "Uncle Bob Thirdparty"
NAME = "Dave Secretname"


def test_open_redact_approve_and_download(page: Any, browser: Any, live_server: Any, tmp_path: Path) -> None:
    personas = make_personas()
    approver = make_user(role="dpo")
    child = make_child(given_name="Sara", family_name="Subject", la_child_id="SARE2E1")
    allocate(child, personas.social_worker)
    cw.contact_record(
        actor=personas.social_worker, child=child, received_at=clock.now() - dt.timedelta(days=9), source="1B",
        summary="Worried about bruising", referrer_name=REFERRER,
    )  # fmt: skip
    cw.case_note_add(
        actor=personas.social_worker, child=child, subject="Home visit", body=f"Mum's partner {NAME} shouts at night."
    )
    today = clock.today()

    # The reviewing officer opens the request (a mistake first: the error summary).
    sign_in(page, personas.dpo)
    page.click("#navigation a:has-text('Subject access')")
    page.wait_for_selector("h1:has-text('Subject access requests')")
    assert_accessible(page)
    page.click("a:has-text('Open a request')")
    page.click("button:has-text('Open the request')")
    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
    page.fill("#id_la_child_id", "SARE2E1")
    page.fill("#id_requester", "Sara herself, by email")
    page.fill("#id_received_on", str(today.day))
    page.fill("#id_received_on_month", str(today.month))
    page.fill("#id_received_on_year", str(today.year))
    page.click("button:has-text('Open the request')")
    page.wait_for_selector("#sar-status:has-text('Being reviewed')")
    assert_accessible(page)
    sar = SubjectAccessRequest.objects.get()

    # Redact the contact's referrer (third-party information) field by field.
    contact = SarItem.objects.filter(sar=sar, source__startswith="casework.Contact#").get()
    page.click(f"a[href='/subject-access/{sar.pk}/items/{contact.pk}/']")
    page.wait_for_selector("#item-held")
    assert REFERRER in page.inner_text("#item-held")
    assert_accessible(page)
    page.click("button:has-text('Redact')")
    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
    page.check("input[name='fields_to_redact'][value='referrer_name']")
    page.check("input[name='reason'][value='third_party']")
    page.fill("#id_note", "The referrer has not consented")
    page.click("button:has-text('Redact')")
    page.wait_for_selector("#item-released")
    assert REFERRER not in page.inner_text("#item-released")
    assert_accessible(page)

    # A name inside a case note: redacted everywhere.
    page.click("a.govuk-back-link")
    page.fill("#id_phrase", "Secretname")
    page.check("input[name='phrase_reason'][value='third_party']")
    page.click("button:has-text('Redact everywhere')")
    page.wait_for_selector("td:has-text('Everywhere')")
    page.click("button:has-text('Send for approval')")
    page.wait_for_selector("#sar-status:has-text('Awaiting approval')")
    assert "Another data protection officer must approve" in page.inner_text("main")
    assert_accessible(page)

    # The second officer approves the release and downloads both copies.
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    second = context.new_page()
    sign_in(second, approver)
    second.goto(f"/subject-access/{sar.pk}/")
    second.click("a:has-text('Approve or return')")
    second.wait_for_selector("h1:has-text('Approve the release')")
    assert_accessible(second)
    second.check("input[name='decision'][value='approve']")
    second.click("button:has-text('Record decision')")
    second.wait_for_selector("#sar-status:has-text('Released')")
    assert approver.username in second.inner_text("#sar-approved")
    assert_accessible(second)
    with second.expect_download() as info:
        second.click("a:has-text('Download the export (JSON)')")
    target = tmp_path / "export.json"
    info.value.save_as(target)
    exported = target.read_text()
    assert json.loads(exported)["reference"] == sar.reference
    second.click("a:has-text('Open the printable copy')")
    second.wait_for_selector("h1:has-text('Information held about Sara Subject')")
    assert_accessible(second)
    printed = second.content()
    for output in (exported, printed):
        assert REFERRER not in output and "Secretname" not in output
        assert "[Redacted]" in output and "Worried about bruising" in output
    context.close()
    sar.refresh_from_db()
    assert sar.approved_by == approver and sar.approved_at is not None
