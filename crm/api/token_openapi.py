"""The OpenAPI description of POST /auth/token (crm/api/__init__.py)."""

from typing import Any

from crm.api.spec import TIMESTAMP, error, field_errors, json_body, malformed_body

RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}
}

TOKEN_PATH: dict[str, Any] = {
    "post": {
        "summary": "Exchange a username and password for a bearer token",
        "description": (
            "Each call issues a new token, stored hashed and listed on the user's account page, "
            "where it can be revoked. It expires after API_TOKEN_MAX_AGE_SECONDS (12 hours by "
            "default), and ends early when the password changes, the account is deactivated or "
            "the user logs out everywhere. Failed attempts are limited per address and per "
            "account, and repeated failures lock the account for a while."
        ),
        "security": [],
        "requestBody": {
            "required": True,
            **json_body(
                {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "username": {"type": "string"},
                        "password": {"type": "string"},
                        "name": {
                            "type": "string",
                            "maxLength": 80,
                            "description": "A label shown in the list of tokens (default API)",
                        },
                    },
                }
            ),
        },
        "responses": {
            "200": {
                "description": "A new token; keep it secret, it is shown only this once",
                **json_body(
                    {
                        "type": "object",
                        "required": ["token", "token_type", "expires_at"],
                        "properties": {
                            "token": {"type": "string"},
                            "token_type": {"type": "string", "enum": ["Bearer"]},
                            "expires_at": TIMESTAMP,
                        },
                    }
                ),
            },
            "400": malformed_body(),
            "401": error("Unknown username or wrong password"),
            "422": field_errors("A field is missing or too long, named in `errors`"),
            "429": {
                **error("Too many failed attempts, or the account is locked: retry later"),
                "headers": RETRY_AFTER,
            },
        },
    }
}
