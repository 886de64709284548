"""The JSON body of the API's write endpoints."""

from typing import Any

from flask import request
from flask_babel import gettext as _

from crm.errors import MalformedBodyError


def json_object() -> dict[str, Any]:
    """The request's JSON object; anything else answers 400 with {"errors": {"body": [...]}}.

    CheckedRequest (crm/input_guard.py) has already refused what no field may hold: a string
    with NUL or a lone surrogate answers 422 naming its path, a document too deep answers 400.
    """
    body = request.get_json()
    if not isinstance(body, dict):
        raise MalformedBodyError({"body": [_("Send a JSON object.")]})
    return body
