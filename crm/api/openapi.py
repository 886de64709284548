"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json."""

from typing import Any

from crm.api.registry import OPERATIONS, component_schemas
from crm.api.spec import SCHEMAS, error


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
            "schemas": {**SCHEMAS, **component_schemas()},
        },
        "security": [{"bearer": []}],
        "paths": dict(OPERATIONS),
    }
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
