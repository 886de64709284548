"""This domain's part of the OpenAPI document: /reminders."""

from typing import Any

from crm.api.cursors import CURSOR_PARAMS, cursor_page_of
from crm.api.spec import (
    OPTIONAL_TIMESTAMP,
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

SCHEMAS: dict[str, Any] = {
    "Reminder": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "rule": {"type": "string", "description": "Which rule found it, e.g. visit_due"},
            "title": {"type": "string", "description": "The rule's name in the caller's language"},
            "record": {
                "type": "object",
                "properties": {
                    "kind": {
                        "type": "string",
                        "enum": [
                            "enterprise",
                            "follow_up",
                            "request",
                            "package_item",
                            "digest",
                            "sub_district",
                        ],
                        "description": "sub_district: a rolled-up escalation of late visits; "
                        "its firms are listed on the page at `url`",
                    },
                    "id": {"type": "integer"},
                    "url": {"type": "string", "description": "The page to act on"},
                },
            },
            "subject": {"type": "string"},
            "item_count": {
                "type": ["integer", "null"],
                "description": "A rolled-up escalation (record kind sub_district): how many "
                "late firms it lists, as of the last scan; null for other reminders",
            },
            "enterprise_id": {"type": ["integer", "null"]},
            "due_on": {"type": "string", "format": "date"},
            "state": {"type": "string", "enum": ["open", "done", "closed"]},
            "snoozed_until": {"type": ["string", "null"], "format": "date"},
            "created_at": TIMESTAMP,
            "done_at": OPTIONAL_TIMESTAMP,
            "closed_at": OPTIONAL_TIMESTAMP,
        },
    },
}

_ONE = {"description": "The reminder as it is now", **json_body(ref("Reminder"))}
_NOT_YOURS = error("No such reminder among the caller's own")

PATHS: dict[str, Any] = {
    "/reminders": {
        "get": {
            "summary": "The caller's own reminders, soonest due first",
            "parameters": [
                query_param(
                    "view",
                    "string",
                    "open (default: not snoozed, overdue no longer than REMINDER_BACKLOG_DAYS), "
                    "snoozed, done, all, backlog (open and overdue longer than that)",
                ),
                *CURSOR_PARAMS,
            ],
            "responses": {
                "200": cursor_page_of("Reminder", "A page of reminders"),
                "401": UNAUTHORISED,
                "422": field_errors("A query parameter is invalid, named in `errors`"),
            },
        }
    },
    "/reminders/{reminder_id}/done": {
        "post": {
            "summary": "Mark one of the caller's reminders done (again: no change)",
            "parameters": [path_id("reminder_id")],
            "responses": {"200": _ONE, "401": UNAUTHORISED, "404": _NOT_YOURS},
        }
    },
    "/reminders/{reminder_id}/snooze": {
        "post": {
            "summary": "Hide an open reminder until a day (at most 90 days ahead)",
            "parameters": [path_id("reminder_id")],
            "requestBody": json_body(
                {
                    "type": "object",
                    "required": ["until"],
                    "properties": {"until": {"type": "string", "format": "date"}},
                }
            ),
            "responses": {
                "200": _ONE,
                "400": malformed_body(),
                "401": UNAUTHORISED,
                "404": _NOT_YOURS,
                "422": field_errors("`until` is missing, malformed, past or too far ahead"),
            },
        }
    },
}
