"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json."""

from typing import Any

from crm.api.registry import OPERATIONS, component_schemas
from crm.api.spec import SCHEMAS


def openapi_document() -> dict[str, Any]:
    return {
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
        "paths": OPERATIONS,
    }
