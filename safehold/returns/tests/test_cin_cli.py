"""``manage.py returns ... cin``: export, validate (one line per failure, then a count), import; errors exit 2."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from safehold.people.models import Person
from safehold.returns.management.commands import returns as returns_command
from safehold.returns.tests.test_cin_export_import import GOOD, build_record

pytestmark = [pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_export_then_validate_prints_failures_and_a_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Worked out by hand: B1 (born 2010, school age, a referral going on to further action) has neither a UPN
    nor a reason it is missing: 8770Q. C1 is school age too but only an NFA referral; A1 has a UPN; E1 is
    unborn. LA level: only AUT and COMM are used (NONE aside), 2 < 8: 2887Q. Both queries; no errors."""
    build_record()
    out = tmp_path / "cin.xml"
    call_command("returns", "export", "cin", "--year", "2026", "--out", str(out))
    assert "4 children" in capsys.readouterr().out
    call_command("returns", "validate", "cin", str(out))
    lines = capsys.readouterr().out.splitlines()
    failures = [line.split("\t") for line in lines[:-1]]
    assert [(f[0], f[1]) for f in failures] == [("2887Q", ""), ("8770Q", "B1")]
    assert lines[-1].startswith("2 failures (0 errors, 2 queries)")


def test_validate_flags_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Sex X breaks 4180 for child X1; the child has no disability recorded and a referral going on to further
    action (8540), and is of school age with no UPN or reason (8770Q); the LA-level disability queries 2887Q
    (no codes used) and 2888Q (no child with two codes) fire on this one-child return."""
    path = tmp_path / "bad.xml"
    path.write_bytes(GOOD.replace(b"<Sex>F</Sex>", b"<Sex>X</Sex>"))
    call_command("returns", "validate", "cin", str(path))
    lines = capsys.readouterr().out.splitlines()
    found = {tuple(line.split("\t")[:2]) for line in lines[:-1]}
    assert found == {("4180", "X1"), ("8540", "X1"), ("8770Q", "X1"), ("2887Q", ""), ("2888Q", "")}
    assert "Sex must be provided" in next(line for line in lines if line.startswith("4180"))
    assert lines[-1].startswith("5 failures (2 errors, 3 queries)")


def test_import_with_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, names = tmp_path / "cin.xml", tmp_path / "names.csv"
    path.write_bytes(GOOD)
    names.write_text("LAchildID,given_name,family_name\nX1,Nia,Brown\n")
    call_command("returns", "import", "cin", str(path), "--names", str(names))
    assert "1 children created" in capsys.readouterr().out
    assert Person.objects.get(la_child_id="X1").full_name == "Nia Brown"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate", "cin", "/no/such/file.xml"], "No such file"),
        (["validate", "cin"], "needs the file"),
        (["export", "cin", "--year", "2026"], "needs --year and --out"),
        (["import", "cin", "/no/such/file.xml"], "No such file"),
        (["validate", "xyz", "f.xml"], "Unknown return 'xyz'"),
    ],
)
def test_errors_are_messages_with_status_2(argv: list[str], message: str) -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command("returns", *argv)
    assert excinfo.value.returncode == 2
    assert message in str(excinfo.value)


def test_bad_file_import_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<Census/>")
    with pytest.raises(CommandError) as excinfo:
        call_command("returns", "import", "cin", str(path))
    assert excinfo.value.returncode == 2
    assert "root element is <Census>" in str(excinfo.value)


def test_missing_return_module_is_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(returns_command.KINDS, "903", "safehold.returns.not_built_yet.cli")
    with pytest.raises(CommandError) as excinfo:
        call_command("returns", "validate", "903", "x")
    assert excinfo.value.returncode == 2
    assert "not available" in str(excinfo.value)


def test_command_line_exit_status_and_no_traceback(tmp_path: Path) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.test_settings")
    bad = tmp_path / "bad.xml"
    bad.write_text("not xml at all")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "returns", "validate", "cin", str(bad)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "not well-formed XML" in result.stderr
    assert "Traceback" not in result.stderr
