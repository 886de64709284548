"""This domain's part of the OpenAPI document: /requests and its workflow."""

from typing import Any

from crm.api.cursors import CURSOR_PARAMS, cursor_page_of
from crm.api.spec import (
    DATABASE_ID,
    TIMESTAMP,
    UNAUTHORISED,
    error,
    field_errors,
    json_body,
    malformed_body,
    path_id,
    query_param,
    ref,
)
from crm.requests.workflow import TRANSITIONS
from models import RequestCategory, RequestState, RequestUrgency

NOT_FOUND = error("No such request, deleted, or outside the caller's scope")
REQUEST_ID = path_id("request_id")
STATE = {"type": "string", "enum": [state.value for state in RequestState]}
WORKFLOW_TEXT = "; ".join(
    f"{action.value}: {'/'.join(sorted(s.value for s in step.from_states))} -> "
    f"{step.to_state.value} by {'/'.join(sorted(step.parties))}"
    + (f", needs {step.required}" if step.required else "")
    for action, step in TRANSITIONS.items()
)

SCHEMAS: dict[str, Any] = {
    "RequestInput": {
        "type": "object",
        "required": ["enterprise_id", "category", "description"],
        "additionalProperties": False,
        "properties": {
            "enterprise_id": DATABASE_ID,
            "visit_id": {
                **DATABASE_ID,
                "type": ["integer", "null"],
                "description": "A visit of the same firm",
            },
            "category": {"type": "string", "enum": [c.value for c in RequestCategory]},
            "description": {"type": "string", "maxLength": 5000},
            "urgency": {"type": "string", "enum": [u.value for u in RequestUrgency]},
            "department": {
                "type": ["string", "null"],
                "description": "Department slug; defaults to the category's route",
            },
            "due_on": {
                "type": ["string", "null"],
                "format": "date",
                "description": "Defaults to raised_on plus the route's due days",
            },
            "raised_on": {"type": ["string", "null"], "format": "date", "description": "Today"},
        },
    },
    "RequestEvent": {
        "type": "object",
        "properties": {
            "action": {"type": "string"},
            "from_state": {"type": ["string", "null"]},
            "to_state": STATE,
            "actor": {"type": "string", "description": "Username"},
            "at": TIMESTAMP,
            "note": {"type": ["string", "null"]},
            "from_department": {"type": ["string", "null"]},
            "to_department": {"type": ["string", "null"]},
        },
    },
    "EnterpriseRequest": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "version_id": {"type": "integer"},
            "enterprise_id": {"type": "integer"},
            "enterprise_name": {"type": "string"},
            "visit_id": {"type": ["integer", "null"]},
            "category": {"type": "string", "enum": [c.value for c in RequestCategory]},
            "description": {"type": "string"},
            "urgency": {"type": "string", "enum": [u.value for u in RequestUrgency]},
            "department": {"type": "string", "description": "Department slug"},
            "state": STATE,
            "raised_on": {"type": "string", "format": "date"},
            "due_on": {"type": "string", "format": "date"},
            "is_overdue": {
                "type": "boolean",
                "description": "Due before today and still open, accepted or in progress",
            },
            "answer": {"type": ["string", "null"]},
            "rejection_reason": {"type": ["string", "null"]},
            "satisfaction": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
            "created_by": {"type": "string"},
            "updated_at": TIMESTAMP,
            "events": {"type": "array", "items": ref("RequestEvent")},
        },
    },
    "RequestTransition": {
        "type": "object",
        "required": ["action"],
        "additionalProperties": False,
        "properties": {
            "action": {"type": "string", "enum": [action.value for action in TRANSITIONS]},
            "note": {"type": "string", "description": "Required by reopen"},
            "answer": {"type": "string", "description": "Required by resolve"},
            "satisfaction": {
                "type": "integer",
                "minimum": 1,
                "maximum": 5,
                "description": "Required by close",
            },
            "department": {"type": "string", "description": "Slug; required by transfer"},
            "reason": {"type": "string", "description": "Required by reject"},
            "version_id": {"type": "integer", "description": "If sent, a stale one answers 409"},
        },
    },
}

PATHS: dict[str, Any] = {
    "/requests": {
        "get": {
            "summary": "Requests in the caller's scope, filtered and paginated",
            "description": "Department staff see their inbox; managers their firms' requests.",
            "parameters": [
                query_param("state", "string", "One of the workflow states"),
                query_param("department", "string", "Department slug"),
                query_param("enterprise_id", "integer", "Only this firm's requests"),
                query_param("overdue", "boolean", "true: only overdue requests"),
                *CURSOR_PARAMS,
            ],
            "responses": {
                "200": cursor_page_of(
                    "EnterpriseRequest", "One page of requests: pending first, soonest due first"
                ),
                "401": UNAUTHORISED,
                "422": field_errors("A filter or paging parameter is invalid, named in `errors`"),
            },
        },
        "post": {
            "summary": "Raise a request for a firm; it is routed by its category unless told",
            "requestBody": {"required": True, **json_body(ref("RequestInput"))},
            "responses": {
                "201": {
                    "description": "Created, with its first event",
                    "headers": {
                        "Location": {
                            "description": "The request's URL",
                            "schema": {"type": "string"},
                        }
                    },
                    **json_body(ref("EnterpriseRequest")),
                },
                "400": malformed_body(),
                "401": UNAUTHORISED,
                "403": error("Department staff cannot raise requests"),
                "404": error("No such firm, or outside the caller's scope"),
                "422": field_errors("Invalid fields, each named in `errors`"),
            },
        },
    },
    "/requests/{request_id}": {
        "parameters": [REQUEST_ID],
        "get": {
            "summary": "One request with its event timeline",
            "responses": {
                "200": {"description": "The request", **json_body(ref("EnterpriseRequest"))},
                "401": UNAUTHORISED,
                "404": NOT_FOUND,
            },
        },
    },
    "/requests/{request_id}/transitions": {
        "parameters": [REQUEST_ID],
        "post": {
            "summary": "Take a workflow step",
            "description": f"Allowed steps: {WORKFLOW_TEXT}. Admins act for either side.",
            "requestBody": {"required": True, **json_body(ref("RequestTransition"))},
            "responses": {
                "200": {
                    "description": "The changed request",
                    **json_body(ref("EnterpriseRequest")),
                },
                "400": malformed_body(),
                "401": UNAUTHORISED,
                "403": error("The caller's role cannot take this step"),
                "404": NOT_FOUND,
                "409": error("Not allowed from the current state, or a stale version_id"),
                "422": field_errors(
                    "Unknown action or a missing required field, named in `errors`"
                ),
            },
        },
    },
}
