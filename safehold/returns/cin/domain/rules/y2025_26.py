"""The 2025/26 collection: the DfE made no rule changes beyond 2024/25 (STATUTE.md §6.1)."""

from __future__ import annotations

from safehold.returns.cin.domain.rules.base import Rule

REGISTRY: dict[str, Rule] = {}
DELETED: frozenset[str] = frozenset()
