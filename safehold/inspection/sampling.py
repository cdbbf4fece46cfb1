"""Case sampling: who each theme can draw from (selectors), and the reproducible draw (pure).

A draw is reproducible: the candidates are the theme's children on the date, in id order, that the person
drawing may see; ``random.Random(seed).sample`` picks from them. Same record, theme, date and seed: same
children in the same order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from safehold.casework.choices import ContactOutcome
from safehold.casework.models import ChildProtectionPlan, CINEpisode, Contact
from safehold.inspection.annex_a.domain import months_before
from safehold.inspection.models import SampleTheme
from safehold.looked_after.models import CareEpisode, PeriodOfCare
from safehold.people.models import Person
from safehold.workforce.models import Allocation


def draw(candidates: Sequence[int], *, size: int, seed: int) -> list[int]:
    """``size`` of ``candidates`` (all of them when fewer), in drawn order; deterministic for a seed."""
    ordered = sorted(set(candidates))
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


def _open_case_ids(as_of: dt.date) -> set[int]:
    cin = CINEpisode.objects.filter(referral_date__lte=as_of).filter(
        Q(closure_date__isnull=True) | Q(closure_date__gt=as_of)
    )
    cla = PeriodOfCare.objects.filter(start_date__lte=as_of).filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
    return set(cin.values_list("child_id", flat=True)) | set(cla.values_list("child_id", flat=True))


def _random_open(as_of: dt.date) -> set[int]:
    return _open_case_ids(as_of)


def _cp_over_18_months(as_of: dt.date) -> set[int]:
    started_before = months_before(as_of, 18)
    plans = ChildProtectionPlan.objects.filter(start_date__lt=started_before).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=as_of)
    )
    return set(plans.values_list("episode__child_id", flat=True))


def _recent_nfa_contacts(as_of: dt.date) -> set[int]:
    since = timezone.make_aware(dt.datetime.combine(months_before(as_of, 3), dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    contacts = Contact.objects.filter(outcome=ContactOutcome.NFA, decided_at__gte=since, decided_at__lt=until)
    return set(contacts.values_list("child_id", flat=True))


def _cla_placement_moves(as_of: dt.date) -> set[int]:
    since = months_before(as_of, 12)
    looked_after = PeriodOfCare.objects.filter(start_date__lte=as_of).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=as_of)
    )
    episodes = (
        CareEpisode.objects.filter(child_id__in=looked_after.values("child_id"), start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .exclude(reason_new_episode="L")
        .values_list("child_id", flat=True)
    )
    counts = Counter(episodes)
    return {cid for cid, n in counts.items() if n >= 3}


def _repeat_referrals(as_of: dt.date) -> set[int]:
    since = months_before(as_of, 12)
    counts = Counter(
        CINEpisode.objects.filter(referral_date__gte=since, referral_date__lte=as_of).values_list("child_id", flat=True)
    )
    return {cid for cid, n in counts.items() if n >= 3}


def _unallocated(as_of: dt.date) -> set[int]:
    allocated = Allocation.objects.filter(start_date__lte=as_of, worker__isnull=False).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=as_of)
    )
    return _open_case_ids(as_of) - set(allocated.values_list("child_id", flat=True))


THEMES: dict[str, Callable[[dt.date], set[int]]] = {
    SampleTheme.RANDOM_OPEN: _random_open,
    SampleTheme.CP_OVER_18_MONTHS: _cp_over_18_months,
    SampleTheme.RECENT_NFA_CONTACTS: _recent_nfa_contacts,
    SampleTheme.CLA_PLACEMENT_MOVES: _cla_placement_moves,
    SampleTheme.REPEAT_REFERRALS: _repeat_referrals,
    SampleTheme.UNALLOCATED: _unallocated,
}


def candidates(*, user: Any, theme: str, as_of: dt.date) -> list[int]:
    """The theme's children on ``as_of`` that ``user`` may see, in id order."""
    ids = THEMES[theme](as_of)
    visible = Person.objects.visible_to(user).children().filter(pk__in=sorted(ids)) if len(ids) < 20000 else None
    if visible is None:
        allowed = set(Person.objects.visible_to(user).children().values_list("pk", flat=True))
        return sorted(ids & allowed)
    return sorted(visible.values_list("pk", flat=True))
