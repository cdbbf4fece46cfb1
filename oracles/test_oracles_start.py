"""Each oracle starts and answers. (The comparisons of our returns with them live beside this file.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.mark.parametrize("module", ["cin_validator", "lac_validator", "liiatools"])
def test_oracle_imports(oracle_python: Path, module: str) -> None:
    result = subprocess.run(  # noqa: S603
        [str(oracle_python), "-c", f"import {module}; print({module}.__name__)"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == module


def test_oracle_runners_are_present(shared_dir: Path) -> None:
    for runner in ("run_cin.py", "run_903.py", "install.sh"):
        assert (shared_dir / "oracles" / runner).exists(), f"missing {runner} in {shared_dir}/oracles"
