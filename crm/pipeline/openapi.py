"""This domain's part of the OpenAPI document: /pipeline and /models/active."""

from typing import Any

from crm.api.spec import UNAUTHORISED, error, field_errors, json_body, query_param, ref

SCHEMAS: dict[str, Any] = {
    "Reason": {
        "type": "object",
        "properties": {
            "feature": {"type": "string"},
            "effect": {
                "type": "number",
                "description": "Change in the score this factor makes (see docs/scoring.md)",
            },
            "percentile": {"type": ["number", "null"]},
            "scope": {"type": "string", "enum": ["track", "cohort"]},
            "category": {"type": ["string", "null"]},
            "words": {"type": "string", "description": "In the caller's language"},
            "raises": {"type": "boolean"},
        },
    },
    "PipelineItem": {
        "type": "object",
        "properties": {
            "enterprise_id": {"type": "integer"},
            "name": {"type": "string"},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "rank": {"type": "integer"},
            "percentile": {"type": "number"},
            "change": {"type": ["number", "null"]},
            "tier": {"type": "string"},
            "suggested_tier": {"type": "string"},
            "override": {"type": ["object", "null"]},
            "reasons": {"type": "array", "items": ref("Reason")},
            "model_version": {"type": "string"},
        },
    },
}

PATHS: dict[str, Any] = {
    "/pipeline": {
        "get": {
            "summary": "The latest scoring's ranking of the firms in the caller's scope",
            "parameters": [
                query_param("limit", "integer", "1 to 200, default 50"),
                query_param("page", "integer", "From 1: the next `limit` firms, by offset"),
                query_param(
                    "after",
                    "string",
                    "`next` of the page before: the page after it, as fast however deep",
                ),
                query_param("zone", "string", "Zone slug"),
                query_param("sub_district", "string", "Sub-district slug"),
                query_param("track", "string", "Track slug"),
                query_param("tier", "string", "Tier"),
            ],
            "responses": {
                "200": {
                    "description": "Ranked firms, best first",
                    **json_body(
                        {
                            "type": "object",
                            "properties": {
                                "items": {"type": "array", "items": ref("PipelineItem")},
                                "total": {
                                    "type": ["integer", "null"],
                                    "description": "Firms in view when the run scored them; "
                                    "null where the run's tally cannot say (a search)",
                                },
                                "next": {
                                    "type": ["string", "null"],
                                    "description": "Pass as ?after=",
                                },
                                "page": {"type": "integer"},
                                "limit": {"type": "integer"},
                                "scored_at": {"type": ["string", "null"]},
                                "model_version": {"type": ["string", "null"]},
                            },
                        }
                    ),
                },
                "401": UNAUTHORISED,
                "404": error("The caller's role has no pipeline"),
                "422": field_errors("A query parameter is invalid, named in `errors`"),
            },
        }
    },
    "/models/active": {
        "get": {
            "summary": "The live model version and its card, or the index when none is published",
            "responses": {
                "200": {"description": "The live model", **json_body({"type": "object"})},
                "401": UNAUTHORISED,
                "404": error("The caller's role has no pipeline"),
            },
        }
    },
}
