"""Small builders for the OpenAPI document that every domain's part shares."""

from typing import Any


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def error(description: str) -> dict[str, Any]:
    return {"description": description, **json_body(ref("Errors"))}


def query_param(
    name: str, kind: str = "string", description: str = "", fmt: str | None = None
) -> dict[str, Any]:
    schema = {"type": kind} | ({"format": fmt} if fmt else {})
    return {"name": name, "in": "query", "schema": schema, "description": description}


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def page_of(schema_name: str, description: str, cursor: bool = False) -> dict[str, Any]:
    """The 200 answer of a list endpoint: {"items": [...], "total", "page", "per_page"}, and
    with `cursor` the `next` page's cursor, passed back as ?after= (page is null then)."""
    properties: dict[str, Any] = {
        "items": {"type": "array", "items": ref(schema_name)},
        "total": {"type": "integer"},
        "page": {"type": ["integer", "null"] if cursor else "integer"},
        "per_page": {"type": "integer"},
    }
    if cursor:
        properties["next"] = {"type": ["string", "null"], "description": "Pass as ?after="}
    return {"description": description, **json_body({"type": "object", "properties": properties})}


UNAUTHORISED = error("Missing, expired or invalid bearer token")
