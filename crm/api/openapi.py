"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json."""

from typing import Any

from crm.policies import openapi as policies_openapi
from crm.requests import openapi as requests_openapi
from crm.visits import openapi as visits_openapi
from models import Designation, EnterpriseStatus, Tier

ERRORS = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Field name to its messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
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
            for name in ("employees", "patents", "pct_applications")
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


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, **_json(_ref("Errors"))}


def _query(name: str, kind: str = "string", description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind}, "description": description}


ENTERPRISE_ID = {
    "name": "enterprise_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}
UNAUTHORISED = _error("Missing, expired or invalid bearer token")
NOT_FOUND = _error("No such firm, or outside the caller's sub-district")


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
                "Errors": ERRORS,
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
                        "updated_at": {"type": "string", "format": "date-time"},
                        **ENTERPRISE_FIELDS,
                        "yearly_figures": {"type": "array", "items": _ref("YearlyFigures")},
                        "contacts": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/auth/token": {
                "post": {
                    "summary": "Exchange a username and password for a bearer token",
                    "security": [],
                    "requestBody": {
                        "required": True,
                        **_json(
                            {
                                "type": "object",
                                "required": ["username", "password"],
                                "properties": {
                                    "username": {"type": "string"},
                                    "password": {"type": "string"},
                                },
                            }
                        ),
                    },
                    "responses": {
                        "200": {
                            "description": "A token valid for 12 hours",
                            **_json(
                                {
                                    "type": "object",
                                    "properties": {
                                        "token": {"type": "string"},
                                        "token_type": {"type": "string"},
                                    },
                                }
                            ),
                        },
                        "401": _error("Unknown username or wrong password"),
                        "422": _error("A field is missing"),
                    },
                }
            },
            "/enterprises": {
                "get": {
                    "summary": "Firms in the caller's scope, filtered and paginated",
                    "parameters": [
                        _query("q", description="Part of the name, or the start of the USCC"),
                        _query("sub_district"),
                        _query("zone"),
                        _query("track"),
                        _query("tier"),
                        _query("designation"),
                        _query("manager", description="Username"),
                        _query("sort"),
                        _query("direction", description="asc or desc"),
                        _query("page", "integer"),
                        _query("per_page", "integer", "1 to 200"),
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of firms",
                            **_json(
                                {
                                    "type": "object",
                                    "properties": {
                                        "items": {"type": "array", "items": _ref("Enterprise")},
                                        "total": {"type": "integer"},
                                        "page": {"type": "integer"},
                                        "per_page": {"type": "integer"},
                                    },
                                }
                            ),
                        },
                        "401": UNAUTHORISED,
                        "422": _error("A paging parameter is out of range"),
                    },
                },
                "post": {
                    "summary": "Add a firm to the reservoir",
                    "requestBody": {"required": True, **_json(_ref("EnterpriseInput"))},
                    "responses": {
                        "201": {
                            "description": "Created",
                            "headers": {
                                "Location": {
                                    "description": "The new firm's URL",
                                    "schema": {"type": "string"},
                                }
                            },
                            **_json(_ref("Enterprise")),
                        },
                        "400": _error("The body is not a JSON object"),
                        "401": UNAUTHORISED,
                        "403": _error("The caller's role cannot add firms"),
                        "422": _error("Invalid fields, each named in `errors`"),
                    },
                },
            },
            "/enterprises/{enterprise_id}": {
                "parameters": [ENTERPRISE_ID],
                "get": {
                    "summary": "One firm with its yearly figures and contacts",
                    "responses": {
                        "200": {"description": "The firm", **_json(_ref("Enterprise"))},
                        "401": UNAUTHORISED,
                        "404": NOT_FOUND,
                    },
                },
                "patch": {
                    "summary": "Change some fields of a firm",
                    "description": "Send the `version_id` you read; a stale one answers 409.",
                    "requestBody": {"required": True, **_json(_ref("EnterprisePatch"))},
                    "responses": {
                        "200": {"description": "The changed firm", **_json(_ref("Enterprise"))},
                        "400": _error("The body is not a JSON object"),
                        "401": UNAUTHORISED,
                        "403": _error("The caller's role cannot change firms"),
                        "404": NOT_FOUND,
                        "409": _error("Someone else changed the firm since it was read"),
                        "422": _error("Invalid fields, each named in `errors`"),
                    },
                },
            },
        },
    }
    for domain in (visits_openapi, requests_openapi, policies_openapi):
        document["paths"].update(domain.PATHS)
        document["components"]["schemas"].update(domain.SCHEMAS)
    return document
