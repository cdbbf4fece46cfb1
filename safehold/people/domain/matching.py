"""Finding possible duplicate person records.

Pure Python, no dependencies.  The pieces are:

* :func:`fuzzy_name_similarity`: Jaro-Winkler similarity, written out by hand.
* :func:`duplicate_score`: a probability-like score for "these two records are the
  same person", with plain-English reasons a practitioner can check.
* :func:`blocking_keys` / :func:`candidate_pairs`: candidate generation, so that a
  population of 300,000 is never compared all-pairs.  Only records that share at
  least one key are scored.
* :func:`make_duplicate_variant`: perturbs a record the way real duplicates look,
  for building synthetic test sets.

The score is a sum of log-odds points (in the style of Fellegi-Sunter record
linkage) squashed through a logistic function.  The weights were set by hand and
checked against synthetic data (see ``people/tests/test_domain.py``).  They have not
been calibrated on real records, so treat the number as a ranking aid for a human
reviewer, never as grounds to merge records automatically.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from safehold.core.identifiers import (
    is_valid_nhs_number,
    is_valid_uk_postcode,
    normalise_nhs_number,
    normalise_postcode,
)

from .addresses import make_postcode

__all__ = [
    "DUPLICATE_THRESHOLD",
    "PersonFacts",
    "blocking_keys",
    "candidate_pairs",
    "duplicate_score",
    "fuzzy_name_similarity",
    "jaro_similarity",
    "make_duplicate_variant",
    "name_key",
    "names_equivalent",
    "soundex",
]

#: Suggested cut-off for putting a pair on the "possible duplicate" review list.
#: Chosen on synthetic data (precision and recall are reported by the test suite).
DUPLICATE_THRESHOLD: Final = 0.8


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """The identifying facts compared when looking for duplicate people."""

    given_name: str
    family_name: str
    date_of_birth: date | None
    nhs_number: str | None
    postcode: str | None
    sex: str


# ---------------------------------------------------------------------------
# String similarity
# ---------------------------------------------------------------------------


def name_key(s: str) -> str:
    """Comparison form of a name: accents removed, case folded, letters only.

    ``"O'Brien"`` -> ``"obrien"``, ``"Zoë"`` -> ``"zoe"``, ``"Da Silva"`` -> ``"dasilva"``.
    """
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in decomposed.casefold() if ch.isalpha() and not unicodedata.combining(ch))


def jaro_similarity(a: str, b: str) -> float:
    """Jaro similarity of two strings, compared exactly as given (0.0-1.0)."""
    if a == b:
        return 1.0
    len_a, len_b = len(a), len(b)
    if len_a == 0 or len_b == 0:
        return 0.0
    window = max(max(len_a, len_b) // 2 - 1, 0)
    a_matched = [False] * len_a
    b_matched = [False] * len_b
    matches = 0
    for i, ch in enumerate(a):
        lo, hi = max(0, i - window), min(len_b, i + window + 1)
        for j in range(lo, hi):
            if not b_matched[j] and b[j] == ch:
                a_matched[i] = b_matched[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    a_seq = [ch for ch, m in zip(a, a_matched, strict=True) if m]
    b_seq = [ch for ch, m in zip(b, b_matched, strict=True) if m]
    half_transpositions = sum(1 for x, y in zip(a_seq, b_seq, strict=True) if x != y)
    t = half_transpositions / 2
    return (matches / len_a + matches / len_b + (matches - t) / matches) / 3


def _jaro_winkler(a: str, b: str, prefix_scale: float = 0.1, boost_threshold: float = 0.7) -> float:
    j = jaro_similarity(a, b)
    if j <= boost_threshold:
        return j
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return j + prefix * prefix_scale * (1 - j)


def fuzzy_name_similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two names (0.0-1.0), after :func:`name_key`.

    Standard parameters: prefix scale 0.1, common prefix up to 4 characters, and the
    prefix boost applied only when the Jaro score exceeds 0.7 (Winkler's threshold).
    E.g. MARTHA/MARHTA = 0.961, DWAYNE/DUANE = 0.840, DIXON/DICKSONX = 0.813.
    Two names that are empty after normalisation score 0.0: nothing to compare.
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    return _jaro_winkler(ka, kb)


# ---------------------------------------------------------------------------
# Name equivalents (nicknames and transliteration variants)
# ---------------------------------------------------------------------------

# Each group is a set of names commonly recorded for the same person.  Transliterated
# spellings matter as much as English nicknames in a diverse borough.
_EQUIVALENT_GROUPS: Final = (
    "william will bill billy liam",
    "thomas tom tommy",
    "joseph joe joey",
    "daniel dan danny",
    "samuel sam sammy",
    "joshua josh",
    "james jim jimmy jamie",
    "oliver ollie olly",
    "alfred alfie alf",
    "alexander alex alexandru aleksander olek sasha",
    "alexandra alex sasha aleksandra ola",
    "charlotte charlie lottie",
    "isabella bella izzy isabel",
    "jessica jess jessie",
    "olivia liv livvy",
    "elizabeth liz lizzie beth betty eliza",
    "katherine kate katie kathryn catherine",
    "katarzyna kasia",
    "malgorzata gosia",
    "jakub kuba jacob jake",
    "nathaniel nathan nate",
    "matthew matt",
    "christopher chris",
    "michael mike mikey",
    "jennifer jen jenny",
    "rebecca becky",
    "abigail abbie abby",
    "frederick freddie fred",
    "edward ed eddie ted",
    "robert rob bob bobby",
    "richard rich ricky",
    "anthony tony antoni",
    "mohammed muhammad mohammad mohamed mohamad mohammod mohamud mo",
    "ahmed ahmad ahmet",
    "yusuf yousef youssef yousuf",
    "hussain hussein hossain husain",
    "fatima fatema fatuma fadumo",
    "aisha ayesha aysha",
    "khadija khadijah khadra",
    "ibrahim ebrahim ibby",
    "abdirahman abdi",
    "mustafa mustafe mostafa",
    "chowdhury choudhury chaudhry",
    "rahman rehman",
    "hoque haque haq",
    "mariam maryam maryan miriam",
    "zainab zaynab",
    "omar umar",
)


def _build_equivalents() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for group in _EQUIVALENT_GROUPS:
        names = set(group.split())
        for n in names:
            index[n] |= names
    return {k: frozenset(v) for k, v in index.items()}


_EQUIVALENTS: Final = _build_equivalents()


def names_equivalent(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` are the same name, a known nickname or a transliteration."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    return ka == kb or kb in _EQUIVALENTS.get(ka, frozenset())


# ---------------------------------------------------------------------------
# Phonetic key
# ---------------------------------------------------------------------------

_SOUNDEX_CODES: Final = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(name: str) -> str:
    """American Soundex code (e.g. ``"Robert"`` -> ``"R163"``); ``""`` if no letters.

    Accents are removed first; H and W do not separate letters with the same code.
    """
    key = "".join(ch for ch in name_key(name) if "a" <= ch <= "z")
    if not key:
        return ""
    first = key[0]
    out = [first.upper()]
    last = _SOUNDEX_CODES.get(first, "")
    for ch in key[1:]:
        code = _SOUNDEX_CODES.get(ch, "")
        if code and code != last:
            out.append(code)
            if len(out) == 4:
                break
        if ch not in "hw":
            last = code
    return "".join(out).ljust(4, "0")


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------

_PRIOR: Final = -5.0  # most pairs that reach scoring are still different people


def _valid_nhs(s: str | None) -> str | None:
    return normalise_nhs_number(s) if s and is_valid_nhs_number(s) else None


def _valid_postcode(s: str | None) -> str | None:
    return normalise_postcode(s) if s and is_valid_uk_postcode(s) else None


def _dob_swapped(a: date, b: date) -> bool:
    return a.year == b.year and a.day == b.month and a.month == b.day and a != b


def _one_keying_error(a: str, b: str) -> bool:
    """True if ``b`` is ``a`` with one substitution, insertion, deletion or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _compare_names(a: str, b: str, label: str) -> tuple[float, str | None]:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0, None
    if ka == kb:
        return 3.0, f"same {label}"
    if names_equivalent(a, b):
        return 2.5, f"{label} is a known variant ({a.strip()} / {b.strip()})"
    sim = _jaro_winkler(ka, kb)
    if sim >= 0.88:
        return 2.0, f"similar {label} ({sim:.2f})"
    if min(len(ka), len(kb)) >= 3 and _one_keying_error(ka, kb):
        # Jaro-Winkler is harsh on short names: "Leo"/"Loe", "Tia"/"Tis".
        return 1.5, f"{label} differs by one keying error ({a.strip()} / {b.strip()})"
    parts_a = {p for p in (name_key(x) for x in a.replace("-", " ").split()) if len(p) >= 3}
    parts_b = {p for p in (name_key(x) for x in b.replace("-", " ").split()) if len(p) >= 3}
    if parts_a & parts_b:
        return 1.5, f"{label} shares a part ({a.strip()} / {b.strip()})"
    if sim >= 0.75:
        return -3.0, f"somewhat different {label} ({sim:.2f})"
    return -4.0, f"different {label}"


def duplicate_score(a: PersonFacts, b: PersonFacts) -> tuple[float, list[str]]:
    """Score how likely two records describe the same person.

    Returns ``(score, reasons)``: ``score`` in (0, 1), higher meaning more likely the
    same person; ``reasons`` in plain English, strongest evidence first in the order
    checked (NHS number, date of birth, names, sex, postcode).  Missing facts count
    neither way.  A pair scoring at least :data:`DUPLICATE_THRESHOLD` is worth a
    human look.
    """
    points = _PRIOR
    reasons: list[str] = []

    nhs_a, nhs_b = _valid_nhs(a.nhs_number), _valid_nhs(b.nhs_number)
    if nhs_a and nhs_b:
        if nhs_a == nhs_b:
            points += 10.0
            reasons.append("same NHS number")
        else:
            points -= 8.0
            reasons.append("different NHS numbers")

    if a.date_of_birth and b.date_of_birth:
        da, db = a.date_of_birth, b.date_of_birth
        if da == db:
            points += 4.0
            reasons.append("same date of birth")
        elif _dob_swapped(da, db):
            points += 2.0
            reasons.append("date of birth with day and month swapped")
        elif da.year == db.year and (da.month == db.month or da.day == db.day):
            points -= 1.0
            reasons.append("date of birth differs in one part")
        else:
            points -= 4.0
            reasons.append("different date of birth")

    for mine, theirs, label in (
        (a.family_name, b.family_name, "family name"),
        (a.given_name, b.given_name, "given name"),
    ):
        delta, reason = _compare_names(mine, theirs, label)
        points += delta
        if reason:
            reasons.append(reason)

    sex_a, sex_b = a.sex.strip().upper(), b.sex.strip().upper()
    if {sex_a, sex_b} == {"M", "F"}:
        points -= 2.5
        reasons.append("different sex")

    pc_a, pc_b = _valid_postcode(a.postcode), _valid_postcode(b.postcode)
    if pc_a and pc_b:
        if pc_a == pc_b:
            points += 1.5
            reasons.append("same postcode")
        elif pc_a.split()[0] == pc_b.split()[0]:
            points += 0.5
            reasons.append("same postcode district")

    return 1.0 / (1.0 + math.exp(-points)), reasons


# ---------------------------------------------------------------------------
# Blocking
# ---------------------------------------------------------------------------


def _dob_block(d: date) -> str:
    # Day and month sorted, so a record and its day/month-swapped twin share the key.
    lo, hi = sorted((d.day, d.month))
    return f"{d.year:04d}-{lo:02d}-{hi:02d}"


def blocking_keys(p: PersonFacts) -> list[str]:
    """Keys for candidate generation: records sharing any key get scored.

    * ``nhs:`` the NHS number (if valid);
    * ``dobf:`` / ``dobg:`` date of birth (day/month order-free) with the Soundex of the
      family / given name, so a typo in one name still meets the other;
    * ``dobi:`` date of birth with both initials, for a typo in each name;
    * ``fy:`` Soundex of the family name, initial of the given name and birth year,
      for records whose date of birth was mistyped;
    * ``fg:`` Soundex of both names, only when the date of birth is missing.
    """
    keys: list[str] = []
    nhs = _valid_nhs(p.nhs_number)
    if nhs:
        keys.append(f"nhs:{nhs}")
    sx_family, sx_given = soundex(p.family_name), soundex(p.given_name)
    if p.date_of_birth:
        block = _dob_block(p.date_of_birth)
        if sx_family:
            keys.append(f"dobf:{block}:{sx_family}")
        if sx_given:
            keys.append(f"dobg:{block}:{sx_given}")
        if sx_family and sx_given:
            keys.append(f"dobi:{block}:{sx_given[0]}{sx_family[0]}")
            keys.append(f"fy:{sx_family}:{sx_given[0]}:{p.date_of_birth.year:04d}")
    elif sx_family and sx_given:
        keys.append(f"fg:{sx_family}:{sx_given}")
    return keys


def candidate_pairs(people: Sequence[PersonFacts], max_block_size: int = 1000) -> Iterator[tuple[int, int]]:
    """Yield each index pair ``(i, j)``, ``i < j``, that shares a blocking key, once.

    Blocks larger than ``max_block_size`` are skipped: they come from placeholder
    values (such as a default date of birth) and would bring back all-pairs cost.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for idx, person in enumerate(people):
        for key in blocking_keys(person):
            blocks[key].append(idx)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block_size:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                pair = (i, j) if i < j else (j, i)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


# ---------------------------------------------------------------------------
# Synthetic duplicates
# ---------------------------------------------------------------------------

_KEYBOARD_SLIPS: Final = "aeiounrstlmhdy"


def _typo(rng: random.Random, name: str) -> str:
    """One realistic keying error, never in the first letter."""
    if len(name) < 2:
        return name + name[-1:]
    i = rng.randrange(1, len(name))
    kind = rng.choice(("swap", "drop", "double", "substitute"))
    if kind == "swap" and i < len(name) - 1 and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop" and len(name) > 3:
        return name[:i] + name[i + 1 :]
    if kind == "substitute":
        options = [c for c in _KEYBOARD_SLIPS if c != name[i].lower()]
        ch = rng.choice(options)
        return name[:i] + (ch.upper() if name[i].isupper() else ch) + name[i + 1 :]
    return name[: i + 1] + name[i] + name[i + 1 :]


def _nickname(rng: random.Random, given: str) -> str | None:
    options = sorted(_EQUIVALENTS.get(name_key(given), frozenset()) - {name_key(given)})
    if not options:
        return None
    return rng.choice(options).capitalize()


def _perturbations(facts: PersonFacts) -> list[str]:
    kinds = ["typo_family", "typo_given", "new_postcode"]
    if _nickname(random.Random(0), facts.given_name) is not None:
        kinds.append("nickname")
    d = facts.date_of_birth
    if d is not None and d.day <= 12 and d.day != d.month:
        kinds.append("swap_dob")
    if facts.nhs_number:
        kinds.append("drop_nhs")
    return kinds


def _apply(rng: random.Random, facts: PersonFacts, kind: str) -> PersonFacts:
    if kind == "typo_family":
        return replace(facts, family_name=_typo(rng, facts.family_name))
    if kind == "typo_given":
        return replace(facts, given_name=_typo(rng, facts.given_name))
    if kind == "nickname":
        nick = _nickname(rng, facts.given_name)
        return replace(facts, given_name=nick) if nick else facts
    if kind == "swap_dob" and facts.date_of_birth is not None:
        d = facts.date_of_birth
        return replace(facts, date_of_birth=date(d.year, d.day, d.month))
    if kind == "drop_nhs":
        return replace(facts, nhs_number=None)
    if kind == "new_postcode":
        area = (facts.postcode or "E").strip()[:1].upper() or "E"
        return replace(facts, postcode=make_postcode(rng, area if area.isalpha() else "E"))
    raise ValueError(f"unknown perturbation {kind!r}")


def make_duplicate_variant(rng: random.Random, facts: PersonFacts) -> PersonFacts:
    """Return a record that differs from ``facts`` the way real duplicates do.

    Applies one or two of: a keying error in a name, a nickname or alternative
    spelling of the given name, day and month of birth swapped, NHS number missing,
    a different postcode (the family moved).  Deterministic for a given ``rng`` state
    and always different from ``facts``.
    """
    kinds = _perturbations(facts)
    count = rng.choices((1, 2), weights=(0.45, 0.55), k=1)[0]
    variant = facts
    for kind in rng.sample(kinds, k=min(count, len(kinds))):
        variant = _apply(rng, variant, kind)
    while variant == facts:  # e.g. a new postcode that happened to equal the old one
        variant = _apply(rng, variant, "typo_family")
    return variant
