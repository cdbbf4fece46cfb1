"""counts(): several querysets' counts in one round trip, each equal to the queryset's own count()."""

from __future__ import annotations

import pytest

from safehold.core.queries import counts
from safehold.core.testing import make_child
from safehold.people.models import Person

pytestmark = pytest.mark.django_db


def test_counts_equal_each_querysets_count_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """Five children, two of them called Ada and one restricted: the figures are 5, 2, 1, 0 (an empty IN list is
    answered without asking the database) and 3 (a sliced queryset counts its slice)."""
    for name in ("Ada", "Ada", "Bea", "Cy", "Di"):
        make_child(given_name=name, restricted=name == "Cy")
    children = Person.objects.filter(is_child_record=True)
    querysets = {
        "all": children.order_by("family_name"),
        "ada": children.filter(given_name="Ada").select_related("merged_into"),
        "restricted": children.filter(restricted=True),
        "none": children.filter(pk__in=[]),
        "first_three": children.order_by("pk")[:3],
    }
    with django_assert_num_queries(1):
        got = counts(**querysets)
    assert got == {"all": 5, "ada": 2, "restricted": 1, "none": 0, "first_three": 3}
    assert got == {name: qs.count() for name, qs in querysets.items()}
    assert counts() == {}
