"""schemathesis against the OpenAPI document, in-process (the Django WSGI app), once for each client scope.

For every operation, positive and negative cases are generated from the document (path ids both drawn at random
and set to real records the client may see) and sent with a token holding just that scope. Every default
schemathesis check runs on every response: no server error, the status code, content type, headers and body
conform to the document, unauthenticated requests are refused, invalid data is rejected and valid data accepted.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils.dateparse import parse_datetime
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.result import Ok

from safehold.api.models import Scope
from safehold.api.openapi import openapi_document
from safehold.api.services import api_client_create
from safehold.casework.services import contact_record
from safehold.core import clock
from safehold.core.testing import Personas, allocate, make_child
from safehold.inspection.services import annex_a_export_request
from safehold.returns.services import return_job_request, supported_years

pytestmark = pytest.mark.django_db

#: Examples per operation, generation mode and id choice: small, so the suite stays within its time budget.
MAX_EXAMPLES = 10
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI app, called in-process. As Django's test client does, the test's database connection is
    kept open across requests (the handler would otherwise close it at the end of each, and the test's
    transaction with it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _world(personas: Personas) -> dict[str, Any]:
    child = make_child()
    allocate(child, personas.social_worker)
    contact_record(actor=None, child=child, received_at=clock.now(), source="2A", summary="Worried")
    job = return_job_request(actor=personas.analyst, kind="cin", year=supported_years("cin")[-1])
    export = annex_a_export_request(actor=personas.analyst, as_of=clock.today())
    return {"child_id": child.pk, "job_id": job.pk, "annex_job_id": export.pk}


def _breaks_a_time_rule(case: Any) -> bool:
    """A positive case that breaks a rule the document states in words because JSON Schema cannot express it
    (a contact received, or an inspection date, in the future): the API rightly answers 422, so such cases are
    not drawn as positive ones."""
    body = case.body if isinstance(case.body, dict) else {}
    received = parse_datetime(body["received_at"]) if isinstance(body.get("received_at"), str) else None
    if received is not None and received.tzinfo is not None and received > clock.now():
        return True
    as_of = body.get("as_of")
    if isinstance(as_of, str):
        try:
            return dt.date.fromisoformat(as_of) > clock.today()
        except ValueError:
            return False
    return False


def _real_ids(path: str, ids: dict[str, Any]) -> dict[str, Any] | None:
    if "{child_id}" in path:
        return {"child_id": ids["child_id"]}
    if "{job_id}" in path:
        return {"job_id": ids["annex_job_id"] if path.startswith("/api/v1/annex-a/") else ids["job_id"]}
    return None


@pytest.mark.parametrize("scope", Scope.values)
def test_every_operation_conforms_to_the_document(personas: Personas, scope: str, wsgi_app: Any, capsys: Any) -> None:
    ids = _world(personas)
    owner = personas.analyst if scope == Scope.RETURNS_JOBS else personas.social_worker
    token = api_client_create(
        actor=None, name=f"schemathesis {scope}", owner=owner, scopes=[scope], rate_limit_per_minute=10**6
    ).token
    schema = schemathesis.openapi.from_dict(openapi_document())
    schema.app = wsgi_app
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    operations = calls = unsatisfiable = 0
    started = time.perf_counter()
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"The document has an invalid operation: {result.err()}")
            continue
        operation = result.ok()
        operations += 1
        for mode in MODES:
            for path_parameters in (None, _real_ids(operation.path, ids)):
                # The token is fixed (not generated or mutated); schemathesis's own checks still send requests
                # without it (ignored_auth).
                strategy = operation.as_strategy(mode, path_parameters=path_parameters, headers=headers)
                if mode is schemathesis.GenerationMode.POSITIVE:
                    strategy = strategy.filter(lambda case: not _breaks_a_time_rule(case))

                @HYPOTHESIS
                @given(case=strategy)
                def check(case: Any) -> None:
                    nonlocal calls
                    calls += 1
                    case.call_and_validate(headers=headers)

                try:
                    check()
                except Unsatisfiable:
                    unsatisfiable += 1  # nothing left to make invalid (the token and a real id are fixed)
                except Exception as exc:  # noqa: BLE001 - every failure is reported below, then the test fails
                    failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}")
                if _real_ids(operation.path, ids) is None:
                    break
    with capsys.disabled():
        print(
            f"\nschemathesis [{scope}]: {operations} operations, {calls} requests, "
            f"{time.perf_counter() - started:.1f} s, {len(failures)} failing "
            f"({unsatisfiable} negative runs with nothing left to make invalid)"
        )
    assert operations >= 13
    assert failures == [], "\n\n".join(failures)
