"""Oracle comparisons run the sector's validators in their own virtual environment (.venv-oracles)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def oracle_python() -> Path:
    venv = os.environ.get("SAFEHOLD_ORACLES")
    python = Path(venv or ".venv-oracles") / "bin" / "python"
    if not python.exists():
        message = "Oracle environment missing: run `make test-oracles` (it builds .venv-oracles)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return python


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return Path(os.environ.get("SAFEHOLD_SHARED", Path(__file__).resolve().parents[2] / "shared"))
