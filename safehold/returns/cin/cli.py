"""Command-line adapters for the CIN census (called by ``manage.py returns ... cin``).

Each function does one job and returns (or prints) plain text; errors are raised as SafeholdError or
OSError for the command to turn into a message and exit status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from safehold.core.exceptions import ValidationFailed
from safehold.returns.cin.domain.rules import validate as run_rules
from safehold.returns.cin.domain.xml_io import CinReadError, read_census, write_census

ACTOR = "returns command (CIN census)"


def export(year: int, out: Path) -> str:
    """Write the census for the collection year ending 31 March ``year`` to ``out``."""
    from safehold.returns.cin.selectors import cin_census

    census = cin_census(year)
    out.write_text(write_census(census), encoding="utf-8")
    episodes = sum(len(c.episodes) for c in census.children)
    label = f"{year - 1}/{str(year)[2:]}"
    return f"Wrote the CIN census {label}: {len(census.children)} children, {episodes} episodes to {out}"


def validate(path: Path, previous: Path | None = None) -> int:
    """Print one line per failure (rule code, LA child id, message) and a count line; return the number of
    errors (queries are printed but not counted as errors). ``previous`` is accepted for symmetry with the
    SSDA903 return; no CIN rule needs the previous year's file."""
    try:
        census = read_census(path.read_bytes())
    except CinReadError as exc:
        raise ValidationFailed(f"{path}: {exc}") from exc
    for problem in census.problems:
        sys.stdout.write(f"XML\t{problem.la_child_id}\t{problem.field}: {problem.message}\n")
    failures = run_rules(census)
    errors = queries = 0
    for f in failures:
        sys.stdout.write(f.line() + "\n")
        if f.rule_code.endswith("Q"):
            queries += 1
        else:
            errors += 1
    sys.stdout.write(
        f"{len(failures)} failures ({errors} errors, {queries} queries) and {len(census.problems)} unreadable values "
        f"in {len(census.children)} children\n"
    )
    return errors + len(census.problems)


def import_(path: Path, names: Path | None = None) -> str:
    from safehold.returns.cin.services import cin_import

    names_bytes = names.read_bytes() if names is not None else None
    result = cin_import(actor=ACTOR, xml_bytes=path.read_bytes(), names_csv=names_bytes)
    return f"Imported {path}: {result.summary()}"
