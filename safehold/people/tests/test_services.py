"""Person index services: duplicate detection and the audited merge."""

from __future__ import annotations

import datetime as dt

import pytest

from safehold.audit.models import AuditEvent
from safehold.casework import services as cw
from safehold.casework.models import CINEpisode, Visit
from safehold.core.exceptions import ConcurrentEditError, ValidationFailed
from safehold.core.testing import make_child
from safehold.people.models import DuplicateCandidate, Person
from safehold.people.services import duplicates_find, person_merge, person_update

pytestmark = pytest.mark.django_db


def test_duplicate_detection_finds_a_planted_duplicate_and_not_a_stranger():
    original = make_child(
        given_name="Mohammed",
        family_name="Hussain",
        date_of_birth=dt.date(2014, 5, 3),
        nhs_number="9434765919",
        sex="M",
    )
    typo = make_child(
        given_name="Muhammad", family_name="Hussain", date_of_birth=dt.date(2014, 5, 3), sex="M", la_child_id="DUP1"
    )
    make_child(given_name="Olivia", family_name="Brown", date_of_birth=dt.date(2016, 2, 1), sex="F")
    assert duplicates_find() == 1
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.person_a_id, candidate.person_b_id} == {original.pk, typo.pk}
    assert any("date of birth" in r for r in candidate.reasons)
    assert duplicates_find() == 0  # idempotent: no second copy of the same pair


def test_merge_moves_records_keeps_a_tombstone_and_is_audited():
    keep = make_child(given_name="Lily", family_name="Evans", nhs_number=None)
    remove = make_child(given_name="Lilly", family_name="Evans", nhs_number="9434765919")
    episode = cw.referral_create(
        actor=None, child=remove, referral_date=dt.date(2024, 3, 4), source="2A", primary_need="N1"
    )
    cw.visit_record(actor=None, child=remove, visit_type="cin", visited_on=dt.date(2024, 3, 5), seen=True)
    person_merge(actor=None, keep=keep, remove=remove, reason="Same child: school confirmed")
    keep.refresh_from_db()
    remove.refresh_from_db()
    assert remove.merged_into_id == keep.pk
    assert keep.nhs_number == "9434765919"
    assert CINEpisode.objects.get(pk=episode.pk).child_id == keep.pk
    assert Visit.objects.filter(child=keep).count() == 1
    assert keep not in Person.objects.filter(pk=remove.pk).children()
    event = AuditEvent.objects.get(action="person.merged")
    assert event.after["removed_id"] == remove.pk
    assert event.reason == "Same child: school confirmed"


def test_merge_needs_a_reason_and_two_different_records():
    a = make_child()
    b = make_child()
    with pytest.raises(ValidationFailed):
        person_merge(actor=None, keep=a, remove=b, reason=" ")
    with pytest.raises(ValidationFailed):
        person_merge(actor=None, keep=a, remove=a, reason="x")


def test_invalid_identifiers_are_refused_with_clear_messages():
    child = make_child()
    with pytest.raises(ValidationFailed) as excinfo:
        person_update(actor=None, person=child, expected_version=child.version, nhs_number="9434765918")
    assert "valid NHS number" in str(excinfo.value)
    with pytest.raises(ValidationFailed) as excinfo:
        person_update(actor=None, person=child, expected_version=child.version, la_child_id="has space")
    assert "LA child id" in str(excinfo.value)
    child.refresh_from_db()
    assert child.version == 1


def test_unborn_child_must_have_unknown_sex():
    with pytest.raises(ValidationFailed, match="unborn"):
        make_child(date_of_birth=None, expected_date_of_birth=dt.date(2026, 1, 1), sex="F")


def test_stale_version_after_merge_is_refused():
    keep = make_child()
    remove = make_child()
    stale = Person.objects.get(pk=keep.pk)
    person_merge(actor=None, keep=keep, remove=remove, reason="duplicate")
    with pytest.raises(ConcurrentEditError):
        person_update(actor=None, person=stale, expected_version=stale.version, given_name="Stale")
