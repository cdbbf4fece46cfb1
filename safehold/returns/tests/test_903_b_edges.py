"""The passing side of the group B rules' boundaries (rules/b_episodes.py, rules/b_locations.py): each test puts a
child exactly on the edge a rule draws and checks the rule stays quiet there, then steps over it and checks it
fires. The failing fixtures themselves are in cases_903_b_episodes.py."""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

import copy

from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain import validate
from safehold.returns.tests.cases_903_b_episodes import born, t3_stay
from safehold.returns.tests.support_903 import BASE, C, L, Mutation, add, edit


def _flags(code: str, mutate: Mutation) -> set[str]:
    ret = copy.deepcopy(BASE)
    mutate(ret)
    return {f.child_id for f in validate(ret) if f.rule_code == code}


def test_372_custody_from_the_tenth_birthday() -> None:
    """C's first episode starts 27/05/2024: born 27/05/2014 he is 10 that day (allowed); a day later, not yet."""
    assert C not in _flags("372", lambda r: (born(r, C, "27/05/2014"), edit(r, "Episodes", C, 0, PLACE="R5")))
    assert C in _flags("372", lambda r: (born(r, C, "28/05/2014"), edit(r, "Episodes", C, 0, PLACE="R5")))


def test_375_hospital_stay_of_exactly_six_weeks() -> None:
    """A T1 stay from 24/06/2025 may end 42 days later (05/08/2025), not 43."""

    def stay(end: str) -> Mutation:
        return lambda r: edit(r, "Episodes", C, 1, PLACE="T1", DEC=end)

    assert C not in _flags("375", stay("05/08/2025"))
    assert C in _flags("375", stay("06/08/2025"))


def test_377_counts_within_twelve_months_only() -> None:
    """Three T3 stays are allowed when the third starts on the first's anniversary or later."""

    def three(third: str) -> Mutation:
        return lambda r: (
            add(r, "Episodes", t3_stay(C, "01/01/2025", "03/01/2025", "TW1 1AX")),
            add(r, "Episodes", t3_stay(C, "01/02/2025", "03/02/2025", "TW1 1AY")),
            add(r, "Episodes", t3_stay(C, third, third, "TW1 1AS")),
        )

    assert C not in _flags("377", three("01/01/2026"))
    assert C in _flags("377", three("31/12/2025"))


def test_383_return_to_the_same_placement_passes() -> None:
    """After a hospital stay, C goes back to the U6 placement at TW1 1AZ with RNE P: nothing to flag."""

    def back(place: str, postcode: str) -> Mutation:
        def mutate(r: t.Return903) -> None:
            edit(r, "Episodes", C, 1, PLACE="T1", PLACE_PROVIDER="", URN="", REC="X1")
            add(
                r,
                "Episodes",
                t.Episode(C, "31/08/2025", "P", "C2", "N1", place, "PR1", "", "", "", "TW1 1AW", postcode, "SC000002"),
            )

        return mutate

    assert C not in _flags("383", back("U6", "TW1 1AZ"))
    assert C in _flags("383", back("U6", "TW1 1AR"))


def test_388_x1_needs_a_same_day_continuation() -> None:
    """The base C: X1 on 24/06/2025 and the next episode starts that day (quiet); start it a day later (fires)."""
    assert C not in _flags("388", lambda r: None)
    assert C in _flags("388", lambda r: edit(r, "Episodes", C, 1, DECOM="25/06/2025"))


def test_391_ages_17_to_21_during_the_year() -> None:
    """17th birthday on 31 March 2026 or 22nd birthday on 2 April 2025: 17 / 21 for part of the year (quiet)."""
    assert L not in _flags("391", lambda r: born(r, L, "31/03/2009"))
    assert L in _flags("391", lambda r: born(r, L, "01/04/2009"))
    assert L not in _flags("391", lambda r: born(r, L, "02/04/2003"))
    assert L in _flags("391", lambda r: born(r, L, "01/04/2003"))


def test_407_special_guardianship_on_the_eighteenth_birthday() -> None:
    """C's episode ends 31/08/2025: an SGO that day flags a child born 31/08/2007
    (18 that day), not one a day younger."""
    assert C in _flags("407", lambda r: (born(r, C, "31/08/2007"), edit(r, "Episodes", C, 1, REC="E45")))
    assert C not in _flags("407", lambda r: (born(r, C, "01/09/2007"), edit(r, "Episodes", C, 1, REC="E45")))


def test_392c_postcode_forms() -> None:
    """Postcodes without the space, or in lower case, are well formed; a bare outward code is not."""
    assert C not in _flags("392c", lambda r: edit(r, "Episodes", C, 1, HOME_POST="tw11aw", PL_POST="SW130DJ"))
    assert C in _flags("392c", lambda r: edit(r, "Episodes", C, 1, PL_POST="SW13"))
