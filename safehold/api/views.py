"""API v1 endpoints: parse → authorise (token, scope, the owner's visibility) → one selector/service → JSON."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from safehold.accounts.policies import policy
from safehold.accounts.roles import AGGREGATE_ONLY_ROLES, RECORDING_ROLES
from safehold.api.auth import api_client_of, api_view
from safehold.api.models import Scope
from safehold.api.openapi import MAX_OFFSET, openapi_document
from safehold.api.problems import Problem, problem_response
from safehold.audit.services import access_record, access_record_many
from safehold.casework.choices import ReferralSource
from safehold.casework.services import contact_record
from safehold.core.middleware import request_id
from safehold.people.models import Person
from safehold.timescales.selectors import deadlines_for
from safehold.workforce.models import Allocation
from safehold.workforce.selectors import caseload_for

DEFAULT_LIMIT = 20
#: The query parameters of a paginated list.
PAGE_QUERY = ("limit", "offset")
MAX_LIMIT = 100



def _log(request: HttpRequest, child_id: int) -> None:
    client = api_client_of(request)
    access_record(
        actor=client.owner,
        kind="api",
        child_id=child_id,
        path=request.path,
        detail=f"API client {client.name} (#{client.pk})",
        request_id=request_id(request),
    )


def _int_param(request: HttpRequest, name: str, default: int, *, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Problem(400, f"'{name}' must be a whole number", parameter=name) from None
    if not low <= value <= high:
        raise Problem(400, f"'{name}' must be between {low} and {high}", parameter=name)
    return value


def _page(request: HttpRequest, qs: QuerySet[Any] | list[Any]) -> tuple[list[Any], dict[str, Any]]:
    limit = _int_param(request, "limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    offset = _int_param(request, "offset", 0, low=0, high=MAX_OFFSET)
    count = qs.count() if isinstance(qs, QuerySet) else len(qs)
    items = list(qs[offset : offset + limit])

    def link(new_offset: int) -> str:
        return request.build_absolute_uri(f"{request.path}?{urlencode({'limit': limit, 'offset': new_offset})}")

    meta = {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
    }
    return items, meta


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _child(request: HttpRequest, child_id: int) -> Person:
    child = Person.objects.visible_to(api_client_of(request).owner).children().filter(pk=child_id).first()
    if child is None:
        raise Problem(404, "No child with this id, or this client may not see them")
    return child


def _child_summary(child: Person) -> dict[str, Any]:
    allocation = Allocation.objects.filter(child=child, end_date__isnull=True).select_related("team", "worker").first()
    return {
        "id": child.pk,
        "la_child_id": child.la_child_id,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": _date(child.date_of_birth),
        "sex": child.sex,
        "team": allocation.team.name if allocation else None,
        "worker": allocation.worker.full_name if allocation and allocation.worker else None,
    }


@policy("public")
def openapi(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return problem_response(request, 405, "Only GET is allowed here", headers={"Allow": "GET"})
    if request.GET:
        return problem_response(request, 400, "This document takes no query parameters")
    return JsonResponse(openapi_document(request), json_dumps_params={"indent": 2})


@api_view(methods={"GET": Scope.CHILDREN_READ})
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    _log(request, child.pk)
    return JsonResponse(_child_summary(child))


@api_view(methods={"GET": Scope.CHILDREN_READ}, query={"GET": PAGE_QUERY})
def child_deadlines(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    qs = deadlines_for(user=api_client_of(request).owner).filter(child=child).order_by("due_date", "rule_code", "pk")
    items, meta = _page(request, qs)
    _log(request, child.pk)
    results = [
        {
            "rule": d.rule_code,
            "start_date": _date(d.start_date),
            "due_date": _date(d.due_date),
            "met_on": _date(d.met_on),
            "state": d.state,
        }
        for d in items
    ]
    return JsonResponse({**meta, "results": results})


@api_view(methods={"GET": Scope.CASELOAD_READ}, query={"GET": PAGE_QUERY})
def caseload(request: HttpRequest) -> HttpResponse:
    owner = api_client_of(request).owner
    if owner.role in AGGREGATE_ONLY_ROLES:
        raise Problem(403, "This client's user sees aggregate figures only, never a named child")
    items, meta = _page(request, caseload_for(user=owner).order_by("family_name", "given_name", "pk"))
    access_record_many(
        actor=owner, kind="api", child_ids=[c.pk for c in items], path=request.path, request_id=request_id(request)
    )
    results = [
        {
            "id": c.pk,
            "la_child_id": c.la_child_id,
            "given_name": c.given_name,
            "family_name": c.family_name,
            "date_of_birth": _date(c.date_of_birth),
            "next_due": _date(c.next_due),
            "overdue": c.overdue,
        }
        for c in items
    ]
    return JsonResponse({**meta, "results": results})


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise Problem(415, "Send the body as application/json")
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise Problem(400, "The body must be a JSON object")
    return body


def _datetime_or_none(raw: object) -> dt.datetime | None:
    """An ISO 8601 date-time, or None when absent or not a real one ("2026-01-01T10:61Z" has the right shape, and
    Django's parse_datetime raises ValueError for it rather than returning None)."""
    if not isinstance(raw, str):
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        return None


@api_view(methods={"POST": Scope.CONTACTS_WRITE})
def child_contacts(request: HttpRequest, child_id: int) -> HttpResponse:
    client = api_client_of(request)
    child = _child(request, child_id)
    if client.owner.role not in RECORDING_ROLES:
        raise Problem(403, "This client's user may not record casework")
    body = _json_body(request)
    errors: dict[str, list[str]] = {}
    received_raw = body.get("received_at")
    received_at = _datetime_or_none(received_raw)
    if received_at is None or received_at.tzinfo is None:
        errors["received_at"] = ["Give received_at as an ISO 8601 date-time with a time zone"]
    source = body.get("source")
    if source not in ReferralSource.values:
        errors["source"] = ["Give a CIN census referral source code"]
    texts: dict[str, str] = {}
    for name, required in (("summary", True), ("referrer_name", False)):
        value = body.get(name, "")
        if not isinstance(value, str) or (required and not value.strip()):
            errors[name] = [f"Give {name} as {'non-empty ' if required else ''}text"]
        else:
            texts[name] = value
    if len(texts.get("referrer_name", "")) > 200:
        errors["referrer_name"] = ["referrer_name must be 200 characters or fewer"]
    if errors:
        raise Problem(422, "The contact was not recorded: check the errors", errors=errors)
    assert received_at is not None and isinstance(source, str)
    contact = contact_record(
        actor=client.owner,
        child=child,
        received_at=received_at,
        source=source,
        summary=texts["summary"],
        referrer_name=texts.get("referrer_name", ""),
        request_id=request_id(request),
    )
    response = JsonResponse(
        {
            "id": contact.pk,
            "child_id": child.pk,
            "received_at": contact.received_at.isoformat(),
            "source": contact.source,
        },
        status=201,
    )
    response["Location"] = request.build_absolute_uri(request.path)
    return response


@csrf_exempt
@policy("public")
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under /api/: a problem, never an HTML page."""
    return problem_response(request, 404, "There is no API endpoint at this address")
