"""Tests for safehold.people.domain (names, addresses, duplicate matching).

Pure Python; runs without Django.  All people here are synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehold.core.identifiers import is_valid_nhs_number, is_valid_uk_postcode, make_nhs_number
from safehold.people.domain.addresses import Address, make_address, make_postcode
from safehold.people.domain.matching import (
    DUPLICATE_THRESHOLD,
    PersonFacts,
    blocking_keys,
    candidate_pairs,
    duplicate_score,
    fuzzy_name_similarity,
    jaro_similarity,
    make_duplicate_variant,
    names_equivalent,
    soundex,
)
from safehold.people.domain.names import (
    BACKGROUNDS,
    ETHNICITY_CODES,
    ETHNICITY_DISTRIBUTION,
    make_ethnicity_code,
    make_name,
)

seeds = st.integers(min_value=0, max_value=2**32 - 1)
ALL_GIVEN = {n for b in BACKGROUNDS.values() for n in (*b.male, *b.female)}

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def test_name_pools_are_large_and_distinct() -> None:
    for bg in BACKGROUNDS.values():
        for pool in (bg.male, bg.female, bg.family):
            assert len(pool) >= 40, bg.key
            assert len(set(pool)) == len(pool), bg.key


def test_distribution_covers_every_code() -> None:
    assert set(ETHNICITY_DISTRIBUTION) == set(ETHNICITY_CODES)
    assert len(ETHNICITY_CODES) == 20
    assert all(w > 0 for w in ETHNICITY_DISTRIBUTION.values())


def test_make_name_is_deterministic() -> None:
    def run(seed: int) -> list[tuple[str, str]]:
        rng = random.Random(seed)
        return [make_name(rng, s, c) for c in ETHNICITY_CODES for s in ("M", "F", "U")]

    assert run(7) == run(7)
    assert run(7) != run(8)


@given(seeds, st.sampled_from(ETHNICITY_CODES), st.sampled_from(["M", "F", "U", "m", "f"]))
def test_make_name_format(seed: int, code: str, sex: str) -> None:
    given_name, family = make_name(random.Random(seed), sex, code)
    assert given_name in ALL_GIVEN
    assert family and family == family.strip()
    assert all(ch.isalpha() or ch in " -'" for ch in given_name + family)


def test_make_name_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError):
        make_name(random.Random(1), "X", "WBRI")
    with pytest.raises(ValueError):
        make_name(random.Random(1), "M", "ZZZZ")


def test_names_follow_sex_and_background() -> None:
    rng = random.Random(3)
    wbri = BACKGROUNDS["white_british"]
    for _ in range(200):
        g, f = make_name(rng, "F", "WBRI")
        assert g in wbri.female and f in wbri.family
        g, _ = make_name(rng, "M", "ABAN")
        assert g in BACKGROUNDS["bangladeshi"].male
    # Polish family names take the feminine form for girls.
    fam = {make_name(rng, "F", "WOTH")[1] for _ in range(400)}
    assert not any(f.endswith("ski") for f in fam)


def test_borough_looks_varied() -> None:
    rng = random.Random(11)
    people = [make_name(rng, rng.choice("MF"), make_ethnicity_code(rng)) for _ in range(2000)]
    assert len(set(people)) > 1800
    assert len({f for _, f in people}) > 400


# ---------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------


def test_make_address_is_deterministic() -> None:
    a = [make_address(random.Random(5)) for _ in range(2)]
    assert a[0] == a[1]
    assert make_address(random.Random(5)) != make_address(random.Random(6))


@given(seeds)
def test_address_format(seed: int) -> None:
    addr = make_address(random.Random(seed))
    assert isinstance(addr, Address)
    assert addr.town == "London"
    assert is_valid_uk_postcode(addr.postcode)
    outward = addr.postcode.split()[0]
    assert outward[0] == "E" and 1 <= int(outward[1:]) <= 20
    if addr.line1.startswith("Flat "):
        assert ", " in addr.line1 and addr.line2
    else:
        assert addr.line1[0].isdigit() and addr.line2 == ""
    assert addr.lines()[-1] == addr.postcode


@given(seeds, st.sampled_from(["E", "N", "SE", "EC", "nw"]))
def test_postcode_areas(seed: int, area: str) -> None:
    pc = make_postcode(random.Random(seed), area)
    assert is_valid_uk_postcode(pc) and pc.startswith(area.upper())


def test_bad_postcode_area() -> None:
    with pytest.raises(ValueError):
        make_postcode(random.Random(1), "Q")
    with pytest.raises(ValueError):
        make_postcode(random.Random(1), "E1")


def test_address_is_frozen() -> None:
    addr = make_address(random.Random(1))
    with pytest.raises(AttributeError):
        addr.town = "Leeds"  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Jaro-Winkler and phonetic keys
# ---------------------------------------------------------------------------


def test_jaro_winkler_martha() -> None:
    # MARTHA / MARHTA: 6 matches; T and H are out of order -> 2 half-transpositions, t = 1
    # Jaro = (6/6 + 6/6 + (6-1)/6) / 3 = 0.9444
    # common prefix MAR = 3 -> 0.9444 + 3 * 0.1 * (1 - 0.9444) = 0.9611
    assert jaro_similarity("MARTHA", "MARHTA") == pytest.approx(0.9444, abs=1e-4)
    assert fuzzy_name_similarity("MARTHA", "MARHTA") == pytest.approx(0.961, abs=1e-3)


def test_jaro_winkler_dwayne() -> None:
    # DWAYNE / DUANE: window = 6//2 - 1 = 2; matches D A N E = 4, no transpositions
    # Jaro = (4/6 + 4/5 + 4/4) / 3 = 0.8222 ; prefix D = 1 -> 0.8222 + 0.1 * 0.1778 = 0.84
    assert fuzzy_name_similarity("DWAYNE", "DUANE") == pytest.approx(0.84, abs=1e-3)


def test_jaro_winkler_dixon() -> None:
    # DIXON / DICKSONX: window = 8//2 - 1 = 3; matches D I O N = 4, no transpositions
    # Jaro = (4/5 + 4/8 + 4/4) / 3 = 0.7667 ; prefix DI = 2 -> 0.7667 + 0.2 * 0.2333 = 0.8133
    assert fuzzy_name_similarity("DIXON", "DICKSONX") == pytest.approx(0.813, abs=1e-3)


def test_jaro_winkler_basics() -> None:
    assert fuzzy_name_similarity("Smith", "SMITH") == 1.0
    assert fuzzy_name_similarity("O'Brien", "obrien") == 1.0
    assert fuzzy_name_similarity("Zoë", "Zoe") == 1.0
    assert fuzzy_name_similarity("", "Smith") == 0.0
    assert fuzzy_name_similarity("ABC", "XYZ") == 0.0
    assert fuzzy_name_similarity("Begum", "Khatun") < 0.6


@given(st.text(max_size=12), st.text(max_size=12))
def test_jaro_winkler_bounds_and_symmetry(a: str, b: str) -> None:
    s = fuzzy_name_similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert s == pytest.approx(fuzzy_name_similarity(b, a))


def test_soundex_reference_values() -> None:
    assert soundex("Robert") == soundex("Rupert") == "R163"
    assert soundex("Ashcraft") == "A261"  # H does not separate S and C
    assert soundex("Tymczak") == "T522"
    assert soundex("Pfister") == "P236"
    assert soundex("Lee") == "L000"
    assert soundex("") == ""


def test_names_equivalent() -> None:
    assert names_equivalent("William", "Bill")
    assert names_equivalent("Mohammed", "Muhammad")
    assert names_equivalent("Hussain", "Hossain")
    assert not names_equivalent("William", "Thomas")


# ---------------------------------------------------------------------------
# Duplicate scoring
# ---------------------------------------------------------------------------

BASE = PersonFacts(
    given_name="Amara",
    family_name="Okonkwo",
    date_of_birth=date(2014, 3, 9),
    nhs_number="9990000018",
    postcode="E8 3QJ",
    sex="F",
)


def test_base_fixture_nhs_number_is_valid() -> None:
    # 9 9 9 0 0 0 0 0 1 | 8 : 90 + 81 + 72 + 0 + 0 + 0 + 0 + 0 + 2 = 245
    # 245 mod 11 = 245 - 242 = 3 ; 11 - 3 = 8
    assert is_valid_nhs_number(BASE.nhs_number or "")


def test_same_nhs_number_scores_very_high() -> None:
    other = replace(BASE, given_name="Amarah", postcode=None, date_of_birth=None)
    score, reasons = duplicate_score(BASE, other)
    assert score > 0.99
    assert reasons[0] == "same NHS number"


def test_same_dob_and_similar_names_scores_high() -> None:
    other = replace(BASE, nhs_number=None, family_name="Okonkow", postcode="E9 1AA")
    score, reasons = duplicate_score(BASE, other)
    assert score >= 0.95
    assert "same date of birth" in reasons
    assert any(r.startswith("similar family name (0.9") for r in reasons)
    assert "same given name" in reasons


def test_transposed_dob_counts_partially() -> None:
    plain = replace(BASE, nhs_number=None, postcode=None)
    swapped = replace(plain, date_of_birth=date(2014, 9, 3))
    other_day = replace(plain, date_of_birth=date(2011, 6, 20))
    s_same, _ = duplicate_score(plain, plain)
    s_swap, reasons = duplicate_score(plain, swapped)
    s_diff, _ = duplicate_score(plain, other_day)
    assert "date of birth with day and month swapped" in reasons
    assert s_diff < DUPLICATE_THRESHOLD < s_swap < s_same


def test_different_nhs_numbers_and_twins_score_low() -> None:
    other_nhs = replace(BASE, nhs_number="9434765919")
    assert duplicate_score(BASE, other_nhs)[0] < 0.5
    twin = replace(BASE, given_name="Chiamaka", nhs_number=None)
    score, reasons = duplicate_score(BASE, twin)
    assert score < DUPLICATE_THRESHOLD
    assert any("different given name" in r for r in reasons)


def test_nickname_reason() -> None:
    a = replace(BASE, given_name="William", sex="M")
    b = replace(a, given_name="Billy", nhs_number=None)
    score, reasons = duplicate_score(a, b)
    assert score > DUPLICATE_THRESHOLD
    assert "given name is a known variant (William / Billy)" in reasons


def test_score_is_symmetric() -> None:
    b = replace(BASE, given_name="Amra", date_of_birth=date(2014, 9, 3), nhs_number=None)
    assert duplicate_score(BASE, b)[0] == pytest.approx(duplicate_score(b, BASE)[0])


# ---------------------------------------------------------------------------
# Synthetic population for the matching tests
# ---------------------------------------------------------------------------


def _population(rng: random.Random, n: int) -> list[PersonFacts]:
    """Households of 1-3 children sharing a family name and postcode; some twins."""
    people: list[PersonFacts] = []
    while len(people) < n:
        eth = make_ethnicity_code(rng)
        _, family = make_name(rng, "M", eth)
        postcode = make_address(rng).postcode
        anchor = date(2007, 1, 1) + timedelta(days=rng.randrange(18 * 365))
        for k in range(rng.choice((1, 1, 2, 2, 3))):
            sex = rng.choice("MF")
            given_name, _ = make_name(rng, sex, eth)
            if k > 0 and rng.random() < 0.05:
                dob = people[-1].date_of_birth  # twin
            else:
                dob = anchor + timedelta(days=rng.randrange(-2500, 2500))
            nhs = make_nhs_number(rng) if rng.random() < 0.85 else None
            people.append(PersonFacts(given_name, family, dob, nhs, postcode, sex))
    return people[:n]


def _person(rng: random.Random) -> PersonFacts:
    return _population(rng, 1)[0]


def test_make_duplicate_variant_is_deterministic_and_different() -> None:
    people = _population(random.Random(2), 50)
    v1 = [make_duplicate_variant(random.Random(9), p) for p in people]
    v2 = [make_duplicate_variant(random.Random(9), p) for p in people]
    assert v1 == v2
    assert all(v != p for v, p in zip(v1, people, strict=True))


@given(seeds)
def test_variant_shares_a_blocking_key_with_original(seed: int) -> None:
    rng = random.Random(seed)
    person = _person(rng)
    variant = make_duplicate_variant(rng, person)
    assert set(blocking_keys(person)) & set(blocking_keys(variant))


def test_blocking_keys_without_dob() -> None:
    p = replace(BASE, date_of_birth=None, nhs_number=None)
    assert blocking_keys(p) == ["fg:O252:A560"]


def test_candidate_pairs_avoid_all_pairs() -> None:
    people = _population(random.Random(4), 3000)
    pairs = list(candidate_pairs(people))
    assert len(pairs) == len(set(pairs))
    assert all(i < j for i, j in pairs)
    assert len(pairs) < 0.001 * (3000 * 2999 // 2)


def test_candidate_pairs_skip_placeholder_blocks() -> None:
    # 50 records with the same placeholder name and DOB: every block holds all 50.
    people = [PersonFacts("Unborn", "Smith", date(2000, 1, 1), None, None, "M") for i in range(50)]
    assert len(list(candidate_pairs(people, max_block_size=10))) == 0
    assert len(list(candidate_pairs(people))) == 50 * 49 // 2


@dataclass(frozen=True)
class LinkageResult:
    precision: float
    recall: float
    predicted: int
    candidates: int


def _measure(seed: int, n: int = 2000, duplicate_rate: float = 0.05) -> LinkageResult:
    rng = random.Random(seed)
    n_dup = round(n * duplicate_rate)
    originals = _population(rng, n - n_dup)
    people = list(originals)
    truth: set[tuple[int, int]] = set()
    for i in rng.sample(range(len(originals)), n_dup):
        people.append(make_duplicate_variant(rng, originals[i]))
        truth.add((i, len(people) - 1))
    candidates = list(candidate_pairs(people))
    predicted = {
        (i, j) for i, j in candidates if duplicate_score(people[i], people[j])[0] >= DUPLICATE_THRESHOLD
    }
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    return LinkageResult(precision, tp / len(truth), len(predicted), len(candidates))


@pytest.mark.parametrize("seed", [2024, 2025, 2026])
def test_precision_and_recall_on_planted_duplicates(seed: int) -> None:
    result = _measure(seed)
    print(
        f"\nseed={seed} threshold={DUPLICATE_THRESHOLD}: precision={result.precision:.3f} "
        f"recall={result.recall:.3f} predicted={result.predicted} candidates={result.candidates}"
    )
    assert result.precision >= 0.9
    assert result.recall >= 0.8


def test_true_duplicates_outscore_random_pairs() -> None:
    rng = random.Random(77)
    people = _population(rng, 400)
    dup_scores = [duplicate_score(p, make_duplicate_variant(rng, p))[0] for p in people[:200]]
    random_scores = [duplicate_score(*rng.sample(people, 2))[0] for _ in range(2000)]
    dup_scores.sort()
    random_scores.sort()
    # The median duplicate beats the 99th-percentile random pair.
    assert dup_scores[len(dup_scores) // 2] > random_scores[int(0.99 * len(random_scores))]
    assert sum(dup_scores) / len(dup_scores) > 0.9 > sum(random_scores) / len(random_scores)
