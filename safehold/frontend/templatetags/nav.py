"""The service navigation: the links a user's role may use, computed from the same policies the views declare.

A link is shown only when the policy of the page it leads to admits the user (and, for the team pages, the
user manages a team), so the menu never offers a page that would answer 404. The current item is the one
whose ``nav`` key the view set, or failing that the one whose path the request is under.

Usage: ``{% load nav %}{% nav_links as links %}`` then ``link.label``, ``link.href``, ``link.current``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse

from safehold.accounts.policies import allows

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    policy: str


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    href: str
    current: bool


#: The menu, in order. Each page's own policy decides whether its link is shown.
NAV_ITEMS = (
    NavItem("caseload", "My caseload", "frontend:home", "signed_in"),
    NavItem("search", "Search", "casework:search", "named_children"),
    NavItem("deadlines", "Deadlines", "timescales:worklist", "named_children"),
    NavItem("team", "Team", "frontend:team", "manages_team"),
    # The panel page is open to anyone who may see named children; the menu offers it to those who record work.
    NavItem("exploitation", "Exploitation panel", "exploitation:panel", "records_casework"),
    NavItem("adopters", "Adopters", "adoption:adopters", "records_casework"),
    NavItem("audits", "Case audits", "oversight:audits", "audits"),
    NavItem("workforce", "Workforce", "workforce:overview", "workforce"),
    NavItem("inspection", "Inspection", "inspection:readiness", "analyst"),
    NavItem("returns", "Returns", "returns:index", "analyst"),
    NavItem("break-glass", "Break-glass log", "accounts:break-glass-log", "named_children"),
    NavItem("staff", "Staff accounts", "accounts:staff", "admin"),
    NavItem("review", "Access review", "accounts:access-review", "access_review"),
    NavItem("retention", "Retention", "retention:review", "retention_officer"),
    NavItem("subject-access", "Subject access", "subject_access:list", "subject_access"),
    NavItem("retention-schedule", "Retention schedule", "retention:schedule", "admin"),
)


def _manages_a_team(user: Any) -> bool:
    from safehold.workforce.selectors import managed_team_ids

    return bool(managed_team_ids(user=user))


def _sees_a_workforce(user: Any) -> bool:
    from safehold.workforce.selectors import workforce_team_ids

    return bool(workforce_team_ids(user=user))


#: Pages whose view refuses some users the policy admits (a head of service who manages no team; a team
#: manager who manages none, on the workforce pages).
EXTRA_CHECKS = {"team": _manages_a_team, "workforce": _sees_a_workforce}


def _shown(item: NavItem, user: Any) -> bool:
    extra = EXTRA_CHECKS.get(item.key)
    return allows(item.policy, user) and (extra is None or extra(user))


def links_for(user: Any, *, nav: str = "", path: str = "") -> list[NavLink]:
    """The menu for ``user``; ``nav`` is the view's own key for the current page, ``path`` the request path."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    items = [(item, reverse(item.url_name)) for item in NAV_ITEMS if _shown(item, user)]
    current = next((item.key for item, _ in items if nav and item.key == nav), "")
    if not current and path:
        # The longest link path the request is under (the home page "/" only matches itself).
        under = [
            (len(href), item.key) for item, href in items if path == href or (href != "/" and path.startswith(href))
        ]
        current = max(under)[1] if under else ""
    return [NavLink(item.key, item.label, href, item.key == current) for item, href in items]


@register.simple_tag(takes_context=True)
def nav_links(context: template.Context) -> list[NavLink]:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    return links_for(user, nav=str(context.get("nav") or ""), path=getattr(request, "path", ""))


@register.simple_tag(takes_context=True)
def may(context: template.Context, policy_name: str) -> bool:
    """Whether the signed-in user's role passes a named policy (for links on a page, e.g. the access log)."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    return bool(user is not None and getattr(user, "is_authenticated", False) and allows(policy_name, user))
