"""SSDA903 rules that need reference inputs (Ofsted's provider list, the postcode directory, the LA's code):
Safehold against the DfE tool (lac_validator) given the same files.

Every case of safehold/returns/tests/cases_903_e_reference.py (each worked out there) is applied to its own copy
of the clean base (children and URNs renamed per copy), with last year's return (``synthetic.previous_return``,
mutated where the case says) and a provider list holding each copy's own rows (mutated where the case says), all
in one file per year; the postcode directory is the cases' synthetic one. ``oracles/run_903_reference.py`` runs
the tool with that directory in place of its own copy of the ONS directory and the provider list as its combined
"CH lookup" list. Per reference rule: flagged by both / oracle only / Safehold only; every disagreement must be
explained in docs/returns/903-agreement.md. A clean bundle (the base with no case) must give nothing from
either.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

from safehold.returns.ssda903.domain import synthetic, validate, write_csv
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.reference import Reference, read_postcodes, read_providers
from safehold.returns.tests import cases_903_e_reference as e
from safehold.returns.tests.support_903 import BASE

ROOT = Path(__file__).resolve().parents[1]
AGREEMENT = ROOT / "docs" / "returns" / "903-agreement.md"
RUNNER = Path(__file__).resolve().parent / "run_903_reference.py"
CODES = set(e.COVERED_ELSEWHERE)


def _rename(ret: t.Return903, i: int) -> None:
    """Children C007…→ E{i:03d}…; URNs SC0000nn → SC{i:02d}00nn (so each copy has its own providers)."""
    for table in t.COLUMNS:
        rows = ret.rows(table)
        rows[:] = [dataclasses.replace(r, CHILD=f"E{i:03d}{r.CHILD[4:]}") for r in rows]
    ret.episodes[:] = [dataclasses.replace(r, URN=_urn(r.URN, i)) for r in ret.episodes]


def _urn(urn: str, i: int) -> str:
    return f"SC{i:02d}{urn[4:]}" if urn.startswith("SC00") else urn


def bundle(cases: list[Any]) -> tuple[t.Return903, t.Return903, list[e.ProviderRow], dict[str, str]]:
    this, last = t.Return903(year=BASE.year), t.Return903(year=BASE.year - 1)
    providers: list[e.ProviderRow] = []
    labels: dict[str, str] = {}
    for i, (code, _child, mutate, mutate_previous, mutate_providers) in enumerate(cases):
        ret = copy.deepcopy(BASE)
        prev = synthetic.previous_return(ret)
        mutate(ret)
        if mutate_previous is not None:
            mutate_previous(prev)
        rows = e.provider_rows()
        mutate_providers(rows)
        for r in (ret, prev):
            _rename(r, i)
        for table in t.COLUMNS:
            this.rows(table).extend(ret.rows(table))
            last.rows(table).extend(prev.rows(table))
        providers.extend({**r, "URN": _urn(str(r["URN"]), i)} for r in rows)
        labels.update({h.CHILD: f"{code} case {i}" for h in ret.header})
    return this, last, providers, labels


def _write(ret: t.Return903, folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, text in write_csv(ret).items():
        (folder / name).write_text(text)
    return folder


def run_both(
    oracle_python: Path, tmp: Path, cases: list[Any]
) -> tuple[set[tuple[str, str]], set[tuple[str, str]], set[str], dict[str, str]]:
    this, last, provider_list, labels = bundle(cases)
    providers = e.write_providers(tmp / "providers.xlsx", provider_list)
    postcodes = e.write_postcodes(tmp / "postcodes.csv")
    reference = Reference(
        providers=read_providers(providers.read_bytes(), providers.name),
        postcodes=read_postcodes(postcodes.read_bytes(), postcodes.name),
        la=e.OWN,
    )
    ours = {(f.rule_code, f.child_id) for f in validate(this, last, reference) if f.rule_code in CODES}
    out = tmp / "oracle-issues.csv"
    proc = subprocess.run(  # noqa: S603
        [
            str(oracle_python),
            str(RUNNER),
            str(_write(this, tmp / "this")),
            "--previous",
            str(_write(last, tmp / "last")),
            "--year",
            str(this.year),
            "--la",
            e.OWN,
            "--providers",
            str(providers),
            "--postcodes",
            str(postcodes),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0 or "No objects to concatenate" in proc.stderr, proc.stderr[-3000:]
    m = re.search(r"raised exception: \d+ \[(.*?)\]", proc.stdout)
    raised = {c.strip().strip("'") for c in m.group(1).split(",") if c.strip()} if m else set()
    theirs: set[tuple[str, str]] = set()
    if out.exists():
        with out.open() as f:
            theirs = {(r["rule_code"], r["child_id"]) for r in csv.DictReader(f) if r["rule_code"] in CODES}
    return ours, theirs, raised, labels


def explained() -> set[tuple[str, str]]:
    text = AGREEMENT.read_text()
    return {(m.group(1), m.group(2)) for m in re.finditer(r"^- `([^`]+)` (oracle-only|safehold-only)", text, re.M)}


def test_clean_base_with_reference_has_no_issues(oracle_python: Path, tmp_path: Path) -> None:
    clean = [("clean", "", e._none, None, e._none)]
    ours, theirs, raised, _ = run_both(oracle_python, tmp_path, clean)
    assert raised & CODES == set(), raised
    assert ours == set(), sorted(ours)
    assert theirs == set(), sorted(theirs)


def test_reference_rules_agree_with_the_oracle(oracle_python: Path, tmp_path: Path) -> None:
    ours, theirs, raised, labels = run_both(oracle_python, tmp_path, e.REFERENCE_CASES)
    assert raised & CODES == set(), raised
    allowed = explained()
    report = [f"SSDA903 reference rules on {len(e.REFERENCE_CASES)} cases", "rule  both  oracle-only  safehold-only"]
    unexplained = []
    for code in sorted(CODES):
        mine = {c for r, c in ours if r == code}
        other = {c for r, c in theirs if r == code}
        both, oracle_only, safehold_only = mine & other, other - mine, mine - other
        report.append(f"{code:<10} {len(both):5d} {len(oracle_only):12d} {len(safehold_only):14d}")
        for direction, children in (("oracle-only", oracle_only), ("safehold-only", safehold_only)):
            if children and (code, direction) not in allowed:
                unexplained.append(f"{code} {direction}: {sorted(labels.get(c, c) for c in children)[:5]}")
    print("\n" + "\n".join(report))
    # Every case's own rule is flagged by both validators for the case's child.
    for i, (code, child, *_rest) in enumerate(e.REFERENCE_CASES):
        renamed = f"E{i:03d}{child[4:]}"
        assert (code, renamed) in ours, f"{code} case {i}: Safehold did not flag"
        assert (code, renamed) in theirs, f"{code} case {i}: the oracle did not flag"
    assert not unexplained, "unexplained disagreements:\n" + "\n".join(unexplained)
