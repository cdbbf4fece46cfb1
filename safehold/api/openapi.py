"""The hand-written OpenAPI 3.1 description of API v1 (a test proves every v1 route is listed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safehold.api.models import Scope

PROBLEM = {"$ref": "#/components/responses/Problem"}
ERRORS = {
    "400": PROBLEM,
    "401": PROBLEM,
    "403": PROBLEM,
    "404": PROBLEM,
    "405": PROBLEM,
    "429": PROBLEM,
}
PAGE_PARAMS = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
    {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0, "default": 0}},
]
CHILD_ID = {"name": "child_id", "in": "path", "required": True, "schema": {"type": "integer"}}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}


def _page_of(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "limit", "offset", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        },
    }


def _ok(schema: str, description: str, status: str = "200") -> dict[str, Any]:
    return {
        status: {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }


def openapi_document(request: HttpRequest | None = None) -> dict[str, Any]:
    server = request.build_absolute_uri("/") if request is not None else "/"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Safehold API",
            "version": "1.0.0",
            "description": (
                "Read a child's summary and deadlines, list a caseload, record a contact. A client acts as its "
                "owner: it sees only the children its owner may see, and every read is in the access log. "
                "Errors are RFC 9457 problem details."
            ),
        },
        "servers": [{"url": server.rstrip("/")}],
        "security": [{"bearerToken": []}],
        "paths": {
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/api/v1/children/{child_id}": {
                "get": {
                    "summary": "A child's summary",
                    "operationId": "child_detail",
                    "x-scope": Scope.CHILDREN_READ.value,
                    "parameters": [CHILD_ID],
                    "responses": {**_ok("ChildSummary", "The child"), **ERRORS},
                }
            },
            "/api/v1/children/{child_id}/deadlines": {
                "get": {
                    "summary": "A child's statutory deadlines",
                    "operationId": "child_deadlines",
                    "x-scope": Scope.CHILDREN_READ.value,
                    "parameters": [CHILD_ID, *PAGE_PARAMS],
                    "responses": {**_ok("DeadlinePage", "A page of deadlines"), **ERRORS},
                }
            },
            "/api/v1/children/{child_id}/contacts": {
                "post": {
                    "summary": "Record a contact about the child",
                    "operationId": "child_contact_create",
                    "x-scope": Scope.CONTACTS_WRITE.value,
                    "parameters": [CHILD_ID],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ContactIn"}}},
                    },
                    "responses": {
                        **_ok("Contact", "The contact was recorded", "201"),
                        **ERRORS,
                        "409": PROBLEM,
                        "415": PROBLEM,
                        "422": PROBLEM,
                    },
                }
            },
            "/api/v1/caseload": {
                "get": {
                    "summary": "The children allocated to the client's user",
                    "operationId": "caseload",
                    "x-scope": Scope.CASELOAD_READ.value,
                    "parameters": PAGE_PARAMS,
                    "responses": {**_ok("CaseloadPage", "A page of the caseload"), **ERRORS},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A per-client token. Scopes: " + ", ".join(Scope.values),
                }
            },
            "responses": {
                "Problem": {
                    "description": "An error (RFC 9457 problem details)",
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                }
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail", "instance"],
                    "properties": {
                        "type": {"type": "string", "format": "uri"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "instance": {"type": "string"},
                        "errors": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
                "ChildSummary": {
                    "type": "object",
                    "required": ["id", "given_name", "family_name"],
                    "properties": {
                        "id": {"type": "integer"},
                        "la_child_id": {"type": ["string", "null"]},
                        "given_name": {"type": "string"},
                        "family_name": {"type": "string"},
                        "date_of_birth": NULLABLE_DATE,
                        "sex": {"type": "string"},
                        "team": {"type": ["string", "null"]},
                        "worker": {"type": ["string", "null"]},
                    },
                },
                "Deadline": {
                    "type": "object",
                    "properties": {
                        "rule": {"type": "string"},
                        "start_date": NULLABLE_DATE,
                        "due_date": NULLABLE_DATE,
                        "met_on": NULLABLE_DATE,
                        "state": {"type": "string"},
                    },
                },
                "CaseloadChild": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "la_child_id": {"type": ["string", "null"]},
                        "given_name": {"type": "string"},
                        "family_name": {"type": "string"},
                        "date_of_birth": NULLABLE_DATE,
                        "next_due": NULLABLE_DATE,
                        "overdue": {"type": "integer"},
                    },
                },
                "DeadlinePage": _page_of("Deadline"),
                "CaseloadPage": _page_of("CaseloadChild"),
                "ContactIn": {
                    "type": "object",
                    "required": ["received_at", "source", "summary"],
                    "properties": {
                        "received_at": {"type": "string", "format": "date-time"},
                        "source": {"type": "string", "description": "CIN census referral source code"},
                        "summary": {"type": "string", "minLength": 1},
                        "referrer_name": {"type": "string", "maxLength": 200},
                    },
                },
                "Contact": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "child_id": {"type": "integer"},
                        "received_at": {"type": "string", "format": "date-time"},
                        "source": {"type": "string"},
                    },
                },
            },
        },
    }
