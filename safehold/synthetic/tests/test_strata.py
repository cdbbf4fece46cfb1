"""Stratified draws: calibrated shares without the sampling noise of independent draws."""

from __future__ import annotations

import random

import pytest

from safehold.synthetic.borough import Strata, weighted


def _hits(strata: Strata, stratum: str, p: float, n: int) -> int:
    return sum(strata.below(stratum, p) for _ in range(n))


@pytest.mark.parametrize("seed", range(1, 21))
def test_a_share_is_met_far_closer_than_by_independent_draws(seed: int) -> None:
    # 4% of 400 care leaver contacts: 16, where independent draws give 16 +- 4 (one standard error).
    assert abs(_hits(Strata(seed, "t", block=25, grow=False), "no", 0.04, 400) - 16) <= 1
    # 3% of 10,000 open cases: 300 +- 17 by independent draws.
    assert abs(_hits(Strata(seed, "t"), "unallocated", 0.03, 10_000) - 300) <= 8
    # Small strata of a small borough stay close too: 30% of 50.
    assert abs(_hits(Strata(seed, "t"), "icpc", 0.3, 50) - 15) <= 3


def test_independent_draws_do_wander_so_the_test_above_can_fail() -> None:
    rng = random.Random(7)
    misses = [abs(sum(rng.random() < 0.03 for _ in range(10_000)) - 300) for _ in range(20)]
    assert max(misses) > 8


@pytest.mark.parametrize("seed", range(1, 11))
def test_golden_sequence_meets_a_share_in_any_number_of_draws(seed: int) -> None:
    strata = Strata(seed, "tenure", golden=True)
    hits = 0
    for n in range(1, 1001):
        hits += strata.below("permanent", 0.077)
        assert abs(hits - 0.077 * n) < 2.5


def test_same_seed_and_label_give_the_same_values_other_labels_other_values() -> None:
    def values(seed: int, label: str) -> list[float]:
        s = Strata(seed, label)
        return [s.uniform(k) for k in ("a", "b", "a", ("c", 1)) for _ in range(40)]

    assert values(3, "path") == values(3, "path")
    assert values(3, "path") != values(3, "event")
    assert values(3, "path") != values(4, "path")
    assert all(0.0 <= u < 1.0 for u in values(3, "path"))


def test_successive_values_show_no_pattern() -> None:
    # Successive decisions of one family come from the same stratum: they must not be tied to each other.
    s = Strata(1, "chain")
    us = [s.uniform("rerefer") for _ in range(20_000)]
    both = sum(1 for a, b in zip(us, us[1:], strict=False) if a < 0.5 and b < 0.5) / (len(us) - 1)
    assert abs(both - 0.25) < 0.02


def test_strata_do_not_share_values() -> None:
    s = Strata(1, "x")
    a = [s.uniform("a") for _ in range(16)]
    b = [s.uniform("b") for _ in range(16)]
    # each stratum's first block holds one value in each sixteenth of [0, 1)
    assert sorted(int(u * 16) for u in a) == list(range(16))
    assert sorted(int(u * 16) for u in b) == list(range(16))
    assert a != b


def test_weighted_inverts_the_cumulative_weights() -> None:
    options = (("nfa", 7.0), ("s47", 30.0), ("cin", 63.0))
    assert weighted(0.0, options) == "nfa"
    assert weighted(0.069, options) == "nfa"
    assert weighted(0.071, options) == "s47"
    assert weighted(0.5, options) == "cin"
    assert weighted(0.999999, options) == "cin"
