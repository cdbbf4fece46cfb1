#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster started here and removed afterwards.

    python tools/pg_run.py -- pytest -q

The cluster lives in a temporary directory, listens on 127.0.0.1 at a free port, trusts local
connections and runs with fsync off (it is thrown away). PostgreSQL refuses to run as root, so when
we are root the cluster runs as the ``postgres`` user (``runuser``). The command gets DATABASE_URL.

When the server binaries are missing the command is skipped with a loud message, unless CI=true, in
which case that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _bindir() -> Path | None:
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append(Path(out))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for c in candidates:
        if (c / "initdb").exists() and (c / "pg_ctl").exists():
            return c
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_pg(cmd: list[str], run_as: str | None) -> list[str]:
    return ["runuser", "-u", run_as, "--", *cmd] if run_as else cmd


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: pg_run.py -- COMMAND ...", file=sys.stderr)
        return 2
    ci = os.environ.get("CI", "").lower() == "true"
    bindir = _bindir()
    if bindir is None:
        msg = "PostgreSQL server binaries (initdb, pg_ctl) not found: the PostgreSQL test run cannot start."
        if ci:
            print(f"ERROR: {msg}", file=sys.stderr)
            return 1
        print(f"\n{'!' * 78}\nSKIPPED: {msg}\n{'!' * 78}\n", file=sys.stderr)
        return 0

    run_as = "postgres" if os.geteuid() == 0 else None
    tmp = Path(tempfile.mkdtemp(prefix="safehold-pg-"))
    data = tmp / "data"
    port = _free_port()
    if run_as:
        shutil.chown(tmp, user=run_as)
        os.chmod(tmp, 0o700)
    try:
        subprocess.run(
            _as_pg(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "safehold",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--locale=C",
                ],
                run_as,
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        opts = (
            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=50 -c shared_buffers=256MB"
        )
        subprocess.run(
            _as_pg(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    opts,
                    "-l",
                    str(tmp / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
                run_as,
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        subprocess.run(
            _as_pg(
                [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "safehold", "safehold"], run_as
            ),
            check=True,
        )
        env = dict(os.environ, DATABASE_URL=f"postgres://safehold@127.0.0.1:{port}/safehold")
        print(f"PostgreSQL {bindir.parent.name} started on 127.0.0.1:{port} (throwaway cluster in {tmp})", flush=True)
        return subprocess.run(argv, env=env, check=False).returncode
    except (subprocess.CalledProcessError, OSError) as exc:
        log = tmp / "server.log"
        print(f"ERROR: could not start PostgreSQL: {exc}", file=sys.stderr)
        if log.exists():
            print(log.read_text()[-3000:], file=sys.stderr)
        return 1
    finally:
        if data.exists():
            subprocess.run(
                _as_pg([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], run_as),
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
