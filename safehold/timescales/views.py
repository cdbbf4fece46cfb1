"""Deadline worklists for managers: overdue now, due in the next 10 working days, and drift.

Filters are GET parameters that carry no personal data: ``view`` (overdue / due / drift / all),
``worker`` (StaffMember id), ``team`` (Team id), ``rule`` (rule code), ``state`` (stored state, for
the ``all`` view), ``sort``, ``margin`` (drift margin in working days) and ``page``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehold.accounts.policies import policy
from safehold.timescales import selectors
from safehold.timescales.domain.rules import RULES
from safehold.timescales.models import DeadlineState

VIEWS = {
    "overdue": "Overdue now",
    "due": "Due in the next 10 working days",
    "drift": "Drift",
    "all": "All deadlines",
}
PAGE_SIZE = 100


def _int(value: str | None, *, minimum: int = 0, maximum: int | None = None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        return None
    return number


@policy("named_children")
@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    params = request.GET
    view = params.get("view", "overdue")
    if view not in VIEWS:
        view = "overdue"
    worker_id = _int(params.get("worker"), minimum=1)
    team_id = _int(params.get("team"), minimum=1)
    rule = params.get("rule") or None
    if rule not in RULES:
        rule = None
    state = params.get("state") or None
    if state not in DeadlineState.values:
        state = None
    margin = _int(params.get("margin"), maximum=250)
    if margin is None:
        margin = selectors.drift_margin_default()
    scope: dict[str, Any] = {"user": request.user, "worker_id": worker_id, "team_id": team_id, "rule": rule}
    context: dict[str, Any] = {
        "nav": "deadlines",
        "view": view,
        "views": VIEWS,
        "view_title": VIEWS[view],
        "filters": {"worker": worker_id, "team": team_id, "rule": rule or "", "state": state or "", "margin": margin},
        "options": selectors.filter_options(user=request.user),
        "rules": sorted((code, r.title) for code, r in RULES.items()),
        "states": DeadlineState.choices,
    }
    if view == "drift":
        sort = params.get("sort", "worst")
        if sort not in selectors.DRIFT_SORTS:
            sort = "worst"
        # One row per drifting child; shown a page at a time like the other lists (an LA has
        # thousands), with the total in the caption.
        rows = selectors.drift(**scope, margin=margin, sort=sort)
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
        context["sorts"] = selectors.DRIFT_SORTS
    else:
        sort = params.get("sort", "due")
        if sort not in selectors.SORTS:
            sort = "due"
        if view == "overdue":
            qs = selectors.overdue_now(**scope, sort=sort)
        elif view == "due":
            qs = selectors.due_soon(**scope, sort=sort)
        else:
            qs = selectors.deadlines_for(**scope, state=state, sort=sort)
        page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
        for deadline in page.object_list:
            rule_obj = RULES.get(deadline.rule_code)
            deadline.rule_title = rule_obj.title if rule_obj else deadline.rule_code  # type: ignore[attr-defined]
        context["page"] = page
        context["sorts"] = tuple(selectors.SORTS)
    context["sort"] = sort
    query = params.copy()
    query.pop("page", None)
    context["query_without_page"] = query.urlencode()
    return render(request, "timescales/worklist.html", context)
