"""This domain's part of the OpenAPI document: /visits."""

from typing import Any

from crm.api.cursors import CURSOR_PARAMS, cursor_page_of
from crm.api.spec import (
    DATABASE_ID,
    OPTIONAL_TIMESTAMP,
    TIMESTAMP,
    UNAUTHORISED,
    error,
    field_errors,
    json_body,
    malformed_body,
    query_param,
    ref,
)
from models import MoveOutReason, RedFlag, VisitKind
from models.visit import FINDING_AREAS

DATE = {"type": "string", "format": "date"}
OPTIONAL_DATE = {"type": ["string", "null"], "format": "date"}
FINDINGS = {
    "type": "object",
    "properties": {area: {"type": ["string", "null"]} for area in FINDING_AREAS},
    "additionalProperties": False,
}
FOLLOW_UP_INPUT = {
    "type": "object",
    "required": ["description", "owner", "due_on"],
    "properties": {
        "description": {"type": "string", "maxLength": 300},
        "owner": {"type": "string", "description": "Username of the person who acts"},
        "due_on": DATE,
    },
}
RED_FLAG_ANSWERS = {
    "type": ["object", "null"],
    "description": "Every red flag answered yes (true) or no (false); required on on-site visits.",
    "properties": {flag.value: {"type": "boolean"} for flag in RedFlag},
    "additionalProperties": False,
}
RECENT_VISIT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "visited_on": DATE,
        "kind": {"type": "string"},
        "created_by": {"type": "string"},
        "created_by_name": {"type": "string"},
    },
}

SCHEMAS: dict[str, Any] = {
    "VisitInput": {
        "type": "object",
        "required": ["enterprise_id", "visited_on", "kind", "summary"],
        "properties": {
            "enterprise_id": DATABASE_ID,
            "visited_on": DATE,
            "kind": {"type": "string", "enum": [kind.value for kind in VisitKind]},
            "summary": {"type": "string", "maxLength": 5000},
            "people_met": {"type": ["string", "null"], "maxLength": 300},
            "findings": FINDINGS,
            "red_flags": RED_FLAG_ANSWERS,
            "move_out_reason": {
                "type": ["string", "null"],
                "enum": [*(reason.value for reason in MoveOutReason), None],
                "description": "Required when red_flags.move_out is true",
            },
            "participants": {"type": "array", "items": {"type": "string"}},
            "follow_ups": {"type": "array", "items": FOLLOW_UP_INPUT},
            "next_visit_on": OPTIONAL_DATE,
            "confirm_duplicate": {
                "type": "boolean",
                "description": "Log it although another unit visited within 30 days",
            },
        },
    },
    "Visit": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "enterprise_id": {"type": "integer"},
            "enterprise_name": {"type": "string"},
            "visited_on": DATE,
            "kind": {"type": "string", "enum": [kind.value for kind in VisitKind]},
            "summary": {"type": "string"},
            "people_met": {"type": ["string", "null"]},
            "findings": FINDINGS,
            "red_flags_asked": {"type": "boolean"},
            "red_flags": {
                "type": "array",
                "description": "The flags answered yes",
                "items": {
                    "type": "object",
                    "properties": {
                        "flag": {"type": "string", "enum": [flag.value for flag in RedFlag]},
                        "move_out_reason": {"type": ["string", "null"]},
                        "note": {"type": ["string", "null"]},
                    },
                },
            },
            "participants": {"type": "array", "items": {"type": "string"}},
            "follow_ups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "description": {"type": "string"},
                        "owner": {"type": "string"},
                        "due_on": DATE,
                        "done_at": OPTIONAL_TIMESTAMP,
                    },
                },
            },
            "next_visit_on": OPTIONAL_DATE,
            "created_by": {"type": "string"},
            "created_at": TIMESTAMP,
            "version_id": {"type": "integer"},
        },
    },
}

PATHS: dict[str, Any] = {
    "/visits": {
        "get": {
            "summary": "Visits the caller may read, newest first",
            "parameters": [
                query_param("enterprise_id", "integer", "Only this firm's visits"),
                query_param("since", "string", "First visit date, inclusive", "date"),
                query_param("until", "string", "Last visit date, inclusive", "date"),
                *CURSOR_PARAMS,
            ],
            "responses": {
                "200": cursor_page_of("Visit", "One page of visits"),
                "401": UNAUTHORISED,
                "422": field_errors("A filter or paging parameter is invalid"),
            },
        },
        "post": {
            "summary": "Log a visit to a firm",
            "description": (
                "An on-site visit answers every red flag. When another user visited the firm "
                "within 30 days the answer is 409 listing those visits, unless "
                "`confirm_duplicate` is true."
            ),
            "requestBody": {"required": True, **json_body(ref("VisitInput"))},
            "responses": {
                "201": {
                    "description": "Logged",
                    "headers": {
                        "Location": {
                            "description": "The new visit's URL",
                            "schema": {"type": "string"},
                        }
                    },
                    **json_body(ref("Visit")),
                },
                "400": malformed_body(),
                "401": UNAUTHORISED,
                "404": error("No such firm, or outside the caller's scope"),
                "409": {
                    "description": "Another unit visited recently; resend with confirm_duplicate",
                    **json_body(
                        {
                            "allOf": [
                                ref("Error"),
                                {
                                    "type": "object",
                                    "properties": {
                                        "recent": {"type": "array", "items": RECENT_VISIT}
                                    },
                                },
                            ]
                        }
                    ),
                },
                "422": field_errors("Invalid fields, each named in `errors`"),
            },
        },
    },
    "/visits/{visit_id}": {
        "parameters": [{"name": "visit_id", "in": "path", "required": True, "schema": DATABASE_ID}],
        "get": {
            "summary": "One visit with its red flags and follow-ups",
            "responses": {
                "200": {"description": "The visit", **json_body(ref("Visit"))},
                "401": UNAUTHORISED,
                "404": error("No such visit, deleted, or outside the caller's scope"),
            },
        },
    },
}
