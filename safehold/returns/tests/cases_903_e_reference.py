"""Failing fixtures for the group E rules (rules/e_reference.py), which need reference inputs besides the return:
Ofsted's provider list, the ONS postcode directory and the LA's ONS code. The (code, child, mutation) shape of
test_903_rules.py cannot carry those, so ``CASES`` and ``PREVIOUS_CASES`` are empty here and the cases are
``REFERENCE_CASES``, run by test_903_e_reference.py (and oracles/test_903_reference_oracle.py); test_903_rules.py
counts ``COVERED_ELSEWHERE`` as covered.

The reference data is synthetic and written by the tests as files in the layouts the DfE tool reads:

* the reporting LA is ``OWN`` (E09000027); ``OTHER`` (E09000018) is a neighbouring London borough; a two-tier
  district (E07000228) belongs to the county E10000032; W06000015 is in Wales.
* postcodes: the base return's TW1 1AA … TW1 1AZ (``synthetic.POSTCODES``) lie in ``OWN`` on a line 100 m apart
  (eastings 516,000–516,700, northing 173,000), so every base distance is under half a mile; ``XX1 1AA`` is in
  ``OWN`` 4 km east (about 2.5 miles from the base postcodes), ``XX2 1AA`` in ``OTHER`` 4 km west, ``XX3 1AA`` in
  the county district, ``XX4 1AA`` in Wales, ``XX9 1AA`` 660 km north (over 400 miles away). ``XX`` is no real
  postcode area.
* providers: the base URNs SC000000 (A), SC000001 (B), SC000002 (C) and SC000003–7 (the base's other children
  and last year's care leavers) are fostering agencies (placement codes
  U1–U6, provider code PR1) with premises at ``XX1 1AA`` (in ``OWN``), still registered; SC000009 is a children's
  home (K2) in ``OTHER``, SC000008 supported accommodation (K3, PR1) in ``OWN``, and SC000010 a children's home
  that closed on 01/01/2020.

With these, the base return (A, B, C in U4/U6 foster care with the LA's own provision, PR1) passes every rule, with
and without last year's return (test_clean_base_passes_with_reference).
"""

# mypy: disable-error-code="func-returns-value"
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.synthetic import POSTCODES
from safehold.returns.tests.support_903 import A, C, Mutation, edit

CASES: list[tuple[str, str, Mutation]] = []
PREVIOUS_CASES: list[tuple[str, str, Mutation, Mutation]] = []

OWN, OTHER, COUNTY, DISTRICT, WALES = "E09000027", "E09000018", "E10000032", "E07000228", "W06000015"

#: The postcode directory: pcd, oseast1m, osnrth1m, laua, cty (NSPL column names).
POSTCODE_ROWS: list[tuple[str, str, str, str, str]] = [
    *((p, str(516000 + 100 * i), "173000", OWN, "E99999999") for i, p in enumerate(POSTCODES)),
    ("XX1 1AA", "520000", "173000", OWN, "E99999999"),
    ("XX2 1AA", "512000", "173000", OTHER, "E99999999"),
    ("XX3 1AA", "530000", "125000", DISTRICT, COUNTY),
    ("XX4 1AA", "318000", "176000", WALES, "W99999999"),
    ("XX9 1AA", "516000", "833000", OWN, "E99999999"),
]

#: Headings of Ofsted's combined social care providers list (one sheet), as the DfE tool reads it.
PROVIDER_HEADINGS = (
    "URN",
    "Provider type",
    "Local authority",
    "Placement code",
    "Placement provider code",
    "Deregistration date",
    "Setting address postcode",
)
ProviderRow = dict[str, object]
#: When SC000010, a children's home no child of the base uses, left the register.
CLOSED = dt.date(2020, 1, 1)


def provider_rows() -> list[ProviderRow]:
    def row(urn: str, kind: str, la: str, place: str, provider: str, post: str) -> ProviderRow:
        values = (urn, kind, la, place, provider, None, post)
        return dict(zip(PROVIDER_HEADINGS, values, strict=True))

    fostering = "U1,U2,U3,U4,U5,U6"  # (the DfE tool splits a combined list's placement codes only at commas)
    return [
        *(
            row(f"SC00000{n}", "Independent Fostering Agency", "Richmond upon Thames", fostering, "PR1", "XX1 1AA")
            for n in range(8)
        ),
        row("SC000009", "Children's Home", "Hounslow", "K2", "PR3", "XX2 1AA"),
        row("SC000008", "Supported Accommodation", "Richmond upon Thames", "K3", "PR1", "XX1 1AA"),
        {**row("SC000010", "Children's Home", "Hounslow", "K2", "PR3", "XX2 1AA"), "Deregistration date": CLOSED},
    ]


ProviderMutation = Callable[[list[ProviderRow]], object]


def provider(urn: str, **changes: object) -> ProviderMutation:
    """Change the list's row for ``urn`` (keys are the headings)."""

    def mutate(rows: list[ProviderRow]) -> None:
        for r in rows:
            if r["URN"] == urn:
                r.update(changes)

    return mutate


def write_postcodes(path: Path, rows: list[tuple[str, str, str, str, str]] = POSTCODE_ROWS) -> Path:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(("pcd", "oseast1m", "osnrth1m", "laua", "cty"))
        w.writerows(rows)
    return path


def write_providers(path: Path, rows: list[ProviderRow]) -> Path:
    """The list as ``.xlsx`` (one sheet, dates as date cells) or ``.csv`` (dd/mm/yyyy), by ``path``'s suffix."""
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Providers"
        sheet.append(list(PROVIDER_HEADINGS))
        for r in rows:
            sheet.append([r[h] for h in PROVIDER_HEADINGS])
        book.save(path)
        return path
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(PROVIDER_HEADINGS)
        for r in rows:
            w.writerow(
                [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else ("" if v is None else v) for v in r.values()]
            )
    return path


def _none(_: object) -> None:
    return None


def _k3_supported(ret: t.Return903) -> None:
    """A moves to supported accommodation (K3, aged 13: other rules object, not these) at provider SC000008."""
    edit(ret, "Episodes", A, PLACE="K3", URN="SC000008")


#: (code, child flagged, change to the return, change to last year's return, change to the provider list).
#: Last year's return is ``synthetic.previous_return`` of the clean base, where A's episode (from 07/06/2021)
#: is open: the "open episode at the end of last year" the 45x/503x rules compare with this year's first one.
REFERENCE_CASES: list[tuple[str, str, Mutation, Mutation | None, ProviderMutation]] = [
    # URN SC999999 is in no list (1008 only: the other URN rules judge listed URNs).
    ("1008", A, lambda r: edit(r, "Episodes", A, URN="SC999999"), None, _none),
    # SC000000 is a fostering agency (U1–U6): a children's home placement (K2) does not match it.
    ("219", A, lambda r: edit(r, "Episodes", A, PLACE="K2"), None, _none),
    # The LA's own children's home SC000000 (K2) is at XX1 1AA; A's placement postcode is a TW1 one.
    ("221", A, lambda r: edit(r, "Episodes", A, PLACE="K2"), None, provider("SC000000", **{"Placement code": "K2"})),
    # PR3 (voluntary sector) where Ofsted lists SC000000 as the LA's own provision (PR1).
    ("224", A, lambda r: edit(r, "Episodes", A, PLACE_PROVIDER="PR3"), None, _none),
    # C's provider closed on 20/06/2025; C's second episode there starts 24/06/2025.
    ("227", C, _none, None, provider("SC000002", **{"Deregistration date": dt.date(2025, 6, 20)})),
    # A's provider closed on 01/03/2026; A's episode is open at 31 March (the DfE's note: such are flagged).
    ("228", A, _none, None, provider("SC000000", **{"Deregistration date": dt.date(2026, 3, 1)})),
    # PR2 (another LA's provision) at SC000000, whose premises (XX1 1AA) are in the LA itself.
    ("229", A, lambda r: edit(r, "Episodes", A, PLACE_PROVIDER="PR2"), None, _none),
    # PR1 (own provision) at a provider whose premises moved to XX2 1AA, in another LA.
    ("229", A, _none, None, provider("SC000000", **{"Setting address postcode": "XX2 1AA"})),
    # K3 at SC000008 (premises in the LA) but placed at XX2 1AA, in another LA.
    ("241", A, lambda r: (_k3_supported(r), edit(r, "Episodes", A, PL_POST="XX2 1AA")), None, _none),
    # Own provision (PR1) in a children's home (K2, not exempt) placed at XX2 1AA, in another LA.
    ("1015", A, lambda r: edit(r, "Episodes", A, PLACE="K2", PL_POST="XX2 1AA"), None, _none),
    # Own provision placed in the county district XX3 1AA: its LA of placement is the county, not the LA.
    ("1015", A, lambda r: edit(r, "Episodes", A, PLACE="K2", PL_POST="XX3 1AA"), None, _none),
    # A placed at XX9 1AA, 660 km (over 400 miles) from home.
    ("454", A, lambda r: edit(r, "Episodes", A, PL_POST="XX9 1AA"), None, _none),
    # Last year's open episode was placed at XX2 1AA (another LA); this year's first, same RNE, in the LA.
    ("452", A, _none, lambda p: edit(p, "Episodes", A, PL_POST="XX2 1AA"), _none),
    # Last year's open episode was at XX1 1AA, about 2.5 miles from home; this year's is under half a mile.
    ("453", A, _none, lambda p: edit(p, "Episodes", A, PL_POST="XX1 1AA"), _none),
    # As 453 but the first episode's RNE differs (so 453 does not fire; 503G does).
    ("503G", A, lambda r: edit(r, "Episodes", A, RNE="L"), lambda p: edit(p, "Episodes", A, PL_POST="XX1 1AA"), _none),
    # As 452 but the RNE differs (452 does not fire; 503H does).
    ("503H", A, lambda r: edit(r, "Episodes", A, RNE="L"), lambda p: edit(p, "Episodes", A, PL_POST="XX2 1AA"), _none),
    # Last year's open episode was in Wales (OUT); this year's is in the LA (IN).
    ("503J", A, _none, lambda p: edit(p, "Episodes", A, PL_POST="XX4 1AA"), _none),
]

#: Rules whose failing cases are REFERENCE_CASES (run by test_903_e_reference.py, not test_903_rules.py).
COVERED_ELSEWHERE = frozenset(code for code, *_ in REFERENCE_CASES)
