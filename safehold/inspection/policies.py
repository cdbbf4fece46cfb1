"""Who may use the inspection-readiness pages.

The URL policy is "named_children" (these pages name children); within it only the roles below may use
them, and anyone else gets a 404 like any page they may not see. A dedicated "analyst" policy in
``accounts.policies`` would express this directly (see docs/inspection.md).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from safehold.accounts.roles import Role

ANALYST_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.HEAD_OF_SERVICE, Role.DIRECTOR})


def is_analyst(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in ANALYST_ROLES)


def require_analyst(request: HttpRequest) -> None:
    if not is_analyst(request.user):
        raise Http404("No such page")
