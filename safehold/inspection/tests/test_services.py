"""Case sampling, sharing with inspectors, inspection history and the improvement plan's live indicator."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.audit.models import AuditEvent
from safehold.casework import services as cw
from safehold.core.exceptions import ValidationFailed
from safehold.core.testing import allocate, make_child, make_staff
from safehold.inspection import sampling, services
from safehold.inspection.indicators import INDICATORS, rate
from safehold.inspection.models import InspectionKind, SampleTheme
from safehold.inspection.tests.fixtures import NOW, build_borough
from safehold.people.models import AccessGrant, Person
from safehold.people.policies import can_view_person

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def borough(personas):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield build_borough(personas.social_worker)


def test_draw_is_reproducible_and_bounded() -> None:
    pool = list(range(1, 101))
    first = sampling.draw(pool, size=10, seed=42)
    assert first == sampling.draw(list(reversed(pool)), size=10, seed=42)
    assert len(set(first)) == 10 and set(first) <= set(pool)
    assert first != sampling.draw(pool, size=10, seed=43)
    assert sorted(sampling.draw([3, 1, 2], size=10, seed=1)) == [1, 2, 3]


def test_themed_sample_is_saved_with_who_and_why(personas, borough) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        sample = services.case_sample_draw(
            actor=personas.analyst, theme=SampleTheme.CP_OVER_18_MONTHS, size=10, reason="ILACS case tracking", seed=7
        )
        again = services.case_sample_draw(
            actor=personas.analyst, theme=SampleTheme.CP_OVER_18_MONTHS, size=10, reason="Redraw", seed=7
        )
    members = list(sample.members.values_list("child_id", flat=True))
    assert members == [borough["cp_open"].pk]  # the only plan older than 18 months
    assert list(again.members.values_list("child_id", flat=True)) == members
    assert sample.population == 1 and sample.drawn_by == personas.analyst and sample.reason == "ILACS case tracking"
    assert AuditEvent.objects.filter(action="case_sample.drawn", object_id=str(sample.pk)).exists()
    assert AuditEvent.objects.filter(action="case_sample.member", child_id=borough["cp_open"].pk).count() == 2


def test_random_sample_only_draws_children_the_analyst_may_see(personas, borough) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        hidden = make_child(restricted=True)
        cw.referral_create(actor=None, child=hidden, referral_date=D(2026, 3, 2), source="8")
        sample = services.case_sample_draw(
            actor=personas.analyst, theme=SampleTheme.RANDOM_OPEN, size=200, reason="Audit", seed=1
        )
    drawn = set(sample.members.values_list("child_id", flat=True))
    assert hidden.pk not in drawn
    assert borough["cin_open"].pk in drawn and borough["la_open"].pk in drawn
    assert borough["cin_closed_first"].pk not in drawn  # closed


def test_sample_validation(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as exc:
        services.case_sample_draw(actor=personas.analyst, theme="nope", size=0, reason=" ")
    assert set(exc.value.errors) == {"theme", "size", "reason"}


def test_sharing_grants_exactly_the_sample_until_expiry(personas, borough) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        sample = services.case_sample_draw(
            actor=personas.analyst, theme=SampleTheme.RANDOM_OPEN, size=3, reason="Inspection", seed=3
        )
        chosen = set(sample.members.values_list("child_id", flat=True))
        others = set(Person.objects.children().values_list("pk", flat=True)) - chosen
        assert not any(can_view_person(personas.inspector, Person(pk=pk)) for pk in chosen)
        share = services.case_sample_share(
            actor=personas.analyst,
            sample=sample,
            inspector=personas.inspector,
            expires_at=NOW + dt.timedelta(days=14),
        )
        grants = AccessGrant.objects.filter(user=personas.inspector)
        assert (
            set(grants.values_list("child_id", flat=True))
            == chosen
            == set(AccessGrant.objects.filter(pk__in=share.grant_ids).values_list("child_id", flat=True))
        )
        assert all(g.expires_at == NOW + dt.timedelta(days=14) for g in grants)
        assert all(can_view_person(personas.inspector, Person(pk=pk)) for pk in chosen)
        assert not any(can_view_person(personas.inspector, Person(pk=pk)) for pk in others)
        assert AuditEvent.objects.filter(action="access_grant.created").count() == len(chosen)
    with time_machine.travel(NOW + dt.timedelta(days=15), tick=False):
        assert not any(can_view_person(personas.inspector, Person(pk=pk)) for pk in chosen)


def test_revoking_a_share_ends_access_now(personas, borough) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        sample = services.case_sample_draw(
            actor=personas.analyst, theme=SampleTheme.RANDOM_OPEN, size=2, reason="Inspection", seed=3
        )
        share = services.case_sample_share(
            actor=personas.analyst, sample=sample, inspector=personas.inspector, expires_at=NOW + dt.timedelta(days=5)
        )
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        services.case_sample_share_revoke(actor=personas.analyst, share=share)
        child_id = sample.members.values_list("child_id", flat=True)[0]
        assert not can_view_person(personas.inspector, Person(pk=child_id))
        assert share.revoked_at is not None


def test_sharing_needs_an_inspector_and_a_short_future_expiry(personas, borough) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        sample = services.case_sample_draw(
            actor=personas.analyst, theme=SampleTheme.RANDOM_OPEN, size=2, reason="x", seed=1
        )
        for inspector, expires in (
            (personas.social_worker, NOW + dt.timedelta(days=1)),
            (personas.inspector, NOW - dt.timedelta(minutes=1)),
            (personas.inspector, NOW + dt.timedelta(days=91)),
        ):
            with pytest.raises(ValidationFailed):
                services.case_sample_share(
                    actor=personas.analyst, sample=sample, inspector=inspector, expires_at=expires
                )
    assert not AccessGrant.objects.exists()


def test_inspection_judgements(personas) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        standard = services.inspection_record(
            actor=personas.analyst, kind=InspectionKind.STANDARD, start_date=D(2023, 5, 8),
            overall_effectiveness="good", help_and_protection="good", children_in_care="good",
            care_leavers="requires_improvement", leaders="good",
        )  # fmt: skip
        assert [label for label, _ in standard.judgements][0] == "Overall effectiveness"
        with pytest.raises(ValidationFailed) as exc:
            services.inspection_record(
                actor=personas.analyst, kind=InspectionKind.MONITORING, start_date=D(2024, 1, 8), leaders="good"
            )
        assert "leaders" in exc.value.errors
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationFailed) as exc:
            services.inspection_record(
                actor=personas.analyst, kind=InspectionKind.STANDARD, start_date=D(2026, 5, 11),
                overall_effectiveness="good",
            )  # fmt: skip
        assert "overall_effectiveness" in exc.value.errors
        later = services.inspection_record(
            actor=personas.analyst, kind=InspectionKind.STANDARD, start_date=D(2026, 5, 11), help_and_protection="good"
        )
        assert later.judgements == [("Help and protection", "Good")]


def _assessment(child: Person, *, referral: dt.date, completed: dt.date) -> None:
    episode = cw.referral_create(actor=None, child=child, referral_date=referral, source="2A", primary_need="N1")
    a = cw.assessment_start(actor=None, episode=episode, start_date=referral)
    cw.assessment_complete(
        actor=None, assessment=a, expected_version=a.version, completed_date=completed, factors=["21"],
        child_seen=True, outcome="nfa",
    )  # fmt: skip


def test_assessment_indicator_reads_the_timescales_engine(personas) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        for referral, completed in (
            (D(2025, 10, 6), D(2025, 10, 20)),  # on time
            (D(2026, 1, 5), D(2026, 1, 26)),  # on time
            (D(2025, 6, 2), D(2025, 9, 15)),  # late: well over 45 working days
            (D(2024, 6, 3), D(2024, 6, 10)),  # on time but more than 12 months ago
        ):
            child = make_child()
            allocate(child, personas.social_worker)
            _assessment(child, referral=referral, completed=completed)
        indicator = INDICATORS["assessments_45wd"]
        reading = indicator.reading(as_of=NOW.date())
        assert (reading.met, reading.total, reading.percent) == (2, 3, 66.7)
        trend = dict(indicator.trend(as_of=NOW.date(), months=6))
        assert trend[D(2025, 10, 1)] == rate(1, 0)
        assert trend[D(2026, 1, 1)] == rate(1, 0)
        assert trend[D(2026, 3, 1)].percent is None


def test_improvement_action_with_indicator(personas) -> None:  # type: ignore[no-untyped-def]
    owner = make_staff(team=personas.team)
    with time_machine.travel(NOW, tick=False):
        action = services.improvement_action_create(
            actor=personas.analyst, title="Timely assessments", owner=owner, due_date=D(2026, 9, 30),
            indicator="assessments_45wd",
        )  # fmt: skip
        services.improvement_action_update(
            actor=personas.analyst, action=action, expected_version=action.version, status="in_progress", rag="green"
        )
        services.improvement_evidence_add(
            actor=personas.analyst, action=action, label="Audit", url="https://intranet.example/audit"
        )
        with pytest.raises(ValidationFailed):
            services.improvement_action_create(
                actor=personas.analyst, title="x", owner=owner, due_date=D(2026, 9, 30), indicator="nope"
            )
    action.refresh_from_db()
    assert (action.status, action.rag, action.version) == ("in_progress", "green", 2)
    assert action.evidence.count() == 1
