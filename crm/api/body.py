"""The JSON body of the API's write endpoints."""

from typing import Any

from flask import request
from flask_babel import gettext as _

from crm.errors import MalformedBodyError


def json_object() -> dict[str, Any]:
    """The request's JSON object; anything else answers 400 with {"errors": {"body": [...]}}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise MalformedBodyError({"body": [_("Send a JSON object.")]})
    return body
