"""The domains an audit grades, read from ``safehold/oversight/data/audit_domains.csv`` (code, title, prompt,
source). A council changes its audit tool by editing that file; grades already given keep their domain code."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DOMAINS_FILE = Path(__file__).resolve().parent.parent / "data" / "audit_domains.csv"


@dataclass(frozen=True)
class Domain:
    code: str
    title: str
    prompt: str
    source: str


@lru_cache(maxsize=1)
def domains() -> tuple[Domain, ...]:
    with DOMAINS_FILE.open(newline="", encoding="utf-8") as fh:
        rows = [Domain(r["code"], r["title"], r["prompt"], r["source"]) for r in csv.DictReader(fh)]
    codes = [d.code for d in rows]
    if len(set(codes)) != len(codes) or not rows:
        raise ValueError(f"{DOMAINS_FILE}: domain codes must be present and unique")
    return tuple(rows)


def domain_titles() -> dict[str, str]:
    return {d.code: d.title for d in domains()}
