"""The DfE CIN census rules, one named unit per rule code, grouped by the collection year that introduced
or last changed them. ``RULES`` is the 2025/26 set: 2022/23 rules, overlaid by 2024/25's, overlaid by
2025/26's (none). ``validate`` runs them all on a census."""

from __future__ import annotations

from safehold.returns.cin.domain.census import Census
from safehold.returns.cin.domain.rules import y2022_23, y2024_25, y2025_26
from safehold.returns.cin.domain.rules.base import Failure, Rule, validate_with

__all__ = ["RULES", "RULESETS", "Failure", "Rule", "validate"]


def _overlay(*layers: tuple[dict[str, Rule], frozenset[str]]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for registry, deleted in layers:
        for code in deleted:
            rules.pop(code, None)
        rules.update(registry)
    return dict(sorted(rules.items()))


RULES_2024_25 = _overlay((y2022_23.REGISTRY, frozenset()), (y2024_25.REGISTRY, frozenset()))
RULES_2025_26 = _overlay((RULES_2024_25, frozenset()), (y2025_26.REGISTRY, y2025_26.DELETED))
RULESETS: dict[int, dict[str, Rule]] = {2025: RULES_2024_25, 2026: RULES_2025_26}
RULES = RULES_2025_26


def validate(census: Census, year: int | None = None) -> list[Failure]:
    """Run every rule of the census's collection year (2025/26 rules for any later year)."""
    y = year or census.header.year or 2026
    rules = RULESETS.get(y, RULES)
    return validate_with(rules.values(), census, year)
