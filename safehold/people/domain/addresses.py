"""Deterministic synthetic UK addresses for an invented London borough.

Street and estate names are built from invented stems and ordinary suffixes
("Larkmere Road", "Flat 12, Brackenholt House").  Any match with a real street is
coincidence.  Postcodes are format-valid (see :func:`safehold.core.identifiers.is_valid_uk_postcode`)
but the district and unit are drawn at random, so they are not tied to real places.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Final

from safehold.core.identifiers import is_valid_uk_postcode

__all__ = ["Address", "make_address", "make_postcode"]


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address.  ``line2`` is empty when the address has a single line."""

    line1: str
    line2: str
    town: str
    postcode: str

    def lines(self) -> tuple[str, ...]:
        """Non-empty lines, in order, for display."""
        return tuple(p for p in (self.line1, self.line2, self.town, self.postcode) if p)


# Invented stems: plant, bird and landscape words welded into place-like names.
_STEM_HEADS: Final = (
    "Lark", "Bracken", "Willow", "Heron", "Thistle", "Alder", "Rowan", "Sorrel", "Marten",
    "Fennel", "Kestrel", "Bramble", "Linnet", "Hazel", "Tansy", "Wren", "Juniper", "Osier",
    "Plover", "Teasel", "Cobble", "Amber", "Sedge", "Finch", "Hollin", "Mallow", "Quill",
    "Larch", "Burdock", "Yarrow",
)  # fmt: skip
_STEM_TAILS: Final = (
    "mere", "holt", "wick", "field", "stead", "combe", "ford", "ley", "hurst", "gate",
    "wood", "dale", "bourne", "marsh", "brook", "worth", "ridge", "more", "thorpe", "den",
)  # fmt: skip
_STREET_SUFFIXES: Final = (
    "Road", "Street", "Close", "Gardens", "Lane", "Avenue", "Grove", "Place", "Terrace",
    "Way", "Crescent", "Walk", "Mews", "Row", "Square",
)  # fmt: skip
_STREET_WEIGHTS: Final = (20, 18, 8, 6, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 2)
_BLOCK_SUFFIXES: Final = ("House", "Court", "Tower", "Point", "Lodge", "Mansions", "Heights")
_BLOCK_WEIGHTS: Final = (40, 20, 8, 6, 8, 4, 4)

# Characters allowed in the last two places of an inward code (no C, I, K, M, O, V).
_INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"


def _stem(rng: random.Random) -> str:
    return rng.choice(_STEM_HEADS) + rng.choice(_STEM_TAILS)


def _street(rng: random.Random) -> str:
    return f"{_stem(rng)} {rng.choices(_STREET_SUFFIXES, weights=_STREET_WEIGHTS, k=1)[0]}"


def make_postcode(rng: random.Random, postcode_area: str = "E") -> str:
    """Return a format-valid postcode in a district ``<area>1``-``<area>20``.

    Raises ``ValueError`` if the area letters cannot start a valid UK postcode.
    """
    area = postcode_area.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,2}", area):
        raise ValueError("postcode_area must be one or two letters")
    district = rng.randint(1, 20)
    inward = f"{rng.randint(0, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    postcode = f"{area}{district} {inward}"
    if not is_valid_uk_postcode(postcode):
        raise ValueError(f"postcode area {postcode_area!r} does not give valid postcodes")
    return postcode


def make_address(rng: random.Random, postcode_area: str = "E") -> Address:
    """Return a synthetic London address.

    About half are flats in a named block on an estate ("Flat 12, Larkmere House" with
    the street on line 2); the rest are street addresses ("27 Willowcombe Road").
    """
    postcode = make_postcode(rng, postcode_area)
    if rng.random() < 0.5:
        block = f"{_stem(rng)} {rng.choices(_BLOCK_SUFFIXES, weights=_BLOCK_WEIGHTS, k=1)[0]}"
        line1 = f"Flat {rng.randint(1, 120)}, {block}"
        line2 = _street(rng)
    else:
        number = rng.randint(1, 240)
        if rng.random() < 0.08:
            number_text = f"{number}{rng.choice('AB')}"
        else:
            number_text = str(number)
        line1 = f"{number_text} {_street(rng)}"
        line2 = ""
    return Address(line1=line1, line2=line2, town="London", postcode=postcode)
