"""The operations of the JSON API as their views declare them, and their part of the document.

A view says what it reads and answers with `@documented(...)`; the OpenAPI document is built
from these records and the Pydantic shapes' JSON Schemas, so it cannot drift from the code.
"""

import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from crm.api import spec
from crm.api.schema import Body
from crm.keyset import COUNT_CAP

REF_TEMPLATE = "#/components/schemas/{model}"
OPERATIONS: dict[str, dict[str, dict[str, Any]]] = {}  # path -> method -> operation
SHAPES: set[type[BaseModel]] = set()
# An answer: a shape with its description, or an answer already written (errors, pages).
Answer = tuple[str, type[BaseModel]] | dict[str, Any]
View = TypeVar("View", bound=Callable[..., Any])
WRITE_METHODS = {"post", "put", "patch", "delete"}
# Any write can lose a race with a simultaneous one (crm/errors.py answers 409 for all of them); a
# public one (the token endpoint) writes nothing another caller could have changed first.
LOST_RACE = spec.error("Someone else changed the record at the same moment: read it again")


def documented(
    method: str,
    path: str,
    summary: str,
    answers: dict[int, Answer],
    body: type[BaseModel] | None = None,
    parameters: tuple[dict[str, Any], ...] = (),
    description: str | None = None,
    public: bool = False,
) -> Callable[[View], View]:
    """Record the operation `method path` (relative to /api/v1, {name} for path ids); a `public`
    one is called without a token. Unless `answers` say otherwise, every other one may answer
    401, and one with a `body` 400 and 422."""
    ids = tuple(spec.path_id(name) for name in re.findall(r"{(\w+)}", path))
    operation: dict[str, Any] = {"summary": summary}
    if description:
        operation["description"] = description
    if public:
        operation["security"] = []
    if ids or parameters:
        operation["parameters"] = [*ids, *parameters]
    if body is not None:
        SHAPES.add(body)
        operation["requestBody"] = {"required": True, **spec.json_body(spec.ref(body.__name__))}
    responses = {str(status): _answer(answer) for status, answer in answers.items()}
    if body is not None:
        responses.setdefault("400", spec.MALFORMED_BODY)
        responses.setdefault("422", spec.INVALID_FIELDS)
    if not public:
        responses.setdefault("401", spec.UNAUTHORISED)
        if method.lower() in WRITE_METHODS:
            responses.setdefault("409", LOST_RACE)
    operation["responses"] = responses
    OPERATIONS.setdefault(path, {})[method.lower()] = operation

    def record(view: View) -> View:
        return view

    return record


def _answer(answer: Answer) -> dict[str, Any]:
    if isinstance(answer, dict):
        return answer
    description, shape = answer
    SHAPES.add(shape)
    return {"description": description, **spec.json_body(spec.ref(shape.__name__))}


def page_of(description: str, shape: type[BaseModel]) -> dict[str, Any]:
    """The 200 answer of a keyset-paged list of `shape`."""
    SHAPES.add(shape)
    answer = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": spec.ref(shape.__name__)},
            "total": {"type": "integer", "description": f"Counted up to {COUNT_CAP}"},
            "total_is_exact": {
                "type": "boolean",
                "description": "false: more rows match than `total`",
            },
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "next": {"type": ["string", "null"], "description": "Pass as ?after="},
            "previous": {"type": ["string", "null"], "description": "Pass as ?before="},
        },
    }
    return {"description": description, **spec.json_body(answer)}


def created(description: str, shape: type[BaseModel]) -> dict[str, Any]:
    """The 201 answer of a POST that adds `shape`, with the new record's URL."""
    location = {"description": "The new record's URL", "schema": {"type": "string"}}
    return {**_answer((description, shape)), "headers": {"Location": location}}


def component_schemas() -> dict[str, Any]:
    """Every recorded shape's JSON Schema, and the shapes they hold, by class name."""
    shapes = sorted(SHAPES, key=lambda shape: shape.__name__)
    _keys, schemas = models_json_schema(
        [(shape, "validation" if issubclass(shape, Body) else "serialization") for shape in shapes],
        ref_template=REF_TEMPLATE,
    )
    defined: dict[str, Any] = schemas.get("$defs", {})
    return defined
