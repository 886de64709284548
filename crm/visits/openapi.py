"""Placeholder: this domain's part of the OpenAPI document."""

from typing import Any

PATHS: dict[str, Any] = {}
SCHEMAS: dict[str, Any] = {}
