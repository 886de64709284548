"""This domain's part of the OpenAPI document: /packages."""

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
    path_id,
    query_param,
    ref,
)
from models import InstrumentUnit, ItemState, PackageState

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NOT_FOUND = error("No such package, or outside the caller's scope")
PACKAGE_ID = path_id("package_id")

SCHEMAS: dict[str, Any] = {
    "PackageItemInput": {
        "type": "object",
        "required": ["instrument_id", "amount"],
        "additionalProperties": False,
        "properties": {
            "instrument_id": DATABASE_ID,
            "amount": {
                "type": "number",
                "exclusiveMinimum": 0,
                "description": "Yuan, or a whole number for count instruments",
            },
            "conditions": {"type": ["string", "null"]},
            "disburse_by": NULLABLE_DATE,
            "review_on": NULLABLE_DATE,
        },
    },
    "PackageInput": {
        "type": "object",
        "required": ["enterprise_id", "title", "items"],
        "properties": {
            "enterprise_id": DATABASE_ID,
            "title": {"type": "string", "maxLength": 200},
            "rationale": {"type": ["string", "null"]},
            "items": {"type": "array", "minItems": 1, "items": ref("PackageItemInput")},
        },
    },
    "PackageItem": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "instrument_id": {"type": "integer"},
            "instrument": {"type": "string", "description": "The instrument's slug"},
            "unit": {"type": "string", "enum": [u.value for u in InstrumentUnit]},
            "amount": {"type": "number"},
            "conditions": {"type": ["string", "null"]},
            "state": {"type": "string", "enum": [s.value for s in ItemState]},
            "disburse_by": NULLABLE_DATE,
            "review_on": NULLABLE_DATE,
            "granted_on": NULLABLE_DATE,
            "disbursed_amount": {"type": ["number", "null"]},
            "disbursed_on": NULLABLE_DATE,
            "reviewed_on": NULLABLE_DATE,
            "goal_met": {"type": ["boolean", "null"]},
            "review_note": {"type": ["string", "null"]},
        },
    },
    "Package": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "enterprise_id": {"type": "integer"},
            "enterprise": {"type": "string"},
            "title": {"type": "string"},
            "rationale": {"type": ["string", "null"]},
            "state": {"type": "string", "enum": [s.value for s in PackageState]},
            "proposed_by": {"type": "string"},
            "proposed_at": TIMESTAMP,
            "decided_by": {"type": ["string", "null"]},
            "decided_at": OPTIONAL_TIMESTAMP,
            "decision_comment": {"type": ["string", "null"]},
            "version_id": {"type": "integer"},
            "items": {"type": "array", "items": ref("PackageItem")},
        },
    },
    "PackageDecision": {
        "type": "object",
        "required": ["decision", "version_id"],
        "properties": {
            "decision": {"type": "string", "enum": ["approve", "reject"]},
            "comment": {"type": ["string", "null"], "description": "Required when rejecting"},
            "version_id": {"type": "integer"},
        },
    },
}

PATHS: dict[str, Any] = {
    "/packages": {
        "get": {
            "summary": "Policy packages in the caller's scope, newest first",
            "parameters": [
                query_param("enterprise_id", "integer", "Only this firm's packages"),
                query_param("state", "string", "proposed, approved or rejected"),
                *CURSOR_PARAMS,
            ],
            "responses": {
                "200": cursor_page_of("Package", "One page of packages, newest first"),
                "401": UNAUTHORISED,
                "422": field_errors("A query parameter is out of range"),
            },
        },
        "post": {
            "summary": "Propose a package of catalogue items for a firm",
            "description": (
                "Errors name items by their zero-based place, e.g. `items[1].amount`; an amount "
                "that would take the firm over an instrument's ceiling (over its proposed and "
                "approved packages) is refused there."
            ),
            "requestBody": {"required": True, **json_body(ref("PackageInput"))},
            "responses": {
                "201": {
                    "description": "Proposed",
                    "headers": {
                        "Location": {
                            "description": "The new package's URL",
                            "schema": {"type": "string"},
                        }
                    },
                    **json_body(ref("Package")),
                },
                "400": malformed_body(),
                "401": UNAUTHORISED,
                "403": error("The caller's role cannot propose packages"),
                "404": error("No such firm, or outside the caller's scope"),
                "422": field_errors("Invalid fields, each named in `errors`"),
            },
        },
    },
    "/packages/{package_id}": {
        "parameters": [PACKAGE_ID],
        "get": {
            "summary": "One package with its items and their progress",
            "responses": {
                "200": {"description": "The package", **json_body(ref("Package"))},
                "401": UNAUTHORISED,
                "404": NOT_FOUND,
            },
        },
    },
    "/packages/{package_id}/decision": {
        "parameters": [PACKAGE_ID],
        "post": {
            "summary": "Approve or reject a proposed package (district leaders)",
            "requestBody": {"required": True, **json_body(ref("PackageDecision"))},
            "responses": {
                "200": {"description": "The decided package", **json_body(ref("Package"))},
                "400": malformed_body(),
                "401": UNAUTHORISED,
                "403": error("Only district leaders decide"),
                "404": NOT_FOUND,
                "409": error("Already decided, or changed since it was read"),
                "422": field_errors("An invalid decision, or a rejection without a comment"),
            },
        },
    },
}
