"""Repeated missing (M8): 3 or more missing or away episodes in the last 90 days (a local threshold held with its
source) flag the child on their record and care page and list them for the people who may see them. The clock
is frozen so the 90-day window is exact."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.accounts.testing import verified_force_login  # noqa: F401  (sessions pass two-factor)
from safehold.core.testing import allocate, make_child
from safehold.looked_after import selectors
from safehold.looked_after import services as la

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 6, 30, 11, 0, tzinfo=dt.UTC)
LIST = "/care/missing/repeated/"


def _episodes(worker, child, starts: list[dt.datetime]) -> None:  # type: ignore[no-untyped-def]
    for start in starts:
        episode = la.missing_episode_record(actor=worker, child=child, kind="M", started_at=start)
        la.missing_return_record(actor=worker, episode=episode, returned_at=start + dt.timedelta(hours=5))


def _at(days_ago: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days_ago)


def test_threshold_is_data_with_a_source() -> None:
    assert (selectors.REPEAT_MISSING_COUNT, selectors.REPEAT_MISSING_DAYS) == (3, 90)
    assert "DfE" in selectors.REPEAT_MISSING_SOURCE


def test_three_in_90_days_flags_the_child_and_lists_them(client, personas) -> None:
    worker = personas.social_worker
    flagged, old, two = make_child(), make_child(), make_child()
    for child in (flagged, old, two):
        allocate(child, worker)
    with time_machine.travel(NOW - dt.timedelta(days=200), tick=False):
        _episodes(worker, old, [_at(230), _at(220), _at(210)])
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
        _episodes(worker, flagged, [_at(89), _at(40), _at(3)])
        _episodes(worker, two, [_at(50), _at(10)])
        _episodes(worker, old, [_at(5)])
    with time_machine.travel(NOW, tick=False):
        client.force_login(worker)
        body = client.get(LIST).content.decode()
        assert flagged.full_name in body
        assert old.full_name not in body and two.full_name not in body
        assert "Source: Local threshold" in body
        record = client.get(f"/children/{flagged.pk}/").content.decode()
        assert "Repeatedly missing: 3 missing or away episodes in the last 90 days" in record
        assert "Repeatedly missing" not in client.get(f"/children/{two.pk}/").content.decode()
        care = client.get(f"/care/children/{flagged.pk}/").content.decode()
        assert 'id="repeat-missing"' in care
        # Another worker who may not see the child does not get them in the list.
        client.force_login(personas.other_worker)
        assert flagged.full_name not in client.get(LIST).content.decode()
    # A week later the oldest episode is 96 days old: the flag drops.
    with time_machine.travel(NOW + dt.timedelta(days=7), tick=False):
        client.force_login(worker)
        assert flagged.full_name not in client.get(LIST).content.decode()
        assert not selectors.repeatedly_missing(child=flagged)
