"""Tests for safehold.core.identifiers (pure Python; runs without Django)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehold.core.identifiers import (
    UPN_CHECK_ALPHABET,
    UPN_UNKNOWN_CODES,
    format_nhs_number,
    is_temporary_upn,
    is_valid_la_child_id,
    is_valid_nhs_number,
    is_valid_uk_postcode,
    is_valid_upn,
    make_nhs_number,
    make_upn,
    nhs_number_check_digit,
    normalise_nhs_number,
    normalise_postcode,
    upn_check_letter,
)

seeds = st.integers(min_value=0, max_value=2**32 - 1)

# ---------------------------------------------------------------------------
# NHS number
# ---------------------------------------------------------------------------


def test_well_known_example_by_hand() -> None:
    # 9 4 3 4 7 6 5 9 1 | 9
    # weights 10 9 8 7 6 5 4 3 2
    # 90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 2 = 299
    # 299 mod 11 = 299 - 286 = 2 ; 11 - 2 = 9  -> check digit 9
    assert nhs_number_check_digit("943476591") == 9
    assert is_valid_nhs_number("9434765919")
    assert is_valid_nhs_number("943 476 5919")
    assert is_valid_nhs_number(" 943-476-5919 ")


def test_second_example_by_hand() -> None:
    # 4 0 1 0 2 3 2 1 3 | 7
    # 40 + 0 + 8 + 0 + 12 + 15 + 8 + 3 + 6 = 92
    # 92 mod 11 = 92 - 88 = 4 ; 11 - 4 = 7  -> check digit 7
    assert nhs_number_check_digit("401023213") == 7
    assert is_valid_nhs_number("401 023 2137")


def test_check_digit_edge_cases_by_hand() -> None:
    # sum 0 -> 0 mod 11 = 0 -> 11 - 0 = 11 -> becomes 0
    assert nhs_number_check_digit("000000000") == 0
    # 6 * 2 = 12 -> 12 mod 11 = 1 -> 11 - 1 = 10 -> no valid number
    assert nhs_number_check_digit("000000006") is None
    # so no 10-digit number starting 000000006 is valid
    assert not any(is_valid_nhs_number(f"000000006{d}") for d in range(10))


@pytest.mark.parametrize(
    "bad",
    [
        "9434765918",  # wrong check digit
        "9434765910",
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "943476591X",
        "",
        "   ",
        "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669",  # Arabic-Indic digits
        "943.476.5919",
    ],
)
def test_invalid_nhs_numbers(bad: str) -> None:
    assert not is_valid_nhs_number(bad)


def test_check_digit_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        nhs_number_check_digit("12345678")
    with pytest.raises(ValueError):
        nhs_number_check_digit("12345678a")


def test_normalise_and_format() -> None:
    assert normalise_nhs_number(" 943 476 5919") == "9434765919"
    assert normalise_nhs_number("943-476-5919\t") == "9434765919"
    # normalising never raises: it is safe on raw input, before validation
    assert normalise_nhs_number(" 12 34 ") == "1234"
    assert format_nhs_number("9434765919") == "943 476 5919"
    with pytest.raises(ValueError):
        format_nhs_number("9434765918")


@given(seeds)
def test_generated_nhs_numbers_are_valid_test_numbers(seed: int) -> None:
    n = make_nhs_number(random.Random(seed))
    assert is_valid_nhs_number(n)
    assert len(n) == 10 and n.isdigit()
    assert n.startswith("999")  # reserved test range: never a real patient


def test_make_nhs_number_is_deterministic() -> None:
    a = [make_nhs_number(random.Random(42)) for _ in range(3)]
    assert len(set(a)) == 1


@given(seeds, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_invalidates(seed: int, position: int, shift: int) -> None:
    # Valid numbers satisfy sum(w_i * d_i) = 0 (mod 11) with weights 10..2 and 1 for the
    # check digit.  Changing one digit by delta (1..9 in size) changes the sum by
    # w * delta; 11 is prime and neither factor is a multiple of 11, so the sum can no
    # longer be 0 mod 11.  Mod 11 therefore detects every single-digit error.
    n = make_nhs_number(random.Random(seed))
    changed_digit = (int(n[position]) + shift) % 10
    mutated = n[:position] + str(changed_digit) + n[position + 1 :]
    assert mutated != n
    assert not is_valid_nhs_number(mutated)


def test_single_digit_errors_exhaustively_for_the_known_example() -> None:
    n = "9434765919"
    for position in range(10):
        for d in "0123456789":
            if d != n[position]:
                assert not is_valid_nhs_number(n[:position] + d + n[position + 1 :])


# ---------------------------------------------------------------------------
# UPN
# ---------------------------------------------------------------------------


def test_upn_hand_worked_example() -> None:
    # rest = 201 2345 12 001  (LA 201, establishment 2345, year 12, serial 001)
    # chars 2..13:  2  0  1  2  3  4  5  1  2  0  0  1
    # weights:      2  3  4  5  6  7  8  9 10 11 12 13
    # products:     4  0  4 10 18 28 40  9 20  0  0 13   -> sum 146
    # 146 mod 23 = 146 - 138 = 8 ; alphabet A B C D E F G H J -> index 8 = J
    assert upn_check_letter("201234512001") == "J"
    assert is_valid_upn("J201234512001")
    assert is_valid_upn(" j201234512001 ")  # whitespace and case tolerated
    assert not is_temporary_upn("J201234512001")


def test_temporary_upn_hand_worked_example() -> None:
    # Same first 11 digits; 13th character is a letter.  Sum of first 11 products = 133.
    # 'A' has value 0: 133 + 0*13 = 133 ; 133 mod 23 = 133 - 115 = 18 -> V
    # 'Z' has value 22: 133 + 22*13 = 419 ; 419 mod 23 = 419 - 414 = 5 -> F
    assert upn_check_letter("20123451200A") == "V"
    assert upn_check_letter("20123451200Z") == "F"
    assert is_valid_upn("V20123451200A")
    assert is_valid_upn("F20123451200Z")
    assert is_temporary_upn("V20123451200A")


def test_check_alphabet_omits_i_o_s() -> None:
    assert len(UPN_CHECK_ALPHABET) == 23
    assert not set("IOS") & set(UPN_CHECK_ALPHABET)


@pytest.mark.parametrize(
    "bad",
    [
        "K201234512001",  # wrong check letter
        "J20123451200",  # too short
        "J2012345120011",  # too long
        "1201234512001",  # first character a digit
        "J20123451200I",  # I is not in the alphabet
        "J2012345120O1",  # letter inside the digits
        "",
    ],
)
def test_invalid_upns(bad: str) -> None:
    assert not is_valid_upn(bad)


def test_upn_check_letter_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        upn_check_letter("20123451200")
    with pytest.raises(ValueError):
        upn_check_letter("20123451200S")


@given(seeds, st.sampled_from(["201", "211", "316", "999"]))
def test_generated_upns_are_valid_and_permanent(seed: int, la: str) -> None:
    upn = make_upn(random.Random(seed), la)
    assert is_valid_upn(upn)
    assert not is_temporary_upn(upn)
    assert upn[1:4] == la
    assert upn[1:].isdigit()


def test_make_upn_allocation_year_and_bad_la() -> None:
    upn = make_upn(random.Random(1), "211", allocation_year=2019)
    assert upn[8:10] == "19"
    with pytest.raises(ValueError):
        make_upn(random.Random(1), "21")


@given(seeds, st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=9))
def test_upn_detects_single_digit_errors(seed: int, position: int, shift: int) -> None:
    # Weights 2..13 and digit changes of 1..9 are never multiples of the prime 23.
    upn = make_upn(random.Random(seed), "211")
    mutated = upn[:position] + str((int(upn[position]) + shift) % 10) + upn[position + 1 :]
    assert not is_valid_upn(mutated)


def test_upn_unknown_codes() -> None:
    assert list(UPN_UNKNOWN_CODES) == [f"UN{i}" for i in range(1, 11)]
    unverified = {c for c, v in UPN_UNKNOWN_CODES.items() if not v.verified}
    assert unverified == {"UN6", "UN8", "UN9", "UN10"}
    assert "no further action" in UPN_UNKNOWN_CODES["UN7"].description.lower()
    assert all(v.code == c for c, v in UPN_UNKNOWN_CODES.items())


# ---------------------------------------------------------------------------
# LA child id and postcode
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("good", ["1", "ABC123", "a" * 20, "Z9"])
def test_valid_la_child_ids(good: str) -> None:
    assert is_valid_la_child_id(good)


@pytest.mark.parametrize("bad", ["", "a" * 21, "AB-12", "AB 12", "ÄB12", "\uff21\uff22"])
def test_invalid_la_child_ids(bad: str) -> None:
    assert not is_valid_la_child_id(bad)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("E1 6AN", "E1 6AN"),
        ("e16an", "E1 6AN"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("SW1A1AA", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("gir 0aa", "GIR 0AA"),
        ("E20  1EJ", "E20 1EJ"),
    ],
)
def test_valid_postcodes(raw: str, canonical: str) -> None:
    assert is_valid_uk_postcode(raw)
    assert normalise_postcode(raw) == canonical


@pytest.mark.parametrize(
    "bad",
    ["", "E1", "E1 6A", "Q1 1AA", "E1 6AC", "E1 6AI", "EE1 6AN 1", "12345", "E1 AAN", "V1 1AA", "X1 1AA"],
)
def test_invalid_postcodes(bad: str) -> None:
    assert not is_valid_uk_postcode(bad)
    # normalising never raises; the result is still invalid
    assert not is_valid_uk_postcode(normalise_postcode(bad))


@given(st.text(max_size=10))
def test_normalise_postcode_is_idempotent_and_total(s: str) -> None:
    once = normalise_postcode(s)
    assert normalise_postcode(once) == once
    assert is_valid_uk_postcode(once) == is_valid_uk_postcode(s)
