from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safehold.api.models import PartnerReferral
from safehold.casework.models import Contact
from safehold.casework.services import contact_decide
from safehold.core.testing import make_child
from safehold.people.models import Person

pytestmark = pytest.mark.django_db


def _form(**over: Any) -> dict[str, str]:
    data = {
        "given_name": "Amy", "family_name": "Known", "date_of_birth_day": "14", "date_of_birth_month": "3",
        "date_of_birth_year": "2015", "source": "6", "referrer_name": "PC Jones 0101",
        "summary": "Found alone at night",
    }  # fmt: skip
    data.update(over)
    return data


def _partner(personas: Any) -> Client:
    c = Client()
    c.force_login(personas.partner)
    return c


def test_referral_matches_existing_child_without_saying_so(personas: Any) -> None:
    import datetime as dt

    known = make_child(given_name="Amy", family_name="Known", date_of_birth=dt.date(2015, 3, 14))
    c = _partner(personas)
    matched = c.post("/api/partner/refer/", _form())
    new = c.post("/api/partner/refer/", _form(family_name="Unknown"))
    assert matched.status_code == new.status_code == 302
    assert Contact.objects.filter(child=known).count() == 1
    assert Person.objects.filter(family_name="Unknown", is_child_record=True).count() == 1
    a, b = (c.get(r["Location"]) for r in (matched, new))
    assert a.status_code == b.status_code == 200
    for page in (a, b):
        text = page.content.decode()
        assert "Amy" not in text and "Known" not in text and "Found alone" not in text
        assert "Not yet decided" in text


def test_partner_sees_decision_and_date_only(personas: Any) -> None:
    c = _partner(personas)
    c.post("/api/partner/refer/", _form())
    referral = PartnerReferral.objects.get()
    contact = referral.contact
    assert contact is not None
    contact_decide(
        actor=personas.team_manager,
        contact=contact,
        expected_version=contact.version,
        outcome="advice",
        threshold_level="2",
        reason="Secret reasoning about the family",
    )
    text = c.get(f"/api/partner/referrals/{referral.reference}/").content.decode()
    assert "Information and advice" in text
    assert "Secret reasoning" not in text
    listing = c.get("/api/partner/referrals/").content.decode()
    assert referral.short_reference in listing and "Secret reasoning" not in listing


def test_other_partners_and_staff_cannot_see_a_referral(personas: Any) -> None:
    _partner(personas).post("/api/partner/refer/", _form())
    referral = PartnerReferral.objects.get()
    from safehold.core.testing import make_user

    other = Client()
    other.force_login(make_user(role="partner"))
    assert other.get(f"/api/partner/referrals/{referral.reference}/").status_code == 404
    staff = Client()
    staff.force_login(personas.social_worker)
    assert staff.get("/api/partner/refer/").status_code == 404
    assert Client().get("/api/partner/refer/").status_code == 302


@pytest.mark.parametrize(
    "over",
    [
        {"given_name": ""},
        {"date_of_birth_month": "13"},
        {"date_of_birth_year": "2999"},
        {"source": "ZZ"},
        {"summary": ""},
    ],
)
def test_invalid_referral_changes_nothing(personas: Any, over: dict[str, str]) -> None:
    before = Person.objects.count()
    r = _partner(personas).post("/api/partner/refer/", _form(**over))
    assert r.status_code == 200
    assert "govuk-error-summary" in r.content.decode()
    assert Person.objects.count() == before and Contact.objects.count() == 0 and PartnerReferral.objects.count() == 0
