"""Closing a case stops the clocks of everything still open in it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from safehold.casework import services as cw
from safehold.core.testing import make_child
from safehold.timescales.models import Deadline

pytestmark = pytest.mark.django_db

D = dt.date


def test_closing_an_episode_stops_an_enquiry_that_never_reached_conference():
    """Referral Mon 6 Jan 2025; strategy discussion Wed 8 Jan starts the s47, so the ICPC is due 15 working
    days later, Wed 29 Jan (9,10,13–17,20–24,27–29 Jan). The case closes on Mon 20 Jan, before that date:
    the duty lapses with the case and no ICPC deadline is left open (nor shown as overdue in June)."""
    with time_machine.travel(dt.datetime(2025, 1, 20, 12, tzinfo=dt.UTC), tick=False):
        child = make_child()
        episode = cw.referral_create(
            actor=None, child=child, referral_date=D(2025, 1, 6), source="6", primary_need="N1"
        )
        cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2025, 1, 8), start_section47=True)
        icpc = Deadline.objects.get(child=child, rule_code="icpc")
        assert icpc.due_date == D(2025, 1, 29) and icpc.state == "due"
        episode.refresh_from_db()
        cw.episode_close(
            actor=None, episode=episode, expected_version=episode.version, closure_date=D(2025, 1, 20), reason="RC7"
        )
    assert not Deadline.objects.filter(child=child, rule_code="icpc", met_on__isnull=True, stopped_on__isnull=True)


def test_closing_an_episode_with_an_overdue_enquiry_keeps_the_miss_visible():
    """Same enquiry, but the case closes on Mon 3 Feb 2025, after the ICPC fell due (Wed 29 Jan): the missed
    deadline stays on record, marked as stopped on 3 Feb, and leaves the open worklists."""
    with time_machine.travel(dt.datetime(2025, 2, 3, 12, tzinfo=dt.UTC), tick=False):
        child = make_child()
        episode = cw.referral_create(
            actor=None, child=child, referral_date=D(2025, 1, 6), source="6", primary_need="N1"
        )
        cw.strategy_discussion_record(actor=None, episode=episode, held_on=D(2025, 1, 8), start_section47=True)
        episode.refresh_from_db()
        cw.episode_close(
            actor=None, episode=episode, expected_version=episode.version, closure_date=D(2025, 2, 3), reason="RC7"
        )
    icpc = Deadline.objects.get(child=child, rule_code="icpc")
    assert icpc.met_on is None and icpc.stopped_on == D(2025, 2, 3) and icpc.due_date == D(2025, 1, 29)
