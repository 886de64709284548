"""This domain's part of the OpenAPI document: /requests and its workflow."""

from typing import Any

from crm.requests.workflow import TRANSITIONS
from models import RequestCategory, RequestState, RequestUrgency


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, **_json(_ref("Errors"))}


def _query(name: str, kind: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind}, "description": description}


UNAUTHORISED = _error("Missing, expired or invalid bearer token")
NOT_FOUND = _error("No such request, deleted, or outside the caller's scope")
REQUEST_ID = {"name": "request_id", "in": "path", "required": True, "schema": {"type": "integer"}}
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
            "enterprise_id": {"type": "integer"},
            "visit_id": {"type": ["integer", "null"], "description": "A visit of the same firm"},
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
            "at": {"type": "string", "format": "date-time"},
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
            "updated_at": {"type": "string", "format": "date-time"},
            "events": {"type": "array", "items": _ref("RequestEvent")},
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
                _query("state", "string", "One of the workflow states"),
                _query("department", "string", "Department slug"),
                _query("enterprise_id", "integer", "Only this firm's requests"),
                _query("overdue", "boolean", "true: only overdue requests"),
                _query("page", "integer", "From 1"),
                _query("per_page", "integer", "1 to 200"),
            ],
            "responses": {
                "200": {
                    "description": "One page of requests, soonest due first",
                    **_json(
                        {
                            "type": "object",
                            "properties": {
                                "items": {"type": "array", "items": _ref("EnterpriseRequest")},
                                "total": {"type": "integer"},
                                "page": {"type": "integer"},
                                "per_page": {"type": "integer"},
                            },
                        }
                    ),
                },
                "401": UNAUTHORISED,
                "422": _error("A filter or paging parameter is invalid, named in `errors`"),
            },
        },
        "post": {
            "summary": "Raise a request for a firm; it is routed by its category unless told",
            "requestBody": {"required": True, **_json(_ref("RequestInput"))},
            "responses": {
                "201": {
                    "description": "Created, with its first event",
                    "headers": {
                        "Location": {
                            "description": "The request's URL",
                            "schema": {"type": "string"},
                        }
                    },
                    **_json(_ref("EnterpriseRequest")),
                },
                "400": _error("The body is not a JSON object"),
                "401": UNAUTHORISED,
                "403": _error("Department staff cannot raise requests"),
                "404": _error("No such firm, or outside the caller's scope"),
                "422": _error("Invalid fields, each named in `errors`"),
            },
        },
    },
    "/requests/{request_id}": {
        "parameters": [REQUEST_ID],
        "get": {
            "summary": "One request with its event timeline",
            "responses": {
                "200": {"description": "The request", **_json(_ref("EnterpriseRequest"))},
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
            "requestBody": {"required": True, **_json(_ref("RequestTransition"))},
            "responses": {
                "200": {"description": "The changed request", **_json(_ref("EnterpriseRequest"))},
                "400": _error("The body is not a JSON object"),
                "401": UNAUTHORISED,
                "403": _error("The caller's role cannot take this step"),
                "404": NOT_FOUND,
                "409": _error("Not allowed from the current state, or a stale version_id"),
                "422": _error("Unknown action or a missing required field, named in `errors`"),
            },
        },
    },
}
