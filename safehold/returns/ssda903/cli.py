"""What `manage.py returns export|validate|import 903 …` runs (the command itself dispatches here)."""

from __future__ import annotations

import sys
from pathlib import Path

from safehold.returns.ssda903.domain import read_csv, write_csv
from safehold.returns.ssda903.domain import validate as run_rules
from safehold.returns.ssda903.domain.csvio import FileProblem
from safehold.returns.ssda903.domain.reference import Reference, compact, read_postcodes, read_providers
from safehold.returns.ssda903.domain.tables import Return903
from safehold.returns.ssda903.services import guess_year, ssda903_import


def export(year: int, out: Path) -> str:
    """Write the return for the collection year ending 31 March ``year`` as CSV files into ``out``."""
    from safehold.returns.ssda903.selectors import ssda903_return

    out.mkdir(parents=True, exist_ok=True)
    ret = ssda903_return(year=year)
    files = write_csv(ret)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return f"SSDA903 {year - 1}/{str(year)[2:]}: {len(ret.header)} children, {len(ret.episodes)} episodes → {out}"


def _load(path: Path, year: int | None = None) -> tuple[dict[str, bytes], int]:
    files = (
        {p.name: p.read_bytes() for p in sorted(path.glob("*.csv"))}
        if path.is_dir()
        else {path.name: path.read_bytes()}
    )
    if year is None:
        year = guess_year(read_csv(files, year=2026))
        if any(read_csv({n: b}, year=year).present == frozenset({"DoLo"}) for n, b in files.items()):
            year = max(year, 2027)
    return files, year


def reference_for(
    ret: Return903,
    previous: Return903 | None,
    providers: Path | None,
    postcodes: Path | None,
    la: str | None,
) -> Reference | None:
    """The optional reference inputs: Ofsted's provider list, the ONS postcode directory (only the postcodes the
    returns and the provider list use are kept) and the LA's ONS code (``la``, else the setting
    ``SAFEHOLD_LA_ONS_CODE``). None when none is given."""
    from django.conf import settings

    la = la or settings.SAFEHOLD_LA_ONS_CODE or None
    if providers is None and postcodes is None and la is None:
        return None
    provider_list = read_providers(providers.read_bytes(), providers.name) if providers is not None else None
    directory = None
    if postcodes is not None:
        wanted = {
            compact(p) for r in (ret, previous) if r is not None for e in r.episodes for p in (e.HOME_POST, e.PL_POST)
        }
        for rows in (provider_list or {}).values():
            wanted.update(p.postcode for p in rows)
        directory = read_postcodes(postcodes.read_bytes(), postcodes.name, only=wanted)
    return Reference(providers=provider_list, postcodes=directory, la=la.strip().upper() if la else None)


def validate(
    path: Path,
    previous: Path | None = None,
    providers: Path | None = None,
    postcodes: Path | None = None,
    la: str | None = None,
) -> int:
    """Print one line per failure (rule code, CHILD, message, tab-separated), then a count; return the count.
    ``providers`` (Ofsted's list), ``postcodes`` (an ONS postcode directory CSV) and ``la`` (the LA's ONS code)
    are the optional reference inputs (``domain/reference.py``): rules needing one are skipped without it."""
    try:
        files, year = _load(path)
        ret = read_csv(files, year=year)
        prev = None
        if previous is not None:
            prev_files, _ = _load(previous, year - 1)
            prev = read_csv(prev_files, year=year - 1)
        reference = reference_for(ret, prev, providers, postcodes, la)
    except FileProblem as exc:
        for problem in exc.problems:
            print(f"FILE\t-\t{problem}")
        print(f"{len(exc.problems)} file problems")
        return len(exc.problems)
    failures = run_rules(ret, prev, reference)
    seen = set()
    for f in failures:
        key = (f.rule_code, f.child_id)
        if key in seen:
            continue
        seen.add(key)
        sys.stdout.write(f"{f.rule_code}\t{f.child_id}\t{f.message}\n")
    print(f"{len(seen)} failures ({len(failures)} flagged rows) in SSDA903 {year - 1}/{str(year)[2:]}")
    return len(seen)


def import_(path: Path, names: Path | None = None) -> str:
    """Import a return from a folder of CSVs; ``names`` is an optional CSV of CHILD, GIVEN_NAME, FAMILY_NAME."""
    files, _ = _load(path)
    summary = ssda903_import(actor=None, files=files, names_csv=names.read_bytes() if names else None)
    return summary.describe()
