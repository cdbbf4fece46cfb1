"""Safehold's Annex A workbook against the sector's Annex A cleaner (liiatools 0.2.0 ``annex-a cleanfile``).

For generated boroughs (``generate_borough``, a clean one and one with data-quality faults) we write Annex A
with ``manage.py annex_a``, run the cleaner on it and check:

1. Every list is recognised: the cleaner matched all eleven sheets by their column headings (it writes its
   cleaned workbook only then), and logged no unmatched sheet, missing sheet, unexpected or duplicate column.
2. Value errors ("cells made blank because they could not be formatted": dates, integers, postcodes and the
   coded columns it checks) occur only for codes newer than its code lists, and exactly as often as our
   workbook holds them (NEWER_CODES).
3. Every cell it kept is the value we wrote, except for its deliberate minimisation (date of birth to the
   month, postcode to the sector) and the recodes of newer codes into its older ones (RECODED).
4. Its "blank cells that should have contained data" counts equal our own count of blank cells in those
   columns: they are gaps in the record (no allocated worker, no recorded care-leaver contact), which the
   readiness page lists, plus LA of Placement (see BLANK_BY_DESIGN).

The cleaner is slow (~10 s per 1,000 rows), so the boroughs are small.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from oracles.annex_a_cleaner import blank, clean, sheets

ROOT = Path(__file__).resolve().parents[1]
POPULATION = 10000
AS_OF = "2026-03-31"

#: Codes Safehold writes that liiatools' Annex A code lists predate: (sheet, column) -> prefixes of our values.
NEWER_CODES: dict[tuple[str, str], tuple[str, ...]] = {
    ("List 1", "Contact Source"): ("v) 5D:",),  # CIN referral source 5D (LA services – early help)
    ("List 3", "Referral Source"): ("v) 5D:",),
    ("List 8", "Placement Type"): ("K3:",),  # SSDA903 K3 registered supported accommodation (2023)
    ("List 9", "Activity Status"): ("F4:", "P4:"),  # SSDA903 apprenticeships (split from F3/P3)
}
#: Newer codes the cleaner does not blank but maps, by a loose pattern, into its older code: ours -> theirs.
RECODED: dict[tuple[str, str], dict[str, str]] = {
    ("List 6", "Reason for Closure"): {"RC9 -": "RC8 -"},  # closed after assessment, referred to early help
    ("List 8", "Placement Type"): {"Z11:": "v) Z1:", "Z12:": "v) Z1:", "Z13:": "v) Z1:", "Z14:": "v) Z1:"},
    ("List 9", "Activity Status"): {"F5:": "F3:", "P5:": "P3:"},  # training or employment (not apprenticeship)
}
#: Columns the cleaner degrades on purpose (data minimisation) and the column it adds.
DEGRADED = {"Date of Birth", "Placement postcode", "Child Unique ID", "Individual adopter identifier", "LA"}
#: LA of Placement: the cleaner accepts only NIR/WAL/SCO/NUK/CON; an English LA's name is blanked, and the
#: record does not hold the LA of an out-of-area placement (903 PL_LA is not yet recorded), so it is blank.
BLANK_BY_DESIGN = {("List 8", "LA of Placement")}


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", SAFEHOLD_DEBUG="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _manage(db: Path, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=_env(db), capture_output=True, text=True, timeout=1800,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize(("seed", "faults"), [(21, False), (22, True)])
def test_liiatools_recognises_every_list_and_finds_no_value_errors(
    oracle_python: Path, tmp_path: Path, seed: int, faults: bool
) -> None:
    db = tmp_path / "borough.sqlite3"
    _manage(db, "migrate", "--no-input", "-v0")
    extra = [] if faults else ["--no-faults"]
    _manage(
        db, "generate_borough", "--child-population", str(POPULATION), "--seed", str(seed), "--as-of", AS_OF, *extra
    )
    out = tmp_path / "out"
    _manage(db, "annex_a", "--as-of", AS_OF, "--out", str(out))
    workbook = tmp_path / "Annex_A_2026.xlsx"  # the cleaner wants the year in the file name
    shutil.copy(next(out.glob("*.xlsx")), workbook)
    c = clean(oracle_python, workbook, tmp_path)
    log_text, formatting, blanks, other = c.log_text, c.formatting, c.blanks, c.other
    ours = sheets(workbook)
    sizes = {name: len(rows) - 1 for name, rows in ours.items()}
    print(f"\nseed {seed} faults={faults}: rows per list {sizes}")
    print(f"value errors: {formatting}\nblank errors: {blanks}")

    # 1. Every list recognised.
    cleaned_path = c.path
    assert cleaned_path.exists(), f"the cleaner did not match all eleven sheets:\n{log_text}"
    cleaned = sheets(cleaned_path)
    assert list(cleaned) == [f"List {i}" for i in range(1, 12)]
    assert other == [], f"unexpected messages in the cleaner's log: {other}"
    for name in ("List 1", "List 3", "List 6", "List 7", "List 8"):
        assert sizes[name] > 0, f"{name} is empty: the borough is too small to test it"

    # 2. Value errors only for newer codes, exactly as often as we wrote them.
    expected_formatting: Counter[tuple[str, str]] = Counter()
    for (sheet, column), prefixes in NEWER_CODES.items():
        heads = ours[sheet][0]
        col = heads.index(column)
        expected_formatting[(sheet, column)] = sum(
            1 for row in ours[sheet][1:] if isinstance(row[col], str) and row[col].startswith(prefixes)
        )
    assert formatting == {k: v for k, v in expected_formatting.items() if v}

    # 3. Every value the cleaner kept is ours (bar minimisation and known recodes).
    disagreements: Counter[tuple[str, str, str, str]] = Counter()
    for sheet, rows in ours.items():
        heads, crows = rows[0], cleaned[sheet]
        cheads = crows[0]
        assert len(crows) == len(rows), f"{sheet}: the cleaner dropped rows"
        for orow, crow in zip(rows[1:], crows[1:], strict=True):
            for column, theirs in zip(cheads, crow, strict=True):
                if column in DEGRADED:
                    continue
                mine = orow[heads.index(column)]
                if blank(mine) and blank(theirs):
                    continue
                if hasattr(mine, "date") and hasattr(theirs, "date"):
                    if mine.date() == theirs.date():  # type: ignore[union-attr]
                        continue
                if mine == theirs or str(mine) == str(theirs):
                    continue
                prefixes = NEWER_CODES.get((sheet, column), ())
                if isinstance(mine, str) and mine.startswith(prefixes) and blank(theirs):
                    continue
                recode = RECODED.get((sheet, column), {})
                if any(
                    isinstance(mine, str) and mine.startswith(a) and str(theirs).startswith(b)
                    for a, b in recode.items()
                ):
                    continue
                disagreements[(sheet, column, str(mine)[:40], str(theirs)[:40])] += 1
    assert not disagreements, f"the cleaner changed values: {dict(disagreements)}"

    # 4. Blank-cell counts are our own blanks (gaps in the record), column by column.
    for (sheet, column), n in blanks.items():
        col = ours[sheet][0].index(column)
        mine = sum(1 for row in ours[sheet][1:] if blank(row[col]))
        assert n == mine, f"{sheet} {column}: cleaner counts {n} blank, our workbook has {mine}"
        if (sheet, column) not in BLANK_BY_DESIGN:
            assert column in {"Allocated Worker", "Allocated Team", "LA in Touch", "Placement Provider"}, (
                f"{sheet} {column}: {n} blank cells the record should have filled"
            )
