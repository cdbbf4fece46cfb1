"""The hand-written OpenAPI 3.1 description of API v1 (a test proves every v1 route is listed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safehold.api.models import Scope
from safehold.casework.choices import ReferralSource

PROBLEM = {"$ref": "#/components/responses/Problem"}
ERRORS = {
    "400": PROBLEM,
    "401": PROBLEM,
    "403": PROBLEM,
    "404": PROBLEM,
    "405": PROBLEM,
    "429": PROBLEM,
}
#: The largest ``offset`` a list takes (the views answer a larger one with a 400 problem).
MAX_OFFSET = 10**9
PAGE_PARAMS = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
    {
        "name": "offset",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
    },
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


# --- Background jobs: statutory returns and Annex A --------------------------------------------------------------

JOB_ID = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "integer"}}
JOBS_SCOPE = Scope.RETURNS_JOBS.value
NOT_READY = {"409": {**PROBLEM, "description": "The job is not ready (its status is queued, running or failed)"}}


def _accepted(schema: str) -> dict[str, Any]:
    return {
        "202": {
            "description": "The job is queued; Location is its address",
            "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}},
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }


def _file(description: str, *types: str) -> dict[str, Any]:
    binary = {"type": "string", "format": "binary"}
    return {"200": {"description": description, "content": {t: {"schema": binary} for t in types}}}


def _job_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


_JOB_ERRORS = {**ERRORS, "415": PROBLEM, "422": PROBLEM}
JOB_PATHS: dict[str, Any] = {
    "/api/v1/returns/jobs": {
        "get": {
            "summary": "Statutory return jobs, newest first",
            "operationId": "return_jobs",
            "x-scope": JOBS_SCOPE,
            "parameters": PAGE_PARAMS,
            "responses": {**_ok("ReturnJobPage", "A page of return jobs"), **ERRORS},
        },
        "post": {
            "summary": "Request a statutory return (CIN census or SSDA903) for a collection year",
            "operationId": "return_job_create",
            "x-scope": JOBS_SCOPE,
            "requestBody": _job_body("ReturnJobIn"),
            "responses": {**_accepted("ReturnJob"), **_JOB_ERRORS},
        },
    },
    "/api/v1/returns/jobs/{job_id}": {
        "get": {
            "summary": "A return job's status and progress",
            "operationId": "return_job",
            "x-scope": JOBS_SCOPE,
            "parameters": [JOB_ID],
            "responses": {**_ok("ReturnJob", "The job"), **ERRORS},
        }
    },
    "/api/v1/returns/jobs/{job_id}/download": {
        "get": {
            "summary": "The return's file (CIN census XML; SSDA903 CSV tables zipped), recorded in the access log",
            "operationId": "return_job_download",
            "x-scope": JOBS_SCOPE,
            "parameters": [JOB_ID],
            "responses": {**_file("The file", "application/xml", "application/zip"), **ERRORS, **NOT_READY},
        }
    },
    "/api/v1/returns/jobs/{job_id}/failures": {
        "get": {
            "summary": "The rules the return fails, by child (Safehold's own validation)",
            "operationId": "return_job_failures",
            "x-scope": JOBS_SCOPE,
            "parameters": [
                JOB_ID,
                {"name": "rule", "in": "query", "required": False, "schema": {"type": "string"}},
                *PAGE_PARAMS,
            ],
            "responses": {**_ok("ReturnFailurePage", "A page of failures"), **ERRORS, **NOT_READY},
        }
    },
    "/api/v1/annex-a/jobs": {
        "get": {
            "summary": "Annex A jobs, newest first",
            "operationId": "annex_a_jobs",
            "x-scope": JOBS_SCOPE,
            "parameters": PAGE_PARAMS,
            "responses": {**_ok("AnnexAJobPage", "A page of Annex A jobs"), **ERRORS},
        },
        "post": {
            "summary": "Request Ofsted Annex A for an inspection date",
            "operationId": "annex_a_job_create",
            "x-scope": JOBS_SCOPE,
            "requestBody": _job_body("AnnexAJobIn"),
            "responses": {**_accepted("AnnexAJob"), **_JOB_ERRORS},
        },
    },
    "/api/v1/annex-a/jobs/{job_id}": {
        "get": {
            "summary": "An Annex A job's status and progress",
            "operationId": "annex_a_job",
            "x-scope": JOBS_SCOPE,
            "parameters": [JOB_ID],
            "responses": {**_ok("AnnexAJob", "The job"), **ERRORS},
        }
    },
    "/api/v1/annex-a/jobs/{job_id}/download": {
        "get": {
            "summary": "The Annex A workbook (or its lists as CSV files, zipped), recorded in the access log",
            "operationId": "annex_a_job_download",
            "x-scope": JOBS_SCOPE,
            "parameters": [
                JOB_ID,
                {
                    "name": "format",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["xlsx", "csv"], "default": "xlsx"},
                },
            ],
            "responses": {
                **_file(
                    "The file",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/zip",
                ),
                **ERRORS,
                **NOT_READY,
            },
        }
    },
}

NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_MOMENT = {"type": ["string", "null"], "format": "date-time"}
NULLABLE_URI = {"type": ["string", "null"], "format": "uri"}
_JOB_COMMON = {
    "id": {"type": "integer"},
    "status": {"type": "string", "enum": ["queued", "running", "ready", "failed"]},
    "progress": {
        "type": "object",
        "required": ["done", "total", "label"],
        "properties": {"done": {"type": "integer"}, "total": {"type": "integer"}, "label": {"type": "string"}},
    },
    "requested_at": {"type": "string", "format": "date-time"},
    "started_at": NULLABLE_MOMENT,
    "finished_at": NULLABLE_MOMENT,
    "error": {"type": ["string", "null"]},
}
JOB_SCHEMAS: dict[str, Any] = {
    "ReturnJobIn": {
        "type": "object",
        "required": ["return", "year"],
        "properties": {
            "return": {"type": "string", "enum": ["cin", "903"]},
            "year": {"type": "integer", "description": "Collection year: the year in which 31 March falls"},
        },
    },
    "ReturnJob": {
        "type": "object",
        "required": ["id", "return", "year", "status", "progress", "requested_at", "links"],
        "properties": {
            **_JOB_COMMON,
            "return": {"type": "string", "enum": ["cin", "903"]},
            "year": {"type": "integer"},
            "children": NULLABLE_INT,
            "errors": NULLABLE_INT,
            "queries": NULLABLE_INT,
            "sha256": {"type": ["string", "null"]},
            "links": {
                "type": "object",
                "properties": {
                    "self": {"type": "string", "format": "uri"},
                    "download": NULLABLE_URI,
                    "failures": NULLABLE_URI,
                    "page": {"type": "string", "format": "uri"},
                },
            },
        },
    },
    "ReturnFailure": {
        "type": "object",
        "properties": {
            "rule": {"type": "string"},
            "child": {"type": ["string", "null"], "description": "LA child id (null: the return as a whole)"},
            "child_id": NULLABLE_INT,
            "message": {"type": "string"},
            "fields": {"type": "array", "items": {"type": "string"}},
            "severity": {"type": "string", "enum": ["error", "query"]},
        },
    },
    "AnnexAJobIn": {
        "type": "object",
        "properties": {
            "as_of": {
                "type": "string",
                "format": "date",
                "pattern": "^2[0-9]{3}-",
                "description": "Inspection date (default today): from 2000 onwards, and not in the future",
            }
        },
    },
    "AnnexAJob": {
        "type": "object",
        "required": ["id", "as_of", "status", "progress", "requested_at", "links"],
        "properties": {
            **_JOB_COMMON,
            "as_of": {"type": "string", "format": "date"},
            "rows": {"type": ["object", "null"], "additionalProperties": {"type": "integer"}},
            "links": {
                "type": "object",
                "properties": {
                    "self": {"type": "string", "format": "uri"},
                    "workbook": NULLABLE_URI,
                    "csv": NULLABLE_URI,
                    "page": {"type": "string", "format": "uri"},
                },
            },
        },
    },
    "ReturnJobPage": _page_of("ReturnJob"),
    "ReturnFailurePage": _page_of("ReturnFailure"),
    "AnnexAJobPage": _page_of("AnnexAJob"),
}


def _return_job_in() -> dict[str, Any]:
    """The returns and the collection years Safehold can produce now (one schema per return)."""
    from safehold.returns.services import supported_years

    return {
        "oneOf": [
            {
                "type": "object",
                "required": ["return", "year"],
                "properties": {
                    "return": {"const": kind},
                    "year": {
                        "type": "integer",
                        "enum": list(supported_years(kind)),
                        "description": "Collection year: the year in which 31 March falls",
                    },
                },
            }
            for kind in ("cin", "903")
        ]
    }


def openapi_document(request: HttpRequest | None = None) -> dict[str, Any]:
    server = request.build_absolute_uri("/") if request is not None else "/"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Safehold API",
            "version": "1.0.0",
            "description": (
                "Read a child's summary and deadlines, list a caseload, record a contact, request and download "
                "statutory returns and Annex A (background jobs). A client acts as its "
                "owner: it sees only the children its owner may see, and every read is in the access log. "
                "Errors are RFC 9457 problem details; a query parameter an operation does not list is refused (400)."
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
                        },
                        "400": PROBLEM,
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
            **JOB_PATHS,
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
                        "received_at": {
                            "type": "string",
                            "format": "date-time",
                            "description": "When the contact was received: not in the future",
                        },
                        "source": {
                            "type": "string",
                            "enum": list(ReferralSource.values),
                            "description": "CIN census referral source code",
                        },
                        "summary": {"type": "string", "minLength": 1, "pattern": "\\S"},
                        "referrer_name": {"type": "string", "maxLength": 200},
                    },
                },
                **JOB_SCHEMAS,
                "ReturnJobIn": _return_job_in(),
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
