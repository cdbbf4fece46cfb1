"""Starting care through the page records what the SSDA903 return needs beyond the episode: the child's home
postcode (HOME_POST, rules 392a/392b) and the previous permanence option (PrevPerm, rule 630). A previous
permanence LA or date without the option, or an order dated after care started, re-renders with the GOV.UK
error summary and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.audit.models import AuditEvent
from safehold.core.testing import allocate, make_child
from safehold.frontend.tests.journey import NOW, TODAY, date_fields
from safehold.looked_after.models import CareEpisode, PeriodOfCare, PreviousPermanence

pytestmark = pytest.mark.django_db

START = {
    **date_fields("start_date", TODAY), "legal_status": "C2", "category_of_need": "N1", "placement_type": "U4",
    "placement_provider": "PR1", "placement_postcode": "TW1 1AF", "home_postcode": "TW1 1AA",
}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _counts() -> tuple[int, ...]:
    return (PeriodOfCare.objects.count(), CareEpisode.objects.count(), PreviousPermanence.objects.count(),
            AuditEvent.objects.count())  # fmt: skip


def test_start_records_home_postcode_and_previous_permanence(client, personas) -> None:
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(personas.social_worker)
    data = {**START, "previous_permanence": "P2", "previous_permanence_la": "318",
            **date_fields("previous_permanence_date", dt.date(2020, 5, 1))}  # fmt: skip
    response = client.post(f"/care/children/{child.pk}/start/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CareEpisode.objects.get(child=child).home_postcode == "TW1 1AA"
    perm = PreviousPermanence.objects.get(child=child)
    assert (perm.kind, perm.la, perm.order_date) == ("P2", "318", dt.date(2020, 5, 1))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"previous_permanence_la": "318"}, "Select the previous permanence order"),
        (
            {"previous_permanence": "P1", **date_fields("previous_permanence_date", TODAY + dt.timedelta(days=1))},
            "must be before care started",
        ),
    ],
)
def test_inconsistent_previous_permanence_writes_nothing(client, personas, extra, message) -> None:
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(personas.social_worker)
    before = _counts()
    response = client.post(f"/care/children/{child.pk}/start/", {**START, **extra})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body and message in body
    assert _counts() == before
