"""Services and selectors: opening from a contact, consent rules, step-up and step-down, visibility, Annex A."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.casework import services as casework
from safehold.casework.models import CINEpisode
from safehold.core.exceptions import ValidationFailed
from safehold.early_help import selectors, services
from safehold.early_help.models import EarlyHelpEpisode
from safehold.early_help.tests.builders import (
    OPENED,
    assessed,
    fingerprint,
    open_episode,
    organisation,
    partner_lead,
)
from safehold.frontend.tests.journey import NOW, build
from safehold.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def test_open_from_contact_makes_a_family_episode(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    case, episode = open_episode(sw)
    assert episode.household.members.filter(person=case.child).exists()
    assert list(episode.children.values_list("child_id", flat=True)) == [case.child.pk]
    assert episode.reason.startswith("Level 2")
    with pytest.raises(ValidationFailed, match="already been opened"):
        services.early_help_open_from_contact(actor=sw, contact=case["contact"], opened_on=OPENED)


def test_only_an_early_help_decision_opens_early_help(personas) -> None:  # type: ignore[no-untyped-def]
    case = build("decided", personas.social_worker)  # decided as a referral
    before = fingerprint()
    with pytest.raises(ValidationFailed, match="decided as early help"):
        services.early_help_open_from_contact(actor=personas.social_worker, contact=case["contact"],
                                              opened_on=OPENED)
    assert fingerprint() == before


def test_consent_is_needed_before_assessment_goals_and_team(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    _, episode = open_episode(sw, consent=False)
    with pytest.raises(ValidationFailed, match="consent"):
        services.assessment_start(actor=sw, episode=episode, start_date=OPENED, organisation=organisation())
    with pytest.raises(ValidationFailed, match="consent"):
        services.goal_add(actor=sw, episode=episode, text="x")
    services.consent_record(actor=sw, episode=episode, given_by="Jo", given_on=OPENED, scopes=["lead"])
    services.goal_add(actor=sw, episode=episode, text="x")
    with pytest.raises(ValidationFailed, match="team around the family"):
        services.taf_member_add(actor=sw, episode=episode, name="A", agency="B")
    with pytest.raises(ValidationFailed):
        services.consent_record(actor=sw, episode=episode, given_by="", given_on=OPENED, scopes=[])
    consent = episode.consents.get()
    before = fingerprint()
    with pytest.raises(ValidationFailed, match="who withdrew"):
        services.consent_withdraw(actor=sw, consent=consent, withdrawn_on=OPENED, withdrawn_by=" ")
    with pytest.raises(ValidationFailed, match="still agrees"):
        services.consent_withdraw(actor=sw, consent=consent, withdrawn_on=OPENED, withdrawn_by="Jo", scopes=["team"])
    assert fingerprint() == before
    services.consent_withdraw(actor=sw, consent=consent, withdrawn_on=OPENED, withdrawn_by="Jo")
    assert services.current_scopes(episode) == set()
    with pytest.raises(ValidationFailed, match="already been withdrawn"):
        services.consent_withdraw(actor=sw, consent=consent, withdrawn_on=OPENED, withdrawn_by="Jo")
    with pytest.raises(ValidationFailed, match="consent"):
        services.goal_add(actor=sw, episode=episode, text="y")


def test_partner_lead_sees_only_their_episode_limited_without_consent(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    lead = partner_lead()
    case, mine = open_episode(sw, lead_user=lead, consent=False)
    _, other = open_episode(sw)
    assert list(EarlyHelpEpisode.objects.visible_to(lead)) == [mine]
    assert not Person.objects.visible_to(lead).exists()  # nothing of any social-care record
    view = selectors.episode_view(user=lead, episode=mine)
    assert view.limited and not view.can_see_social_care
    services.consent_record(actor=lead, episode=mine, given_by="Jo", given_on=OPENED, scopes=["lead"])
    assert not selectors.episode_view(user=lead, episode=mine).limited
    assert mine.lead_organisation is not None and mine.lead_organisation.name == "Oak Primary School"
    family = selectors.family_view(user=lead, household_pk=mine.household_id)
    assert family.episodes == [mine] and all(row.social_care is None for row in family.children)
    assert not EarlyHelpEpisode.objects.visible_to(personas.councillor).exists()
    assert not EarlyHelpEpisode.objects.visible_to(personas.other_worker).exists()
    assert set(EarlyHelpEpisode.objects.visible_to(personas.head_of_service)) == {mine, other}


def test_review_scores_every_goal_0_to_10(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    _, episode = assessed(sw)
    goal = episode.goals.get()
    with pytest.raises(ValidationFailed, match="0 to 10"):
        services.review_record(actor=sw, episode=episode, held_on=dt.date(2025, 6, 27), scores={goal.pk: 11})
    with pytest.raises(ValidationFailed, match="every goal"):
        services.review_record(actor=sw, episode=episode, held_on=dt.date(2025, 6, 27), scores={})
    review = services.review_record(actor=sw, episode=episode, held_on=dt.date(2025, 6, 27), scores={goal.pk: 6})
    assert review.progress.get().score == 6


def test_step_up_carries_the_history_into_the_referral(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    case, episode = assessed(sw)
    goal = episode.goals.get()
    services.review_record(actor=sw, episode=episode, held_on=dt.date(2025, 6, 27), scores={goal.pk: 3})
    cin = services.early_help_step_up(actor=sw, episode=episode, child=case.child, reason="Disclosure at school",
                                      decided_by=sw.staff)
    assert cin.referral_source == "5D" and cin.contact is not None
    summary = cin.contact.summary
    for part in ("Disclosure at school", "Attendance; parenting support", "Sam goes to school every day (3/10)",
                 "Ms Head (Oak Primary School)", "Reviews held: 1"):
        assert part in summary
    episode.refresh_from_db()
    assert episode.closure_outcome == "stepped_up" and episode.stepped_up_to == cin


def test_step_up_refused_writes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    case, episode = assessed(sw)
    casework.referral_create(actor=sw, child=case.child, referral_date=dt.date(2025, 6, 25), source="2A")
    before = fingerprint()
    with pytest.raises(ValidationFailed, match="already has an open"):
        services.early_help_step_up(actor=sw, episode=episode, child=case.child, reason="x")
    assert fingerprint() == before


def test_step_down_from_a_closed_cin_episode(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    case = build("completed", sw)
    cin: CINEpisode = case["episode"]
    with pytest.raises(ValidationFailed, match="Close the child-in-need"):
        services.early_help_step_down(actor=sw, cin_episode=cin, summary="x", opened_on=dt.date(2025, 6, 25))
    casework.episode_close(actor=sw, episode=cin, expected_version=cin.version, closure_date=dt.date(2025, 6, 24),
                           reason="RC9")
    lead = partner_lead()
    ep = services.early_help_step_down(actor=sw, cin_episode=cin, summary="Dad's drinking is the worry",
                                       opened_on=dt.date(2025, 6, 25), lead_user=lead)
    assert ep.origin == "step_down" and ep.stepped_down_from == cin
    entries = selectors.chronology_entries(child=case.child)
    assert entries[0].title == "Stepped down to early help"


def test_measure_counts_referrals_within_12_months_of_closure(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    case, episode = assessed(sw)
    services.episode_close(actor=sw, episode=episode, expected_version=episode.version,
                           closed_on=dt.date(2025, 6, 21), outcome="needs_met")
    casework.referral_create(actor=sw, child=case.child, referral_date=dt.date(2025, 6, 28), source="2A")
    m = selectors.step_up_measure(closed_from=dt.date(2024, 7, 1), closed_to=dt.date(2025, 6, 30))
    assert (m.closed, m.stepped_up_within_window) == (1, 1)


def test_annex_a_list2_rows_and_worklist(personas) -> None:  # type: ignore[no-untyped-def]
    sw = personas.social_worker
    case, episode = assessed(sw)
    _, no_assessment = open_episode(sw)
    rows = selectors.annex_a_list2(inspection_date=dt.date(2025, 6, 30))
    by_child = {r.person_id: r for r in rows}
    row = by_child[case.child.pk]
    assert (row.child_id, row.assessment_start, row.assessment_completed, row.organisation) == (
        case.child.la_child_id, OPENED, dt.date(2025, 6, 20), "Oak Primary School")
    other = [r for r in rows if r.person_id != case.child.pk]
    assert len(other) == 1 and other[0].assessment_start is None
    work = selectors.worklist(user=sw)
    assert {(w.episode.pk, w.due.rule.code) for w in work} == {(episode.pk, "eh_review")}
    assert no_assessment.is_open


def _history(sw, *, opened, started=None, completed=None, closed=None, org="Oak Primary School"):  # type: ignore[no-untyped-def]
    """An early help family with its dates set (written through the services at each date)."""
    from safehold.core.testing import make_child

    child = make_child(given_name="Kit", family_name=f"Row{opened:%m%d}")
    contact = casework.contact_record(actor=sw, child=child, source="2A",
                                      received_at=dt.datetime.combine(opened, dt.time(9), tzinfo=dt.UTC))
    casework.contact_decide(actor=sw, contact=contact, expected_version=contact.version, outcome="early_help",
                            threshold_level="2", reason="Level 2",
                            decided_at=dt.datetime.combine(opened, dt.time(10), tzinfo=dt.UTC))
    episode = services.early_help_open_from_contact(actor=sw, contact=contact, opened_on=opened)
    services.consent_record(actor=sw, episode=episode, given_by="Parent", given_on=opened, scopes=["lead"])
    if started:
        a = services.assessment_start(actor=sw, episode=episode, start_date=started, organisation=organisation(org))
        if completed:
            services.assessment_complete(actor=sw, assessment=a, expected_version=a.version,
                                         completed_date=completed, needs="Needs")
    if closed:
        episode.refresh_from_db()
        services.episode_close(actor=sw, episode=episode, expected_version=episode.version, closed_on=closed,
                               outcome="needs_met")
    return child


def test_annex_a_list2_for_a_past_inspection_date(personas) -> None:  # type: ignore[no-untyped-def]
    """Hand-worked: inspection date 31 Dec 2024, 6-month window from 30 Jun 2024 (add_months(-6))."""
    sw = personas.social_worker
    d = dt.date
    # A: closed AFTER the date (2025) with no assessment in the window: open on 31 Dec 2024 -> current EH row,
    #    with its latest assessment started by then (started Jan 2024, completed May 2024).
    a = _history(sw, opened=d(2024, 1, 8), started=d(2024, 1, 10), completed=d(2024, 5, 1), closed=d(2025, 3, 1))
    # B: assessment started BEFORE the window, completed inside it, episode closed (Sep 2024): included.
    b = _history(sw, opened=d(2024, 3, 4), started=d(2024, 3, 5), completed=d(2024, 7, 15), closed=d(2024, 9, 2),
                 org="Elm Family Hub")
    # C: assessment and closure both before the window: left out.
    _history(sw, opened=d(2023, 10, 2), started=d(2023, 10, 3), completed=d(2023, 12, 1), closed=d(2024, 2, 1))
    # D: opened and assessed after the date: left out (it had not happened yet).
    later = _history(sw, opened=d(2025, 1, 6), started=d(2025, 1, 7))
    # E: open on the date, no assessment: a blank row.
    e = _history(sw, opened=d(2024, 11, 4))
    # F: closed ON the date, assessment before the window: no longer open on the date -> left out.
    _history(sw, opened=d(2023, 11, 6), started=d(2023, 11, 7), completed=d(2024, 1, 5), closed=d(2024, 12, 31))
    rows = selectors.annex_a_list2(inspection_date=d(2024, 12, 31))
    got = sorted((r.person_id, r.assessment_start, r.assessment_completed, r.organisation) for r in rows)
    assert got == sorted([
        (a.pk, d(2024, 1, 10), d(2024, 5, 1), "Oak Primary School"),
        (b.pk, d(2024, 3, 5), d(2024, 7, 15), "Elm Family Hub"),
        (e.pk, None, None, ""),
    ])
    assert {r.child_id for r in rows} == {a.la_child_id, b.la_child_id, e.la_child_id}
    # On 30 Jun 2025 (window from 30 Dec 2024): A closed 1 Mar 2025 with its assessment long before -> out;
    # D's assessment started in the window (in progress) -> in; E still open with no assessment -> blank row.
    got = sorted((r.person_id, r.assessment_start, r.assessment_completed, r.organisation)
                 for r in selectors.annex_a_list2(inspection_date=d(2025, 6, 30)))
    assert got == sorted([(later.pk, d(2025, 1, 7), None, "Oak Primary School"), (e.pk, None, None, "")])


def test_annex_a_list2_reads_only_the_columns_it_needs(personas) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sw = personas.social_worker
    _history(sw, opened=dt.date(2025, 1, 6), started=dt.date(2025, 1, 7))
    _history(sw, opened=dt.date(2025, 2, 3))
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.annex_a_list2(inspection_date=dt.date(2025, 6, 30))
    assert len(rows) == 2 and len(queries) <= 4
    for q in queries:
        sql = q["sql"]
        assert '"people_person"."given_name"' not in sql and '"people_person"."date_of_birth"' not in sql
        assert '"early_help_earlyhelpepisode"."step_down_summary"' not in sql
