"""The access matrix: every route in the URLconf × every persona × a child in each relationship to them.

Routes are enumerated from the URLconf, so a page or API endpoint added later is covered automatically.
The expected allow/deny comes from the hand-written tables below (never from the policy code). A route
without a row of its own is checked against a conservative default (child pages: the child-record row;
other pages: no default allow is asserted) and listed, so its author can add a row.

Allowed means the request got past the policy and the record lookup (anything but 404 and 5xx); denied
means 404 for a signed-in user (invisible records are 404, never 403) and a redirect to sign-in for an
anonymous one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safehold.accounts.testing import sign_in
from safehold.accounts.tests.world import Records, World, add_records, build_world
from safehold.audit.models import AccessEvent

pytestmark = pytest.mark.django_db

ALL = frozenset(
    {
        "social_worker", "colleague", "team_manager", "other_worker", "head_of_service", "director", "analyst",
        "iro", "business_support", "partner", "inspector", "councillor", "dpo", "admin", "nobody",
    }
)  # fmt: skip
RELATIONSHIPS = ("allocated", "team", "unrelated", "restricted")

# Which test child stands for each relationship, per persona ("-": no such child can exist for them).
CHILD_FOR = {
    "social_worker": ("a_sw", "a_col", "c_x", "r_sw"),
    "colleague": ("a_col", "a_sw", "c_x", "r_sw"),
    "other_worker": ("b_other", "b_team", "a_sw", "r_sw"),
    "team_manager": ("-", "a_team", "c_x", "r_sw"),
    "business_support": ("-", "a_team", "c_x", "r_sw"),
}
DEFAULT_CHILDREN = ("-", "-", "c_x", "r_c")

# Child pages: persona -> allow for (allocated, team, unrelated, restricted).
CHILD_RECORD = {
    "social_worker": "YYNN",
    "colleague": "YYNN",
    "other_worker": "YYNN",
    "team_manager": "-YNN",
    "business_support": "-YNN",
    "head_of_service": "--YN",
    "director": "--YN",
    "analyst": "--YN",
    "iro": "--YN",
    "dpo": "--YN",
    "partner": "--NN",
    "inspector": "--NN",
    "councillor": "--NN",
    "admin": "--NN",
    "nobody": "--NN",
}
# Who has viewed this child: the DPO for every child (restricted too), managers for the children they oversee.
WHO_VIEWED = {
    "social_worker": "NNNN",
    "colleague": "NNNN",
    "other_worker": "NNNN",
    "team_manager": "-YNN",
    "business_support": "-NNN",
    "head_of_service": "--YN",
    "director": "--YN",
    "analyst": "--NN",
    "iro": "--NN",
    "dpo": "--YY",
    "partner": "--NN",
    "inspector": "--NN",
    "councillor": "--NN",
    "admin": "--NN",
    "nobody": "--NN",
}
# The record as at a date: managers and the DPO, for the children they may see.
AS_AT = {**WHO_VIEWED, "dpo": "--YN"}
# Break-glass: only roles that may break glass, only for a restricted record they cannot already see.
BREAK_GLASS = {
    "social_worker": "NNNN",
    "colleague": "NNNN",
    "other_worker": "NNNN",
    "team_manager": "-NNY",
    "business_support": "-NNN",
    "head_of_service": "--NY",
    "director": "--NY",
    "analyst": "--NN",
    "iro": "--NY",
    "dpo": "--NY",
    "partner": "--NN",
    "inspector": "--NN",
    "councillor": "--NN",
    "admin": "--NN",
    "nobody": "--NN",
}

# Recording casework: social workers, team managers and CP chairs / IROs, on the children they may see. Business
# support, heads of service, directors, analysts and the DPO see the record but may not record (a 403 there).
RECORD_CASEWORK = {
    "social_worker": "YYNN",
    "colleague": "YYNN",
    "other_worker": "YYNN",
    "team_manager": "-YNN",
    "business_support": "-NNN",
    "head_of_service": "--NN",
    "director": "--NN",
    "analyst": "--NN",
    "iro": "--YN",
    "dpo": "--NN",
    "partner": "--NN",
    "inspector": "--NN",
    "councillor": "--NN",
    "admin": "--NN",
    "nobody": "--NN",
}
# Allocating a child: only the manager of the child's team (the head of service here manages no team).
TEAM_ALLOCATE = {
    "social_worker": "NNNN",
    "colleague": "NNNN",
    "other_worker": "NNNN",
    "team_manager": "-YNN",
    "business_support": "-NNN",
    "head_of_service": "--NN",
    "director": "--NN",
    "analyst": "--NN",
    "iro": "--NN",
    "dpo": "--NN",
    "partner": "--NN",
    "inspector": "--NN",
    "councillor": "--NN",
    "admin": "--NN",
    "nobody": "--NN",
}

# Case audits of a child: auditors (team managers and above) audit and moderate, on the children they may see.
AUDITING = {
    **{persona: row.replace("Y", "N") for persona, row in CHILD_RECORD.items()},
    "team_manager": "-YNN",
    "head_of_service": "--YN",
    "director": "--YN",
}
# Reading an audit: the auditors, and a social worker for the audits of their own (allocated) children.
AUDIT_READING = {**AUDITING, "social_worker": "YNNN", "colleague": "YNNN", "other_worker": "YNNN"}
# Completing an audit's action: its owner (the child's worker; for a child with no worker, the team's manager).
AUDIT_ACTION = {
    **{persona: row.replace("Y", "N") for persona, row in CHILD_RECORD.items()},
    "social_worker": "YNNN",
    "colleague": "YNNN",
    "other_worker": "YNNN",
    "team_manager": "-YNN",
}
# Recording a management decision on a child: the managers who supervise (team manager, head of service).
MANAGEMENT_DECISION = {**AUDITING, "director": "--NN"}
# Signing off a child's assessment or plan: the manager of the child's team.
TEAM_SIGN_OFF = TEAM_ALLOCATE

CHILD_ROUTES = {
    "frontend:child": CHILD_RECORD,
    "audit:child-access": WHO_VIEWED,
    "audit:child-as-at": AS_AT,
    "accounts:break-glass": BREAK_GLASS,
    "frontend:team-allocate": TEAM_ALLOCATE,
    **{
        f"casework:{name}": RECORD_CASEWORK
        for name in (
            "contact-new", "contact-decide", "referral-new", "episode-close", "assessment-start",
            "assessment-complete", "strategy-new", "s47-complete", "icpc-new", "cp-review-new", "core-group-new",
            "cin-plan-start", "cin-plan-review", "cin-plan-end", "cin-plan-approval", "visit-new", "note-new",
        )
    },
    "casework:strategy-decision": RECORD_CASEWORK,
    # Pre-proceedings and care proceedings: the overview reads like the record; every form records casework.
    "proceedings:overview": CHILD_RECORD,
    **{
        f"proceedings:{name}": RECORD_CASEWORK
        for name in (
            "pre-start", "letter", "fgdm", "meeting", "decision", "application", "hearing", "extension", "conclude",
        )
    },
    # Exploitation: the child's page reads like the record; every form records casework.
    "exploitation:overview": CHILD_RECORD,
    **{
        f"exploitation:{name}": RECORD_CASEWORK
        for name in ("screening-new", "end", "place-link", "child-link", "panel-refer", "panel-decision")
    },
    # Personal adviser visits and the accommodation the council provides a care leaver: recording casework.
    **{f"looked_after:{name}": RECORD_CASEWORK for name in ("accommodation-new", "accommodation-end", "pa-visit")},
    # Adoption and permanence: the journey's milestones are recorded casework.
    "looked_after:adoption": RECORD_CASEWORK,
    # SDQ scores and UASC status: recorded casework.
    "looked_after:sdq-new": RECORD_CASEWORK,
    "looked_after:uasc": RECORD_CASEWORK,
    # Auditing a child's case: auditors (team managers and above), on the children they may see.
    "oversight:audit-new": AUDITING,
    "oversight:audit-moderate": AUDITING,
    "oversight:audit": AUDIT_READING,
    "oversight:audit-action-complete": AUDIT_ACTION,
    # A child's management oversight: read like the record; decisions recorded by managers.
    "oversight:child": CHILD_RECORD,
    "oversight:decision-new": MANAGEMENT_DECISION,
    # The team manager's sign-off of a child's assessment or plan.
    "frontend:team-signoff-assessment": TEAM_SIGN_OFF,
    "frontend:team-signoff-request": TEAM_SIGN_OFF,
    # Documents: the list and each download read like the record.
    "documents:child-documents": CHILD_RECORD,
    "documents:download": CHILD_RECORD,
    # Children in care, private fostering, missing, leaving care: the overview reads like the record; every form
    # records casework.
    "looked_after:overview": CHILD_RECORD,
    **{
        f"looked_after:{name}": RECORD_CASEWORK
        for name in (
            "start", "placement", "legal-status", "end", "care-plan", "pep", "review-new", "visit-new", "health-new",
            "pf-notify", "pf-visit", "pf-answers", "pf-assessment", "pf-end", "missing-new", "missing-return",
            "return-interview", "care-leaver", "pathway-plan", "leaver-contact",
        )
    },
    # Early help: the episode and the family read like the record; every form records casework.
    "early_help:episode": CHILD_RECORD,
    "early_help:family": CHILD_RECORD,
    **{
        f"early_help:{name}": RECORD_CASEWORK
        for name in (
            "open-from-contact", "step-down", "consent", "consent-withdraw", "assessment-start", "assessment-complete",
            "goal", "taf", "review", "close", "step-up",
        )
    },
    # The API acts as the token's owner: the same visibility, and recording needs a recording role.
    "api:child": CHILD_RECORD,
    "api:child-deadlines": CHILD_RECORD,
    "api:child-contacts": RECORD_CASEWORK,
}  # fmt: skip

# Other pages: who may reach them.
EVERYONE_SIGNED_IN = ALL
NAMED_CHILDREN = ALL - {"councillor"}
TEAM_MANAGERS = frozenset({"team_manager"})
INSPECTION_USERS = frozenset({"analyst", "head_of_service", "director"})
MANAGERS = frozenset({"team_manager", "head_of_service", "director"})
DASHBOARD_USERS = MANAGERS | {"analyst", "councillor"}
SUPERVISORS = frozenset({"team_manager", "head_of_service"})
PAGE_ROUTES = {
    "frontend:home": EVERYONE_SIGNED_IN,
    # The page benchmark's baseline: the layout and an access event, no case data.
    "frontend:baseline": EVERYONE_SIGNED_IN,
    "frontend:health": ALL | {"anonymous"},
    "accounts:sign-in": ALL | {"anonymous"},
    "accounts:sign-out": ALL | {"anonymous"},
    "accounts:two-factor": EVERYONE_SIGNED_IN,
    "accounts:two-factor-setup": EVERYONE_SIGNED_IN,
    "accounts:break-glass-log": NAMED_CHILDREN,
    "accounts:staff": {"admin"},
    "accounts:staff-new": {"admin"},
    "accounts:staff-leave": {"admin"},
    "accounts:access-review": {"dpo", "admin"},
    "timescales:worklist": NAMED_CHILDREN,
    "casework:search": NAMED_CHILDREN,
    # Children who go missing repeatedly: a list of the children the user may see.
    "looked_after:repeat-missing": NAMED_CHILDREN,
    # The team pages: team managers (a head of service who manages no team, as here, gets 404).
    **dict.fromkeys(
        ["frontend:team", "frontend:team-unallocated", "frontend:team-signoff", "frontend:team-overdue",
         "frontend:team-drift"],
        TEAM_MANAGERS,
    ),
    # Inspection readiness: performance analysts, heads of service and directors.
    **dict.fromkeys(
        ["inspection:readiness", "inspection:annex-a", "inspection:annex-a-export", "inspection:annex-a-download",
         "inspection:samples", "inspection:sample", "inspection:sample-share", "inspection:sample-revoke",
         "inspection:history", "inspection:inspection-new", "inspection:inspection", "inspection:plan",
         "inspection:action-new", "inspection:action"],
        INSPECTION_USERS,
    ),
    # Statutory returns (CIN census, SSDA903) and their failures: the same performance-analyst roles.
    **dict.fromkeys(["returns:index", "returns:job", "returns:download", "returns:failures"], INSPECTION_USERS),
    # Case audits: auditors run the programme, moderate and read the trends; social workers also read the audits
    # of their own children (the list, an audit, completing their action).
    "oversight:audits": {
        "social_worker", "colleague", "other_worker", "nobody", "team_manager", "head_of_service", "director"
    },
    **dict.fromkeys(
        ["oversight:audit-trends", "oversight:audit-programme-new", "oversight:audit-programme",
         "oversight:audit-month", "oversight:audit-month-draw"],
        {"team_manager", "head_of_service", "director"},
    ),
    # Workforce: team managers (their own teams), heads of service and directors.
    **dict.fromkeys(
        ["workforce:overview", "workforce:posts", "workforce:post-new", "workforce:post-holder", "workforce:movement",
         "workforce:leave-reason", "workforce:caseloads", "workforce:asye", "workforce:training",
         "workforce:training-new"],
        {"team_manager", "head_of_service", "director"},
    ),
    # Passwords: change your own when signed in; the reset pages (emailed link) work signed out.
    "accounts:password-change": EVERYONE_SIGNED_IN,
    **dict.fromkeys(
        ["accounts:password-reset", "accounts:password-reset-sent", "accounts:password-reset-confirm",
         "accounts:password-reset-complete"],
        ALL | {"anonymous"},
    ),
    # Leadership dashboards: aggregate figures for managers, analysts and the lead member; the drill-down to named
    # children and the children without oversight for all of them but the lead member.
    **dict.fromkeys(["oversight:dashboard", "oversight:indicator", "oversight:trends"], DASHBOARD_USERS),
    # Scrutiny packs (whole-LA aggregates, suppressed, no names): request, follow and download — the same users.
    **dict.fromkeys(["oversight:packs", "oversight:pack", "oversight:pack-download"], DASHBOARD_USERS),
    **dict.fromkeys(["oversight:children", "oversight:no-oversight"], DASHBOARD_USERS - {"councillor"}),
    # Supervision is the supervisors' record (team managers, heads of service): the list and the form; one
    # supervision only for the manager who gave it or who manages the worker's team (here, the team manager).
    **dict.fromkeys(["oversight:supervisions", "oversight:supervision-new"], SUPERVISORS),
    "oversight:supervision": {"team_manager"},
    # The user's own open actions: a personal list (anyone who may see named children; most have none).
    "oversight:actions": NAMED_CHILDREN,
    # The action that supervision gave the social worker: its owner, or the manager who set it, completes it.
    "oversight:action-complete": {"social_worker", "team_manager"},
    # Prospective adopters (adults): the roles that record casework (adoption social workers and their managers).
    **dict.fromkeys(
        ["adoption:adopters", "adoption:enquiry", "adoption:household", "adoption:step", "adoption:leave"],
        {"social_worker", "colleague", "other_worker", "team_manager", "iro", "nobody"},
    ),
    # The exploitation panel list and places of concern: anyone who may see named children (filtered to them).
    **dict.fromkeys(["exploitation:panel", "exploitation:places"], NAMED_CHILDREN),
    # Early help worklist: the episodes the user may see (named children).
    "early_help:worklist": NAMED_CHILDREN,
    # Records retention: the data protection officer; the schedule also the administrators, who edit it.
    **dict.fromkeys(
        ["retention:review", "retention:item", "retention:holds", "retention:hold-new", "retention:hold-release",
         "retention:log"],
        {"dpo"},
    ),
    "retention:schedule": {"dpo", "admin"},
    "retention:rule-edit": {"admin"},
    # The API: its description is public; a token's owner needs the role the matching pages need.
    "api:openapi": ALL | {"anonymous"},
    "api:not-found": frozenset(),
    "api:caseload": NAMED_CHILDREN,
    **dict.fromkeys(
        ["api:return-jobs", "api:return-job", "api:return-job-download", "api:return-job-failures",
         "api:annex-a-jobs", "api:annex-a-job", "api:annex-a-job-download"],
        INSPECTION_USERS,
    ),
    # Subject access requests: the data protection officer (review, redaction, approval, the release).
    **dict.fromkeys(
        ["subject_access:list", "subject_access:new", "subject_access:detail", "subject_access:item",
         "subject_access:redaction-remove", "subject_access:submit", "subject_access:approve",
         "subject_access:export", "subject_access:print"],
        {"dpo"},
    ),
    # Partner agencies: make a referral and follow their own referrals.
    **dict.fromkeys(["api:partner-refer", "api:partner-referrals", "api:partner-referral"], {"partner"}),
}  # fmt: skip
ADMIN_ONLY = {"admin"}

#: The child's own id (``pk`` of a page that is not Django's admin; ``child_id`` in the API).
CHILD_KWARGS = {"pk", "child_id"}
#: Kwargs naming one of the child's own records (built by ``world.add_records``), by kwarg name ...
CHILD_RECORD_KWARGS = {
    "contact_pk": "contact", "assessment_pk": "assessment", "s47_pk": "s47", "pf_pk": "pf", "acc_pk": "accommodation",
    "pp_pk": "pre_proceedings", "proc_pk": "proceedings", "document_id": "document", "household_pk": "household",
    "episode_pk": "missing", "request_pk": "approval_request", "audit_pk": "case_audit",
}  # fmt: skip
#: ... and, where the same kwarg names another kind of record, by route.
ROUTE_RECORD_KWARGS = {
    **{f"casework:{n}": {"plan_pk": "cp_plan"} for n in ("cp-review-new", "core-group-new")},
    **{f"casework:{n}": {"plan_pk": "cin_plan"} for n in ("cin-plan-review", "cin-plan-end", "cin-plan-approval")},
    "early_help:open-from-contact": {"contact_pk": "eh_contact"},
    "early_help:assessment-complete": {"episode_pk": "eh_episode", "assessment_pk": "eh_assessment"},
    "early_help:consent-withdraw": {"episode_pk": "eh_episode", "consent_pk": "eh_consent"},
    **{
        f"early_help:{n}": {"episode_pk": "eh_episode"}
        for n in ("episode", "consent", "assessment-start", "goal", "taf", "review", "close", "step-up")
    },
    "oversight:audit-action-complete": {"action_pk": "audit_action"},
}  # fmt: skip
#: Kwargs naming a borough-wide record (``world.add_records``), by kwarg name and, where needed, by route.
SHARED_KWARGS = {
    "sample_id": "sample", "share_id": "share", "export_id": "annex_a", "inspection_id": "inspection",
    "action_id": "improvement_action", "job_id": "return_job", "supervision_pk": "supervision",
    "programme_pk": "audit_programme", "month_pk": "audit_month", "post_pk": "post", "staff_pk": "leaver",
    "item_pk": "retention_item", "hold_pk": "hold", "rule_pk": "retention_rule", "reference": "partner_referral",
    "adopters_pk": "adopters",
    "sar_pk": "sar", "redaction_pk": "sar_redaction", "pack_pk": "scrutiny_pack",
}  # fmt: skip
ROUTE_SHARED_KWARGS = {
    **{f"api:{n}": {"job_id": "annex_a"} for n in ("annex-a-job", "annex-a-job-download")},
    "oversight:action-complete": {"action_pk": "supervision_action"},
    "subject_access:item": {"item_pk": "sar_item"},
}
#: Kwargs that are not records: a fixed value that names something real.
LITERAL_KWARGS = {"fmt": "xlsx", "code": "contact_conversion", "rest": "v1/no-such-thing"}
#: Query strings a page needs to show anything (the drill-down's scope: team A).
ROUTE_QUERY = {"oversight:children": lambda world: f"?level=team&key={world.teams['A'].pk}"}
#: API endpoints answer with problem+json and authenticate by token, never by the session.
API_ROUTES_WITHOUT_TOKEN = {"api:not-found"}


@dataclass
class Route:
    name: str
    pattern: str
    kwargs: list[str]
    api: bool = False

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")

    def record_kwargs(self) -> dict[str, str]:
        """The kwargs naming one of the child's records, and which."""
        found = {kw: CHILD_RECORD_KWARGS[kw] for kw in self.kwargs if kw in CHILD_RECORD_KWARGS}
        found.update(ROUTE_RECORD_KWARGS.get(self.name, {}))
        return found

    def shared_kwargs(self) -> dict[str, str]:
        found = {kw: SHARED_KWARGS[kw] for kw in self.kwargs if kw in SHARED_KWARGS}
        found.update(ROUTE_SHARED_KWARGS.get(self.name, {}))
        return {kw: key for kw, key in found.items() if kw not in self.record_kwargs()}

    @property
    def is_child(self) -> bool:
        """A page about one child: it takes the child's id or one of the child's records."""
        return not self.is_admin and bool((CHILD_KWARGS & set(self.kwargs)) or self.record_kwargs())

    def unknown_kwargs(self) -> set[str]:
        """Kwargs this test cannot fill with something real (filled with a placeholder: deny checked only)."""
        known = CHILD_KWARGS | set(self.record_kwargs()) | set(self.shared_kwargs()) | set(LITERAL_KWARGS)
        known |= {"user_pk", "uidb64", "token"}
        return set(self.kwargs) - known


def _walk(patterns: Any, prefix: str = "", ns: str = "") -> Any:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            name = f"{ns}{p.name}" if p.name else prefix + str(p.pattern)
            yield Route(
                name=name,
                pattern=prefix + str(p.pattern),
                kwargs=list(p.pattern.regex.groupindex),
                api=bool(getattr(p.callback, "api_methods", None)) or name in API_ROUTES_WITHOUT_TOKEN,
            )


def routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _url(route: Route, values: dict[str, Any]) -> str:
    """Build a path by substituting values into the route's pattern (works for path() and re_path())."""
    path = route.pattern
    for kw in route.kwargs:
        value = str(values.get(kw, "1"))
        path = re.sub(r"<(?:\w+:)?" + kw + r">", value, path)
        path = re.sub(r"\(\?P<" + kw + r">[^)]*\)", value, path)
    path = path.lstrip("^").rstrip("$").replace("\\", "")
    return "/" + path


def _value(key: str, record: Any) -> Any:
    return record.reference if key == "partner_referral" else record.pk


def _kwargs(
    route: Route, records: Records, common: dict[str, Any], child_key: str | None = None
) -> dict[str, Any] | None:
    """Real values for every kwarg of ``route``: the child's id and records (for ``child_key``), shared records.
    None when the child has no such record (a child with no worker or manager has no audit action)."""
    values = {**common, **LITERAL_KWARGS}
    values.update({kw: _value(key, records.shared[key]) for kw, key in route.shared_kwargs().items()})
    if child_key is not None:
        child_records = records.by_child[child_key]
        for kw, key in route.record_kwargs().items():
            if child_records.get(key) is None:
                return None
            values[kw] = _value(key, child_records[key])
        values.update({kw: child_records["child"].pk for kw in CHILD_KWARGS})
    return values


def _allowed(response: Any, anonymous: bool, *, admin_route: bool = False, api: bool = False) -> bool:
    """True when the request got past the policy and the record lookup."""
    status = response.status_code
    assert status < 500, f"server error {status}"
    if api:
        # 401: no (valid) token; 403: the token's scope or its owner's role; 404: a record the owner may not see.
        return status not in (401, 403, 404)
    if anonymous:
        return not (status == 302 and "/accounts/sign-in/" in response["Location"])
    assert not (status == 302 and "/accounts/two-factor/" in response["Location"]), f"unverified: {response.request}"
    # 404: not for you (policy or invisible record). 403: a page refusing an action to a role that may see the
    # record (e.g. recording casework); that is a deny too, but must never happen on an invisible record.
    # In Django's admin a 403 is its own per-model permission check, after our policy admitted the user.
    return status != 404 if admin_route else status not in (403, 404)


def _request(client: Client, url: str, *, post_if_405: bool = False) -> Any:
    response = client.get(url)
    if response.status_code == 405 and post_if_405:
        # A POST-only route: an empty POST lets the view's own record lookup decide (404 or a form error).
        response = client.post(url, {})
    return response


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def records(world: World) -> Records:
    records = add_records(world)
    for key, facts in world.children.items():
        records.by_child.setdefault(key, {})["child"] = facts.child
    return records


def _clients(world: World, records: Records) -> tuple[dict[str, Client], dict[str, Client]]:
    """Signed-in browser clients, and API clients carrying each persona's token (plus anonymous ones)."""
    users = world.users()
    browsers: dict[str, Client] = {name: sign_in(Client(), user) for name, user in users.items()}
    browsers["anonymous"] = Client()
    api = {name: Client(HTTP_AUTHORIZATION=f"Bearer {token}") for name, token in records.tokens.items()}
    api["anonymous"] = Client()
    return browsers, api


def _common_kwargs(world: World) -> dict[str, Any]:
    """Kwargs about another user: ``user_pk`` and a password-reset link (``uidb64``, ``token``) for them."""
    other = world.users()["colleague"]
    return {
        "user_pk": other.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(other.pk)),
        "token": default_token_generator.make_token(other),
    }


def test_access_matrix(world: World, records: Records, capsys: Any) -> None:
    browsers, api_clients = _clients(world, records)
    common = _common_kwargs(world)
    all_routes = routes()
    cases = page_cases = skipped = 0
    unexpected_allows: list[str] = []
    unexpected_denies: list[str] = []
    unknown_kwargs: set[str] = set()
    without_row: set[str] = set()
    forbidden_not_404: list[str] = []

    for route in all_routes:
        unknown = set(route.kwargs) if route.is_admin else route.unknown_kwargs()
        if unknown and not route.is_admin:
            unknown_kwargs.add(f"{route.pattern} ({', '.join(sorted(unknown))})")
        clients = api_clients if route.api else browsers
        if route.is_child:
            table = CHILD_ROUTES.get(route.name)
            strict = table is not None and not unknown
            if table is None:
                without_row.add(route.name)
                table = CHILD_RECORD
            for persona in sorted(clients):
                if persona == "anonymous":
                    child_keys = DEFAULT_CHILDREN
                    row = "--NN"
                else:
                    child_keys = CHILD_FOR.get(persona, DEFAULT_CHILDREN)
                    row = table[persona]
                for rel, key, want in zip(RELATIONSHIPS, child_keys, row, strict=True):
                    values = None if key == "-" or want == "-" else _kwargs(route, records, common, key)
                    if values is None:
                        skipped += 1
                        continue
                    url = _url(route, values)
                    response = _request(clients[persona], url, post_if_405=True)
                    got = _allowed(response, persona == "anonymous", api=route.api)
                    cases += 1
                    if (
                        response.status_code == 403
                        and not route.api
                        and CHILD_RECORD.get(persona, "NNNN")[RELATIONSHIPS.index(rel)] != "Y"
                    ):
                        forbidden_not_404.append(f"{route.name} as {persona} on a child {rel} ({url})")
                    label = f"{route.name} as {persona} on a child {rel} ({url}: {response.status_code})"
                    if got and want == "N":
                        unexpected_allows.append(label)
                    elif not got and want == "Y" and strict:
                        unexpected_denies.append(label)
        else:
            allowed = ADMIN_ONLY if route.is_admin else PAGE_ROUTES.get(route.name)
            strict = allowed is not None and not unknown
            if allowed is None:
                without_row.add(route.name)
                allowed = ALL | {"anonymous"}
            url = _url(route, _kwargs(route, records, common) or {})
            url += ROUTE_QUERY[route.name](world) if route.name in ROUTE_QUERY else ""
            for persona in sorted(clients):
                response = _request(clients[persona], url, post_if_405=route.api)
                got = _allowed(response, persona == "anonymous", admin_route=route.is_admin, api=route.api)
                page_cases += 1
                may = persona in allowed
                if got and not may:
                    unexpected_allows.append(f"{route.name} as {persona} ({url}: {response.status_code})")
                elif not got and may and strict:
                    unexpected_denies.append(f"{route.name} as {persona} ({url}: {response.status_code})")

    with capsys.disabled():
        print(
            f"\nAccess matrix: {len(all_routes)} routes; {cases} (route, persona, child) cases on "
            f"{sum(r.is_child for r in all_routes)} child routes ({skipped} impossible combinations skipped); "
            f"{page_cases} (route, persona) cases on other routes; "
            f"{len(unexpected_allows)} unexpected allows; {len(unexpected_denies)} unexpected denies; "
            f"{len(forbidden_not_404)} 403s on invisible records."
        )
        print(f"Routes with kwargs filled by placeholder (deny checked only): {len(unknown_kwargs)}")
        for item in sorted(unknown_kwargs):
            print(f"  {item}")
        print(f"Routes without a row in the access matrix (checked against a default): {len(without_row)}")
        if without_row:
            print("  " + ", ".join(sorted(without_row)))
        for label, items in (
            ("Unexpected allows", unexpected_allows),
            ("Unexpected denies", unexpected_denies),
            ("403 on an invisible record", forbidden_not_404),
        ):
            for item in items:
                print(f"{label}: {item}")
    assert unexpected_allows == []
    assert unexpected_denies == []
    assert forbidden_not_404 == [], "invisible records must answer 404, not 403"
    assert without_row == set(), "give every route a row of its own"
    assert cases > 0


def test_every_child_page_logs_an_access_event(world: World, records: Records) -> None:
    """Crawl every child-facing page (routes taking a child's id or one of the child's records) as a user allowed
    to see it, and find an AccessEvent for the child."""
    not_record_pages = {"accounts:break-glass"}  # a reason form: shows nothing of the record before break-glass
    attempts = [
        ("social_worker", "a_sw"),
        ("team_manager", "a_team"),
        ("dpo", "c_x"),
        ("head_of_service", "c_x"),
    ]
    users = world.users()
    clients = {name: sign_in(Client(), users[name]) for name, _ in attempts}
    api_clients = {name: Client(HTTP_AUTHORIZATION=f"Bearer {records.tokens[name]}") for name, _ in attempts}
    common = _common_kwargs(world)
    crawled: list[str] = []
    for route in routes():
        if not route.is_child or route.name in not_record_pages:
            continue
        opened = False
        for persona, key in attempts:
            child = world.children[key].child
            values = _kwargs(route, records, common, key)
            if values is None:
                continue
            url = _url(route, values)
            before = AccessEvent.objects.filter(child_id=child.pk, path=url).count()
            response = (api_clients if route.api else clients)[persona].get(url)
            if response.status_code == 405:
                opened = True  # a POST-only action: no page to view
                break
            if response.status_code == 200:
                after = AccessEvent.objects.filter(child_id=child.pk, path=url, actor_id=users[persona].pk).count()
                assert after == before + 1, f"{route.name}: viewing {url} wrote no AccessEvent"
                crawled.append(route.name)
                opened = True
                break
        if not opened:
            pytest.fail(f"No persona could open {route.name}: add one to this crawl")
    assert "frontend:child" in crawled and "audit:child-access" in crawled
    assert "documents:download" in crawled and "early_help:episode" in crawled
