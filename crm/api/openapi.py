"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json."""

from typing import Any

from crm.api.registry import OPERATIONS, component_schemas
from crm.api.spec import (
    SCHEMAS,
    TIMESTAMP,
    UNAUTHORISED,
    error,
    field_errors,
    json_body,
    malformed_body,
    page_of,
    path_id,
    query_param,
    ref,
)
from crm.api.token_openapi import TOKEN_PATH
from crm.pipeline import openapi as pipeline_openapi
from crm.reminders import openapi as reminders_openapi
from crm.targets import openapi as targets_openapi
from models import Designation, EnterpriseStatus, Tier

FIGURES = {
    "type": "object",
    "properties": {
        "year": {"type": "integer"},
        **{
            name: {"type": ["number", "null"]}
            for name in (
                "revenue",
                "revenue_growth_pct",
                "rd_spend",
                "funding_raised",
                "valuation",
                "tax_paid",
            )
        },
        **{
            name: {"type": ["integer", "null"]}
            for name in ("employees", "patents", "pct_applications", "blockchain_scenarios")
        },
    },
}
ENTERPRISE_FIELDS: dict[str, Any] = {
    "name": {"type": "string", "maxLength": 200},
    "uscc": {"type": "string", "minLength": 18, "maxLength": 18, "description": "GB 32100-2015"},
    "sub_district": {"type": "string", "description": "Sub-district slug, e.g. daninglu"},
    "zone": {"type": "string", "description": "Zone slug: shibei, daning, suhewan, nanxi"},
    "track": {"type": "string", "description": "Industry track slug, e.g. ai"},
    "address": {"type": ["string", "null"]},
    "founded_on": {"type": ["string", "null"], "format": "date"},
    "registered_capital": {"type": ["number", "null"], "description": "10,000 yuan"},
    "tier": {"type": "string", "enum": [t.value for t in Tier]},
    "designations": {
        "type": "array",
        "items": {"type": "string", "enum": [d.value for d in Designation]},
    },
    "in_hundred_enterprises_plan": {"type": "boolean"},
    "manager": {"type": ["string", "null"], "description": "Username of the account manager"},
    "status": {"type": "string", "enum": [s.value for s in EnterpriseStatus]},
    "notes": {"type": ["string", "null"]},
}


ENTERPRISE_ID = path_id("enterprise_id")
NOT_FOUND = error("No such firm, or outside the caller's sub-district")


def openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Cultivate: Jing'an Park enterprise cultivation CRM",
            "version": "1",
            "description": (
                "Get a token from POST /auth/token and send it as `Authorization: Bearer <token>`. "
                "A manager sees only the firms of their own sub-district; other firms answer 404."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                **SCHEMAS,
                "YearlyFigures": FIGURES,
                "EnterpriseInput": {
                    "type": "object",
                    "properties": ENTERPRISE_FIELDS,
                    "required": ["name", "uscc", "sub_district", "zone", "track"],
                    "additionalProperties": False,
                },
                "EnterprisePatch": {
                    "type": "object",
                    "properties": {**ENTERPRISE_FIELDS, "version_id": {"type": "integer"}},
                    "required": ["version_id"],
                },
                "Enterprise": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "version_id": {"type": "integer"},
                        "updated_at": TIMESTAMP,
                        **ENTERPRISE_FIELDS,
                        "yearly_figures": {"type": "array", "items": ref("YearlyFigures")},
                        "contacts": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/auth/token": TOKEN_PATH,
            "/enterprises": {
                "get": {
                    "summary": "Firms in the caller's scope, filtered and paginated",
                    "parameters": [
                        query_param("q", description="Part of the name, or the start of the USCC"),
                        query_param("sub_district"),
                        query_param("zone"),
                        query_param("track"),
                        query_param("tier"),
                        query_param("designation"),
                        query_param("manager", description="Username"),
                        query_param("sort"),
                        query_param("direction", description="asc or desc"),
                        query_param("page", "integer"),
                        query_param("per_page", "integer", "1 to 200"),
                        query_param(
                            "after",
                            description="`next` of the previous answer: deep pages stay fast",
                        ),
                    ],
                    "responses": {
                        "200": page_of(
                            "Enterprise", "One page of firms (total counts to 10,001)", cursor=True
                        ),
                        "401": UNAUTHORISED,
                        "422": field_errors("A paging parameter is out of range"),
                    },
                },
                "post": {
                    "summary": "Add a firm to the reservoir",
                    "requestBody": {"required": True, **json_body(ref("EnterpriseInput"))},
                    "responses": {
                        "201": {
                            "description": "Created",
                            "headers": {
                                "Location": {
                                    "description": "The new firm's URL",
                                    "schema": {"type": "string"},
                                }
                            },
                            **json_body(ref("Enterprise")),
                        },
                        "400": malformed_body(),
                        "401": UNAUTHORISED,
                        "403": error("The caller's role cannot add firms"),
                        "422": field_errors("Invalid fields, each named in `errors`"),
                    },
                },
            },
            "/enterprises/{enterprise_id}": {
                "parameters": [ENTERPRISE_ID],
                "get": {
                    "summary": "One firm with its yearly figures and contacts",
                    "responses": {
                        "200": {"description": "The firm", **json_body(ref("Enterprise"))},
                        "401": UNAUTHORISED,
                        "404": NOT_FOUND,
                    },
                },
                "patch": {
                    "summary": "Change some fields of a firm",
                    "description": "Send the `version_id` you read; a stale one answers 409.",
                    "requestBody": {"required": True, **json_body(ref("EnterprisePatch"))},
                    "responses": {
                        "200": {"description": "The changed firm", **json_body(ref("Enterprise"))},
                        "400": malformed_body(),
                        "401": UNAUTHORISED,
                        "403": error("The caller's role cannot change firms"),
                        "404": NOT_FOUND,
                        "409": error("Someone else changed the firm since it was read"),
                        "422": field_errors("Invalid fields, each named in `errors`"),
                    },
                },
            },
        },
    }
    for domain in (
        pipeline_openapi,
        reminders_openapi,
        targets_openapi,
    ):
        document["paths"].update(domain.PATHS)
        document["components"]["schemas"].update(domain.SCHEMAS)
    document["paths"].update(OPERATIONS)
    document["components"]["schemas"].update(component_schemas())
    _document_lost_races(document["paths"])
    return document


WRITE_METHODS = ("post", "put", "patch", "delete")


def _document_lost_races(paths: dict[str, Any]) -> None:
    # Any write can lose a race with a simultaneous one (crm/errors.py answers 409 for all of
    # them); the token endpoint writes nothing another caller could have changed first.
    for path, operations in paths.items():
        for method in WRITE_METHODS:
            if path != "/auth/token" and method in operations:
                operations[method]["responses"].setdefault(
                    "409",
                    error("Someone else changed the record at the same moment: read it again"),
                )
