"""Validation and synthetic generation of the identifiers Safehold records about a child.

Pure Python: no Django imports, so the rules can be used by models, forms, importers,
statutory-return builders and the synthetic-data generator alike.

Covers:

* NHS numbers (10 digits, modulus 11 check digit).
* Unique Pupil Numbers (UPNs, DfE): 13 characters, modulus 23 check letter.
  See STATUTE.md §6.3 for the UPNunknown codes.
* LA child identifiers (CIN census ``LAchildID``).
* UK postcodes (syntax only, including the special ``GIR 0AA``).

All generated values are synthetic.  Generated NHS numbers are drawn from the 999 range
that NHS England reserves for test data, so they can never belong to a real patient.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Final

__all__ = [
    "NHS_TEST_PREFIX",
    "UPN_CHECK_ALPHABET",
    "UPN_UNKNOWN_CODES",
    "UpnUnknownCode",
    "format_nhs_number",
    "is_temporary_upn",
    "is_valid_la_child_id",
    "is_valid_nhs_number",
    "is_valid_uk_postcode",
    "is_valid_upn",
    "make_nhs_number",
    "make_upn",
    "nhs_number_check_digit",
    "normalise_nhs_number",
    "normalise_postcode",
    "normalise_upn",
    "upn_check_letter",
]

# ---------------------------------------------------------------------------
# NHS number
# ---------------------------------------------------------------------------

#: NHS England issues numbers starting 999 for testing only; they are never allocated to patients.
NHS_TEST_PREFIX: Final = "999"

_NHS_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_TEN_DIGITS = re.compile(r"[0-9]{10}")
# Separators people type inside an NHS number: ordinary spaces, hyphens, tabs, NBSP.
_NHS_SEPARATORS = re.compile(r"[\s\-]+")


def nhs_number_check_digit(first9: str) -> int | None:
    """Return the modulus 11 check digit for the first nine digits of an NHS number.

    Digits 1-9 are multiplied by weights 10, 9, ... 2; the products are summed and
    the check digit is ``11 - (sum mod 11)``.  A result of 11 becomes 0; a result of
    10 means no valid NHS number starts with these nine digits, and ``None`` is returned.

    Raises ``ValueError`` if ``first9`` is not exactly nine ASCII digits.
    """
    if not _NINE_DIGITS.fullmatch(first9):
        raise ValueError("expected exactly nine ASCII digits")
    total = sum(int(d) * w for d, w in zip(first9, _NHS_WEIGHTS, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def _strip_nhs_separators(s: str) -> str:
    return _NHS_SEPARATORS.sub("", s.strip())


def is_valid_nhs_number(s: str) -> bool:
    """True if ``s`` is a 10-digit NHS number with a correct modulus 11 check digit.

    Spaces and hyphens are ignored, so ``"943 476 5919"`` and ``"943-476-5919"`` are
    accepted.  Following NHS Digital's published rule, only the length and check
    digit are tested: repeated-digit numbers such as ``0000000000`` pass the check
    even though they are never issued.
    """
    if not isinstance(s, str):
        return False
    digits = _strip_nhs_separators(s)
    if not _TEN_DIGITS.fullmatch(digits):
        return False
    check = nhs_number_check_digit(digits[:9])
    return check is not None and check == int(digits[9])


def normalise_nhs_number(s: str) -> str:
    """Return ``s`` with surrounding whitespace and internal spaces/hyphens removed.

    ``" 943 476 5919"`` -> ``"9434765919"``.  Does not validate and never raises, so it
    is safe to call on raw form input before validation; check the result with
    :func:`is_valid_nhs_number`.
    """
    return _strip_nhs_separators(s)


def format_nhs_number(s: str) -> str:
    """Return a valid NHS number in the 3-3-4 display form, e.g. ``"943 476 5919"``.

    Raises ``ValueError`` if ``s`` is not a valid NHS number.
    """
    if not is_valid_nhs_number(s):
        raise ValueError("not a valid NHS number")
    digits = normalise_nhs_number(s)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def make_nhs_number(rng: random.Random) -> str:
    """Generate a valid, synthetic NHS number in the 999 test range (canonical form).

    About one in eleven 9-digit stems has no valid check digit; those are redrawn.
    """
    while True:
        first9 = NHS_TEST_PREFIX + f"{rng.randrange(1_000_000):06d}"
        check = nhs_number_check_digit(first9)
        if check is not None:
            return first9 + str(check)


# ---------------------------------------------------------------------------
# Unique Pupil Number (DfE)
# ---------------------------------------------------------------------------

#: Check-letter alphabet: A-Z without I, O and S.  Index = value (A=0 ... Z=22).
UPN_CHECK_ALPHABET: Final = "ABCDEFGHJKLMNPQRTUVWXYZ"
assert len(UPN_CHECK_ALPHABET) == 23

_UPN_REST = re.compile(r"[0-9]{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]")
_UPN_FULL = re.compile(r"[ABCDEFGHJKLMNPQRTUVWXYZ][0-9]{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]")


def upn_check_letter(rest12: str) -> str:
    """Return the check letter (character 1) for UPN characters 2-13.

    DfE algorithm: multiply characters 2..13 by weights 2..13, sum, take the
    remainder modulo 23 and map it through ``UPN_CHECK_ALPHABET`` (0=A ... 22=Z).
    For a temporary UPN the 13th character is a letter, whose value is its index in
    the same alphabet (A=0, B=1, ... Z=22).

    Raises ``ValueError`` if ``rest12`` is not 11 digits followed by a digit or an
    alphabet letter (upper case).
    """
    if not _UPN_REST.fullmatch(rest12):
        raise ValueError("expected 11 digits followed by a digit or check-alphabet letter")
    total = 0
    for weight, ch in enumerate(rest12, start=2):
        value = int(ch) if ch.isdigit() else UPN_CHECK_ALPHABET.index(ch)
        total += value * weight
    return UPN_CHECK_ALPHABET[total % 23]


def normalise_upn(s: str) -> str:
    """Strip surrounding whitespace and upper-case a UPN (no validation)."""
    return s.strip().upper()


def is_valid_upn(s: str) -> bool:
    """True if ``s`` is a well-formed UPN with the correct check letter.

    Accepts permanent UPNs (letter + 12 digits) and temporary UPNs (letter + 11
    digits + letter).  Surrounding whitespace and lower case are tolerated; use
    :func:`normalise_upn` before storing.  The LA code (characters 2-4) is not checked
    against the list of LA codes here.
    """
    if not isinstance(s, str):
        return False
    upn = normalise_upn(s)
    if not _UPN_FULL.fullmatch(upn):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


def is_temporary_upn(s: str) -> bool:
    """True if ``s`` is a valid UPN whose 13th character is a letter (temporary UPN)."""
    return is_valid_upn(s) and normalise_upn(s)[-1].isalpha()


def make_upn(rng: random.Random, la_code: str, *, allocation_year: int | None = None) -> str:
    """Generate a synthetic permanent UPN for the 3-digit ``la_code``.

    Layout after the check letter: LA code (3), establishment number (4), last two
    digits of the year of allocation (2), serial (3).  ``allocation_year`` may be a
    four-digit or two-digit year; by default one is drawn from 2005-2025.
    """
    if not re.fullmatch(r"[0-9]{3}", la_code):
        raise ValueError("la_code must be three ASCII digits")
    if allocation_year is None:
        allocation_year = rng.randint(2005, 2025)
    yy = allocation_year % 100
    establishment = rng.randint(1000, 7999)
    serial = rng.randint(1, 999)
    rest = f"{la_code}{establishment:04d}{yy:02d}{serial:03d}"
    return upn_check_letter(rest) + rest


@dataclass(frozen=True, slots=True)
class UpnUnknownCode:
    """A reason recorded instead of a UPN (CIN ``UPNunknown`` / SSDA903)."""

    code: str
    description: str
    verified: bool
    note: str = ""


_UPN_UNKNOWN: Final = (
    UpnUnknownCode("UN1", "Not of school age and no UPN yet assigned", True),
    UpnUnknownCode(
        "UN2",
        "Never attended a maintained school in England (e.g. some UASC)",
        True,
    ),
    UpnUnknownCode("UN3", "Educated outside England", True),
    UpnUnknownCode("UN4", "Newly looked after or referred and UPN not yet known", True),
    UpnUnknownCode("UN5", "UPN sources inconsistent", True),
    UpnUnknownCode(
        "UN6",
        "Description unverified",
        False,
        "Listed in the CIN code set; DfE wording not confirmed (STATUTE.md §6.3).",
    ),
    UpnUnknownCode(
        "UN7",
        "Referral with no further action",
        True,
        "CIN only; allowed only if every CINdetails has ReferralNFA = true (rule 8772).",
    ),
    UpnUnknownCode(
        "UN8",
        "Reserved - description unverified",
        False,
        "Not in STATUTE.md §6.3; kept as a placeholder. Do not offer for data entry until verified.",
    ),
    UpnUnknownCode(
        "UN9",
        "Reserved - description unverified",
        False,
        "Not in STATUTE.md §6.3; kept as a placeholder. Do not offer for data entry until verified.",
    ),
    UpnUnknownCode(
        "UN10",
        "Reserved - description unverified",
        False,
        "Not in STATUTE.md §6.3; kept as a placeholder. Do not offer for data entry until verified.",
    ),
)

#: ``UPNunknown`` codes keyed by code.  Entries with ``verified=False`` have no
#: confirmed DfE description.  The SSDA903 return accepts only UN1-UN5.
UPN_UNKNOWN_CODES: Final[dict[str, UpnUnknownCode]] = {c.code: c for c in _UPN_UNKNOWN}


# ---------------------------------------------------------------------------
# LA child identifier
# ---------------------------------------------------------------------------

_LA_CHILD_ID = re.compile(r"[A-Za-z0-9]{1,20}")


def is_valid_la_child_id(s: str) -> bool:
    """True if ``s`` is 1-20 ASCII letters or digits (CIN ``LAchildID``)."""
    return isinstance(s, str) and _LA_CHILD_ID.fullmatch(s) is not None


# ---------------------------------------------------------------------------
# Postcode
# ---------------------------------------------------------------------------

# The widely used UK postcode pattern (derived from the former Cabinet Office
# BS7666 schema): outward code, one space, inward code.  GIR 0AA is a special case.
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"(?:GIR 0AA|{_OUTWARD} {_INWARD})")


def _compact_postcode(s: str) -> str:
    return re.sub(r"\s+", "", s).upper()


def _spaced(compact: str) -> str:
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def is_valid_uk_postcode(s: str) -> bool:
    """True if ``s`` is a syntactically valid UK postcode.

    Case and spacing are ignored (``"e1 6an"``, ``"E16AN"``).  This checks format only,
    not whether the postcode exists.
    """
    if not isinstance(s, str):
        return False
    compact = _compact_postcode(s)
    if not 5 <= len(compact) <= 7:
        return False
    return _POSTCODE.fullmatch(_spaced(compact)) is not None


def normalise_postcode(s: str) -> str:
    """Return the canonical form: upper case, one space before the inward code.

    ``"e16an"`` -> ``"E1 6AN"``.  Does not validate and never raises (input that is too
    short to have an inward code is just upper-cased with whitespace removed); check
    the result with :func:`is_valid_uk_postcode`.
    """
    return _spaced(_compact_postcode(s))
