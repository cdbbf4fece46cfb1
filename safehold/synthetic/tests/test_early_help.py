"""Early help in the synthetic borough: believable, consistent with the rest of the record, deterministic from the
seed, loaded and flushed with the borough, and enough of it that the demo's Annex A list 2 is not empty."""

from __future__ import annotations

from collections import Counter

import pytest

from safehold.early_help import selectors
from safehold.early_help.models import EarlyHelpEpisode, PartnerOrganisation
from safehold.synthetic.generator import generate_borough
from safehold.synthetic.loader import borough_generate
from safehold.synthetic.state import DEFAULT_AS_OF


def test_early_help_rows_are_consistent_and_deterministic() -> None:
    b = generate_borough(6000, 5)
    rows = b.rows
    episodes = rows["early_help.EarlyHelpEpisode"]
    assert len(episodes) > 50
    assert generate_borough(6000, 5).rows["early_help.EarlyHelpEpisode"] == episodes
    members = {(m["household_id"], m["person_id"]) for m in rows["people.HouseholdMember"]}
    by_id = {e["id"]: e for e in episodes}
    for link in rows["early_help.EpisodeChild"]:
        assert (by_id[link["episode_id"]]["household_id"], link["child_id"]) in members
    contacts = {c["id"]: c for c in rows["casework.Contact"]}
    referrals = {e["id"]: e for e in rows["casework.CINEpisode"]}
    for e in episodes:
        if e["origin"] == "contact":
            assert contacts[e["contact_id"]]["outcome"] == "early_help"
        else:
            assert referrals[e["stepped_down_from_id"]]["closure_date"] <= e["opened_on"] and e["step_down_summary"]
        assert (e["lead_staff_id"] is None) != (e["lead_organisation_id"] is None)
        assert (e["closed_on"] is None) == (e["closure_outcome"] == "")
        if e["stepped_up_to_id"]:
            assert e["closure_outcome"] == "stepped_up"
            assert referrals[e["stepped_up_to_id"]]["referral_date"] == e["closed_on"]
        assert e["closed_on"] is None or e["opened_on"] <= e["closed_on"] <= b.as_of
    outcomes = Counter(e["closure_outcome"] for e in episodes)
    assert {"needs_met", "stepped_up", "disengaged", ""} <= set(outcomes)
    assert Counter(e["origin"] for e in episodes).keys() == {"contact", "step_down"}
    for a in rows["early_help.EarlyHelpAssessment"]:
        ep = by_id[a["episode_id"]]
        assert ep["opened_on"] <= a["start_date"] <= b.as_of
        assert a["completed_date"] is None or a["start_date"] <= a["completed_date"] <= (ep["closed_on"] or b.as_of)
    assert all(0 <= p["score"] <= 10 for p in rows["early_help.GoalProgress"])
    assert rows["early_help.TAFMember"] and rows["early_help.Review"]


@pytest.mark.django_db
def test_loaded_borough_has_annex_a_list2_and_flush_clears_early_help() -> None:
    borough_generate(population=1500, seed=3)
    assert EarlyHelpEpisode.objects.exists() and PartnerOrganisation.objects.exists()
    rows = selectors.annex_a_list2(inspection_date=DEFAULT_AS_OF)
    assert rows and any(r.assessment_start for r in rows)
    borough_generate(population=300, seed=1, flush=True)
    small = generate_borough(300, 1).rows
    assert PartnerOrganisation.objects.count() == len(small["early_help.PartnerOrganisation"])  # the new borough's
    assert EarlyHelpEpisode.objects.count() == len(small.get("early_help.EarlyHelpEpisode", []))


def test_the_borough_is_the_same_whatever_the_chunks() -> None:
    """The loader writes the generator's rows in chunks of 250,000; an in-memory borough takes them in one. Cut
    into chunks of about 2,000 rows instead, a 3,000-child borough has the same number of rows of every kind
    (early help included: each start draws from a stream of its own, not one shared along the chunk order)."""
    from safehold.synthetic.borough import Rows
    from safehold.synthetic.generator import BoroughGenerator

    whole = generate_borough(3000, 5)
    gen = BoroughGenerator(3000, 5, DEFAULT_AS_OF)
    rows = Rows()
    rows.extend_from(gen.workforce_rows())
    chunks = 0
    for chunk in gen.chunks(chunk_rows=2000):
        rows.extend_from(chunk)
        chunks += 1
    assert chunks > 5
    assert {label: len(r) for label, r in rows.items()} == whole.counts()
