"""RFC 9457 problem details: every error the API gives is ``application/problem+json``."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

PROBLEM_TYPE_BASE = "https://safehold.example/problems/"

TITLES = {
    400: "Bad request",
    401: "Unauthorised",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Server error",
}
SLUGS = {
    400: "bad-request",
    401: "unauthorised",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    415: "unsupported-media-type",
    422: "validation-failed",
    429: "rate-limited",
    500: "server-error",
}


class Problem(Exception):
    """Raised inside an API view; turned into a problem response by :func:`problem_response`."""

    def __init__(self, status: int, detail: str, *, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    request: HttpRequest, status: int, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + SLUGS.get(status, "error"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    response = HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def from_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(request, exc.status, exc.detail, headers=exc.headers, **exc.extra)
