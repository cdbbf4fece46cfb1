"""Repeated missing (3+ episodes in 90 days) raises a flag on the child and in the team's lists."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template.loader import render_to_string

from safehold.core.testing import allocate, make_child
from safehold.looked_after import selectors
from safehold.looked_after import services as la

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _missing(child, start: dt.datetime) -> None:
    episode = la.missing_episode_record(actor=None, child=child, kind="M", started_at=start)
    la.missing_return_record(actor=None, episode=episode, returned_at=start + dt.timedelta(hours=5))


def test_three_missing_episodes_in_90_days_raise_the_flag(personas) -> None:
    with time_machine.travel(dt.datetime(2025, 6, 30, 12, tzinfo=UTC), tick=False):
        child = make_child()
        allocate(child, personas.social_worker)
        _missing(child, dt.datetime(2025, 3, 1, 20, tzinfo=UTC))  # outside the 90 days
        _missing(child, dt.datetime(2025, 5, 1, 20, tzinfo=UTC))
        _missing(child, dt.datetime(2025, 6, 1, 20, tzinfo=UTC))
        assert not selectors.repeatedly_missing(child=child)
        assert list(selectors.children_repeatedly_missing(user=personas.social_worker)) == []
        _missing(child, dt.datetime(2025, 6, 20, 20, tzinfo=UTC))
        assert selectors.repeatedly_missing(child=child)
        assert list(selectors.children_repeatedly_missing(user=personas.social_worker)) == [child]
        assert list(selectors.children_repeatedly_missing(user=personas.other_worker)) == []
        html = render_to_string("looked_after/_child_summary.html",
                                {"la_summary": selectors.child_summary(child=child)})
        assert "Repeatedly missing: 3 missing or away episodes in the last 90 days" in html
        assert "Return home interview" in html  # returned, interview not yet offered


def test_summary_is_empty_for_a_child_with_nothing_recorded() -> None:
    child = make_child()
    summary = selectors.child_summary(child=child)
    assert not summary.has_anything
    assert render_to_string("looked_after/_child_summary.html", {"la_summary": summary}).strip() == ""
