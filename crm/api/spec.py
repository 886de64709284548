"""Small builders for the OpenAPI document that every domain's part shares."""

from typing import Any

from crm.errors import MAX_DATABASE_ID


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "A message for people"}},
}
FIELD_ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "description": "Field name (`body` for the body as a whole) to its messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
# A record id: a larger number cannot be stored, so it is refused (422 in a body, 404 in a path).
DATABASE_ID = {"type": "integer", "minimum": 1, "maximum": MAX_DATABASE_ID}
SCHEMAS = {"Error": ERROR, "FieldErrors": FIELD_ERRORS}


def error(description: str) -> dict[str, Any]:
    """A refusal answered as {"error": message}: 401, 403, 404, 409, 429."""
    return {"description": description, **json_body(ref("Error"))}


def field_errors(description: str) -> dict[str, Any]:
    """A refusal of the input answered as {"errors": {field: [messages]}}: 400 and 422."""
    return {"description": description, **json_body(ref("FieldErrors"))}


MALFORMED_BODY = field_errors(  # the 400 of every operation with a JSON body
    "The body is not a JSON object (`errors.body`), or is nested too deeply to read"
)
INVALID_FIELDS = field_errors("Invalid fields, each named in `errors`")
OUT_OF_RANGE = field_errors("A query parameter is out of range")


def query_param(
    name: str, kind: str = "string", description: str = "", fmt: str | None = None
) -> dict[str, Any]:
    schema = {"type": kind} | ({"format": fmt} if fmt else {})
    return {"name": name, "in": "query", "schema": schema, "description": description}


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": DATABASE_ID}


UNAUTHORISED = error("Missing, expired or invalid bearer token")
