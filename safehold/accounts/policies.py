"""Deny by default: every view declares the policy that admits a request to it.

A policy is a named predicate on the request's user. ``@policy("name")`` attaches one to a view; the
:class:`PolicyMiddleware` refuses (404 for signed-in users, sign-in redirect otherwise) any request to a
view without a policy or whose policy says no. Every policy but "public" and "two_factor" also needs a
session verified with a second factor (django-otp): a signed-in but unverified session is sent to the
two-factor step first, before the policy is even asked. Per-record decisions (may this user see *this* child?)
are made by the record's ``visible_to(user)`` queryset, so a record the user may not see is a 404.

One refinement keeps refusals clear without disclosing anything: a policy may name a *refusal* (see
:data:`REFUSALS`) that the middleware asks before answering 404. "records_casework" uses it: someone who may
see the child in the URL but whose role cannot record casework is told so (403); for a child they cannot
see, the answer stays 404, so the existence of a record is never revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from safehold.accounts.roles import (
    ACCESS_REVIEW_ROLES,
    AGGREGATE_ONLY_ROLES,
    AUDIT_VIEWER_ROLES,
    BREAK_GLASS_ROLES,
    RECORDING_ROLES,
    Role,
)

F = TypeVar("F", bound=Callable[..., Any])

Predicate = Callable[[Any], bool]

#: Roles that use the inspection-readiness pages (performance analysts, heads of service, directors).
ANALYST_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.HEAD_OF_SERVICE, Role.DIRECTOR})
#: Roles that manage teams; the team pages then show only the teams the user actually manages.
TEAM_MANAGING_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})
#: Case auditors: team managers and above (there is no separate quality-assurance role).
AUDITOR_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR})
#: Who reads case audits: auditors, and social workers for the audits of their own children.
AUDIT_READER_ROLES = AUDITOR_ROLES | {Role.SOCIAL_WORKER}
#: The workforce pages: team managers (their own teams), heads of service and directors.
WORKFORCE_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR})


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_verified(user: Any) -> bool:
    """True when this session passed the second factor (django-otp's OTPMiddleware sets is_verified)."""
    check = getattr(user, "is_verified", None)
    return bool(callable(check) and check())


POLICIES: dict[str, Predicate] = {
    # Pages anyone may reach (sign-in, static health check).
    "public": lambda user: True,
    # Any signed-in, active account.
    "signed_in": _signed_in,
    # Pages that name children: every role but the aggregate-only ones; the record's own
    # visible_to(user) then decides per child.
    "named_children": lambda user: _signed_in(user) and user.role not in AGGREGATE_ONLY_ROLES,
    # Reference-data administration, staff accounts (joiners and leavers).
    "admin": lambda user: _signed_in(user) and user.role == Role.SYSTEM_ADMINISTRATOR and user.is_staff,
    # The two-factor step itself: signed in with a password, second factor not yet given.
    "two_factor": _signed_in,
    # Opening a restricted record with a reason.
    "break_glass": lambda user: _signed_in(user) and user.role in BREAK_GLASS_ROLES,
    # Who has viewed a child: the DPO, and managers for the children they oversee.
    "audit_viewer": lambda user: _signed_in(user) and user.role in AUDIT_VIEWER_ROLES,
    # The quarterly access review.
    "access_review": lambda user: _signed_in(user) and user.role in ACCESS_REVIEW_ROLES,
    # Inspection readiness: performance analysts, heads of service and directors.
    "analyst": lambda user: _signed_in(user) and user.role in ANALYST_ROLES,
    # Recording casework on a child (the child's own visibility still decides per record).
    "records_casework": lambda user: _signed_in(user) and user.role in RECORDING_ROLES,
    # The team manager's pages (a manager of no team still gets 404 from the view).
    "manages_team": lambda user: _signed_in(user) and user.role in TEAM_MANAGING_ROLES,
    # Records retention: the disposal review, legal holds and the disposal log (the data protection officer).
    "retention_officer": lambda user: _signed_in(user) and user.role == Role.DATA_PROTECTION_OFFICER,
    # Reading the retention schedule: the data protection officer and system administrators (who edit it).
    "retention_schedule": lambda user: (
        _signed_in(user)
        and (user.role == Role.DATA_PROTECTION_OFFICER or (user.role == Role.SYSTEM_ADMINISTRATOR and user.is_staff))
    ),
    # Case audits: recording, moderating, the programme and trends (auditors); reading (also social workers,
    # for their own children; the audit's child's visibility still decides per record).
    "auditor": lambda user: _signed_in(user) and user.role in AUDITOR_ROLES,
    "audits": lambda user: _signed_in(user) and user.role in AUDIT_READER_ROLES,
    # Establishment, starters and leavers, caseload distribution, ASYE and training.
    "workforce": lambda user: _signed_in(user) and user.role in WORKFORCE_ROLES,
}

#: Policies that do not need a verified second factor.
OTP_EXEMPT_POLICIES = frozenset({"public", "two_factor"})

POLICY_ATTR = "safehold_policy"


def policy(name: str) -> Callable[[F], F]:
    """Declare the policy for a view function or class-based view."""
    if name not in POLICIES:
        raise KeyError(f"Unknown policy {name!r}")

    def decorate(view: F) -> F:
        setattr(view, POLICY_ATTR, name)
        return view

    return decorate


def policy_of(view: Any) -> str | None:
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        if candidate is not None and getattr(candidate, POLICY_ATTR, None):
            return str(getattr(candidate, POLICY_ATTR))
    # Django's admin site and its views (also extra views a third-party app's admin.py adds, such as
    # django-otp's QR code page) sit behind the admin policy.
    module = getattr(view, "__module__", "") or ""
    if (
        module.startswith("django.contrib.admin")
        or module.endswith(".admin")
        or getattr(view, "admin_site", None) is not None
        or getattr(view, "model_admin", None) is not None
    ):
        return "admin"
    if module.startswith("django.views.static") or module.startswith("django.contrib.staticfiles"):
        return "public"
    return None


def allows(name: str, user: Any) -> bool:
    return POLICIES[name](user)


def _refuse_casework(request: HttpRequest, view_kwargs: Any) -> None:
    """A child the user may see, but their role cannot record for: a clear 403. Any other child: 404."""
    from safehold.people.models import Person

    pk = view_kwargs.get("pk")
    if pk is None or not allows("named_children", request.user):
        return
    if Person.objects.visible_to(request.user).children().filter(pk=pk).exists():
        raise PermissionDenied("Your role cannot record casework. Ask the child's social worker or team manager.")


#: What a signed-in user refused by a policy is told, when it is not simply 404 (see the module docstring).
REFUSALS: dict[str, Callable[[HttpRequest, Any], None]] = {
    "records_casework": _refuse_casework,
}


class PolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        name = policy_of(view_func)
        if name is None:
            # Deny by default: a view nobody gave a policy to is closed to everyone.
            raise Http404("No such page")
        if name not in OTP_EXEMPT_POLICIES and request.user.is_authenticated and not is_verified(request.user):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:two-factor')}?{query}")
        if allows(name, request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        refusal = REFUSALS.get(name)
        if refusal is not None:
            refusal(request, view_kwargs)
        raise Http404("No such page")
