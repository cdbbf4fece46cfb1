"""Without SAFEHOLD_SECRET_KEY (and not a local demo): commands that sign nothing run, the web server does not
start, and ``check --deploy`` names the missing key. Run as real subprocesses with the key removed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MESSAGE = "SAFEHOLD_SECRET_KEY is not set"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SAFEHOLD_SECRET_KEY", "SAFEHOLD_DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["DATABASE_URL"] = "sqlite:///:memory:"
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_makemigrations_check_runs_without_a_secret_key() -> None:
    r = _run("manage.py", "makemigrations", "--check", "--dry-run")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No changes detected" in r.stdout


def test_the_web_server_refuses_to_start_without_one() -> None:
    r = _run("-c", "import config.wsgi")
    assert r.returncode != 0 and MESSAGE in r.stderr


def test_check_deploy_names_the_missing_key() -> None:
    r = _run("manage.py", "check", "--deploy")
    assert r.returncode != 0 and "safehold.E001" in r.stderr and MESSAGE in r.stderr
