"""This domain's part of the OpenAPI document: /targets."""

from typing import Any

from crm.api.spec import TIMESTAMP, UNAUTHORISED, error, field_errors, json_body, query_param, ref

SCHEMAS: dict[str, Any] = {
    "TargetProgress": {
        "type": "object",
        "properties": {
            "key": {"type": "string", "example": "new_track"},
            "title": {"type": "string", "description": "In the caller's language"},
            "definition": {
                "type": "object",
                "description": "What is counted: the query over the data, in words and as data",
                "properties": {
                    "text": {"type": "string"},
                    "measure": {"type": "string", "enum": ["firms", "figure_sum"]},
                    "tier_at_least": {"type": ["string", "null"]},
                    "designations": {"type": "array", "items": {"type": "string"}},
                    "figure": {"type": ["string", "null"]},
                    "per_year": {"type": "boolean"},
                    "since_year": {"type": ["integer", "null"]},
                },
            },
            "value": {"type": "integer", "description": "Today, for the firms in view"},
            "target": {
                "type": "number",
                "description": "The goal; with a zone, sub-district or track, the share of the "
                "district goal in proportion to the firms in view",
            },
            "district_target": {"type": "integer"},
            "baseline": {
                "type": "string",
                "format": "date",
                "description": "The pace is measured from this day (the plan's eve, or the first "
                "firm's entry if later)",
            },
            "deadline": {"type": "string", "format": "date"},
            "projected": {"type": "number", "description": "At the deadline, at today's pace"},
            "on_pace": {
                "type": ["boolean", "null"],
                "description": "null when the goal is 0 (a zone, sub-district or track "
                "without firms)",
            },
            "owner": {"type": ["string", "null"], "description": "Department slug"},
            "trend": {
                "type": "array",
                "description": "Value at each quarter end since the plan began, then today",
                "items": {
                    "type": "object",
                    "properties": {
                        "on": {"type": "string", "format": "date"},
                        "value": {"type": "integer"},
                    },
                },
            },
        },
    },
}

PATHS: dict[str, Any] = {
    "/targets": {
        "get": {
            "summary": "Progress to the action plan's targets (district leaders and admins)",
            "parameters": [
                query_param("zone", "string", "Zone slug"),
                query_param("sub_district", "string", "Sub-district slug"),
                query_param("track", "string", "Industry track slug"),
            ],
            "responses": {
                "200": {
                    "description": "The targets, in the admin's order",
                    **json_body(
                        {
                            "type": "object",
                            "properties": {
                                "as_of": {"type": "string", "format": "date"},
                                "computed_at": {
                                    **TIMESTAMP,
                                    "description": "When the figures were counted (UTC): "
                                    "they are refreshed every few minutes",
                                },
                                "items": {
                                    "type": "array",
                                    "items": ref("TargetProgress"),
                                },
                            },
                        }
                    ),
                },
                "401": UNAUTHORISED,
                "404": error("The caller is not a district leader or admin"),
                "422": field_errors("An unknown zone, sub_district or track, named in `errors`"),
            },
        }
    },
}
