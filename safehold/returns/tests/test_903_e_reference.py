"""The SSDA903 rules that need reference inputs (rules/e_reference.py): Ofsted's provider list, the ONS postcode
directory and the LA's ONS code, read from files the tests write (cases_903_e_reference.py describes them and
works out each case). The clean base passes with them; each case makes its rule flag exactly the child named;
without the inputs the rules do not run, as in the DfE tool.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from safehold.returns.ssda903 import cli
from safehold.returns.ssda903.domain import synthetic, validate, write_csv
from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.csvio import FileProblem
from safehold.returns.ssda903.domain.engine import REGISTRY
from safehold.returns.ssda903.domain.reference import Reference, read_postcodes, read_providers
from safehold.returns.tests import cases_903_e_reference as e
from safehold.returns.tests.support_903 import BASE, A, edit


def reference(tmp: Path, mutate_providers: e.ProviderMutation = e._none, suffix: str = ".xlsx") -> Reference:
    rows = e.provider_rows()
    mutate_providers(rows)
    providers = e.write_providers(tmp / f"providers{suffix}", rows)
    postcodes = e.write_postcodes(tmp / "postcodes.csv")
    return Reference(
        providers=read_providers(providers.read_bytes(), providers.name),
        postcodes=read_postcodes(postcodes.read_bytes(), postcodes.name),
        la=e.OWN,
    )


def _flagged(ret: t.Return903, code: str, previous: t.Return903 | None, ref: Reference | None) -> set[str]:
    return {f.child_id for f in validate(ret, previous, ref) if f.rule_code == code}


def test_clean_base_passes_with_reference(tmp_path: Path) -> None:
    ref = reference(tmp_path)
    assert validate(BASE, None, ref) == []
    assert validate(BASE, synthetic.previous_return(BASE), ref) == []


@pytest.mark.parametrize(
    ("code", "child", "mutate", "mutate_previous", "mutate_providers"),
    e.REFERENCE_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(e.REFERENCE_CASES)],
)
def test_reference_rule_fires(
    tmp_path: Path,
    code: str,
    child: str,
    mutate: e.Mutation,
    mutate_previous: e.Mutation | None,
    mutate_providers: e.ProviderMutation,
) -> None:
    ret = copy.deepcopy(BASE)
    previous = synthetic.previous_return(ret) if mutate_previous is not None else None
    mutate(ret)
    if mutate_previous is not None and previous is not None:
        mutate_previous(previous)
    ref = reference(tmp_path, mutate_providers)
    assert _flagged(ret, code, previous, ref) == {child}
    # Without the reference inputs (or without last year's return) the rule does not run.
    assert code not in {f.rule_code for f in validate(ret, previous)}
    if previous is not None:
        assert code not in {f.rule_code for f in validate(ret, None, ref)}


def test_every_reference_rule_has_a_case() -> None:
    needing = {code for code, r in REGISTRY.items() if r.needs}
    assert needing == set(e.COVERED_ELSEWHERE)


def test_each_rule_runs_only_with_what_it_needs(tmp_path: Path) -> None:
    """1008 needs only the provider list; 1015 also the LA's code; 454 only the postcodes."""
    full = reference(tmp_path)
    ret = copy.deepcopy(BASE)
    edit(ret, "Episodes", A, URN="SC999999", PLACE="K2", PL_POST="XX9 1AA")
    providers_only = Reference(providers=full.providers)
    postcodes_only = Reference(postcodes=full.postcodes)
    assert _flagged(ret, "1008", None, providers_only) == {A}
    assert _flagged(ret, "454", None, postcodes_only) == {A}
    edit(ret, "Episodes", A, PL_POST="XX2 1AA")  # in another LA
    assert _flagged(ret, "1015", None, postcodes_only) == set()
    assert _flagged(ret, "1015", None, Reference(postcodes=full.postcodes, la=e.OWN)) == {A}


def test_passing_edges(tmp_path: Path) -> None:
    """The edges each rule lets pass: a provider closing the day after an episode ends (228: DEC <= closure), an
    episode starting the day before closure (227), a K3 placement at premises in another LA where the provider is
    (241 compares with the provider's premises, not with the reporting LA), own provision in foster care away
    from the LA (1015 exempts U1–U6), a placement in Wales about 123 miles away (454: over 350 only)."""
    ret = copy.deepcopy(BASE)
    # C's second episode 24/06/2025 – 31/08/2025 at SC000002; closure 01/09/2025 is after both ends.
    ref = reference(tmp_path, e.provider("SC000002", **{"Deregistration date": e.dt.date(2025, 9, 1)}))
    assert _flagged(ret, "227", None, ref) == _flagged(ret, "228", None, ref) == set()
    # Closure on 31/08/2025, the day C's episode ends: 228 allows DEC on the closure day; no episode starts then.
    ref = reference(tmp_path, e.provider("SC000002", **{"Deregistration date": e.dt.date(2025, 8, 31)}))
    assert _flagged(ret, "227", None, ref) == _flagged(ret, "228", None, ref) == set()
    # K3 at SC000008 whose premises are in OTHER, placed in OTHER: 241 passes (the DfE tool would flag it).
    ref = reference(tmp_path, e.provider("SC000008", **{"Setting address postcode": "XX2 1AA"}))
    edit(ret, "Episodes", A, PLACE="K3", URN="SC000008", PL_POST="XX2 1AA")
    assert _flagged(ret, "241", None, ref) == set()
    # Own provision in foster care (U4) placed in another LA: exempt from 1015.
    ret = copy.deepcopy(BASE)
    edit(ret, "Episodes", A, PL_POST="XX2 1AA")
    assert _flagged(ret, "1015", None, reference(tmp_path)) == set()
    # Wales, 198,000 m west and 3,000 m north of TW1 1AA: about 123 miles, under 350.
    edit(ret, "Episodes", A, PL_POST="XX4 1AA")
    assert _flagged(ret, "454", None, reference(tmp_path)) == set()


def test_reference_readers(tmp_path: Path) -> None:
    ref = reference(tmp_path, e.provider("SC000000", **{"Deregistration date": e.dt.date(2026, 3, 1)}), ".csv")
    assert ref.provider("sc000000")[0].deregistered == e.dt.date(2026, 3, 1)
    assert ref.provider("SC000009")[0].place_codes == {"K2"}
    assert ref.la_of("xx3 1aa") == e.COUNTY  # the district's county is the LA of placement
    assert ref.la_of("XX41AA") == "WAL"
    assert ref.la_of("XX5 1AA") is None
    assert ref.distance("TW1 1AA", "XX1 1AA") == 2.5  # 4,000 m
    bad = tmp_path / "bad.csv"
    bad.write_text("URN,Placement code\nSC1,K2\n")
    with pytest.raises(FileProblem, match="missing column"):
        read_providers(bad.read_bytes(), bad.name)
    with pytest.raises(FileProblem, match="missing column"):
        read_postcodes(b"pcd,laua\nXX1 1AA,E09000027\n", "pc.csv")
    only = read_postcodes((tmp_path / "postcodes.csv").read_bytes(), "postcodes.csv", only={"XX11AA"})
    assert set(only) == {"XX11AA"}


def test_cli_takes_the_reference_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ret = copy.deepcopy(BASE)
    edit(ret, "Episodes", A, PLACE="K2", PL_POST="XX2 1AA", URN="SC999999")
    folder = tmp_path / "return"
    folder.mkdir()
    for name, text in write_csv(ret).items():
        (folder / name).write_text(text)
    providers = e.write_providers(tmp_path / "providers.xlsx", e.provider_rows())
    postcodes = e.write_postcodes(tmp_path / "postcodes.csv")
    cli.validate(folder)
    plain = capsys.readouterr().out
    cli.validate(folder, None, providers, postcodes, e.OWN)
    out = capsys.readouterr().out
    for code in ("1008", "1015"):
        assert f"{code}\t{A}\t" not in plain
        assert f"{code}\t{A}\t" in out


def test_the_la_ons_code_comes_from_the_setting_unless_given(settings: Any) -> None:
    """No reference files and no --la: with SAFEHOLD_LA_ONS_CODE unset there is no reference (the rules skip);
    set, the reference carries it; --la wins over the setting."""
    settings.SAFEHOLD_LA_ONS_CODE = ""
    assert cli.reference_for(BASE, None, None, None, None) is None
    settings.SAFEHOLD_LA_ONS_CODE = e.OWN
    ref = cli.reference_for(BASE, None, None, None, None)
    assert ref is not None and ref.la == e.OWN
    other = cli.reference_for(BASE, None, None, None, "E09000001")
    assert other is not None and other.la == "E09000001"
