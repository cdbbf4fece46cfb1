"""The API adapter: token authentication, scopes, the rate limit and problem responses, in one decorator.

API views are reachable under the "public" policy because they do not use the session at all: the token
names an :class:`~safehold.api.models.ApiClient` and the view acts as the client's owner, so the owner's
``visible_to`` rules and role decide what the client sees, and reads are logged as ``AccessEvent`` kind
"api". They are CSRF-exempt because no cookie authenticates them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from safehold.accounts.policies import policy
from safehold.api.models import ApiClient
from safehold.api.problems import Problem, from_problem, problem_response
from safehold.api.services import api_client_authenticate, rate_limit_hit
from safehold.core.exceptions import ConcurrentEditError, ValidationFailed

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def _token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return ""
    return value.strip()


def api_client_of(request: HttpRequest) -> ApiClient:
    client = getattr(request, "api_client", None)
    assert isinstance(client, ApiClient)
    return client


def api_view(
    *, methods: dict[str, str | None], query: dict[str, tuple[str, ...]] | None = None
) -> Callable[[View], View]:
    """Wrap an endpoint. ``methods`` maps each allowed HTTP method to the scope it needs (None: none); ``query``
    maps a method to the query parameters it takes. Any other query parameter is refused (400), so a misspelt
    parameter is never silently ignored."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise Problem(
                        405,
                        f"{request.method} is not allowed here. Allowed: {', '.join(sorted(methods))}",
                        headers={"Allow": ", ".join(sorted(methods))},
                    )
                token = _token(request)
                client = api_client_authenticate(token) if token else None
                if client is None:
                    raise Problem(
                        401,
                        "Give a valid API token in the Authorization header: 'Bearer <token>'",
                        headers={"WWW-Authenticate": 'Bearer realm="safehold"'},
                    )
                allowed, retry_after = rate_limit_hit(client=client)
                if not allowed:
                    raise Problem(
                        429,
                        f"This client may make {client.rate_limit_per_minute} requests a minute. "
                        f"Try again in {retry_after} seconds.",
                        headers={"Retry-After": str(retry_after)},
                    )
                scope = methods[request.method]
                if scope and not client.has_scope(scope):
                    raise Problem(403, f"This client does not have the scope '{scope}'", scope=scope)
                allowed_query = (query or {}).get(request.method, ())
                unknown = sorted(set(request.GET) - set(allowed_query))
                if unknown:
                    raise Problem(
                        400,
                        f"Unknown query parameter: {', '.join(repr(u) for u in unknown)}. "
                        + (f"Allowed: {', '.join(allowed_query)}" if allowed_query else "This takes none."),
                        parameter=unknown[0],
                    )
                request.api_client = client  # type: ignore[attr-defined]
                return view(request, *args, **kwargs)
            except Problem as exc:
                return from_problem(request, exc)
            except ValidationFailed as exc:
                return problem_response(request, 422, str(exc), errors=exc.errors)
            except ConcurrentEditError as exc:
                return problem_response(request, 409, str(exc))
            except Exception:
                logger.exception("API error on %s", request.path)
                return problem_response(request, 500, "Something went wrong. The error has been logged.")

        wrapper.api_methods = methods  # type: ignore[attr-defined]
        return policy("public")(csrf_exempt(wrapper))

    return decorate
