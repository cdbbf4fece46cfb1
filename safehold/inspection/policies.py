"""Who may use the inspection-readiness pages.

The views declare the "analyst" policy (``safehold.accounts.policies``): performance analysts, heads of
service and directors; anyone else gets a 404 like any page they may not see. This module keeps the
predicate under its inspection name for templates and services that ask it.
"""

from __future__ import annotations

from typing import Any

from safehold.accounts.policies import ANALYST_ROLES, allows

__all__ = ["ANALYST_ROLES", "is_analyst"]


def is_analyst(user: Any) -> bool:
    return allows("analyst", user)
