"""The API's write endpoints: the JSON body they read and the commit they end with."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import abort, make_response, request
from flask_babel import gettext as _

from crm.errors import ConflictError, MalformedBodyError, conflict_answer
from models import db


def json_object() -> dict[str, Any]:
    """The request's JSON object; anything else answers 400 with {"errors": {"body": [...]}}.

    CheckedRequest (crm/input_guard.py) has already refused what no field may hold: a string
    with NUL or a lone surrogate answers 422 naming its path, a document too deep answers 400.
    """
    body = request.get_json()
    if not isinstance(body, dict):
        raise MalformedBodyError({"body": [_("Send a JSON object.")]})
    return body


@contextmanager
def committed(conflict_field: str) -> Iterator[None]:
    """Commit what the block writes. A ConflictError in it rolls back and answers 409 naming
    `conflict_field` (the state, stage or step asked for; `version_id` for a stale edit)."""
    try:
        yield
    except ConflictError as conflict:
        abort(make_response(conflict_answer(conflict, conflict_field)))  # ends the view with it
    db.session.commit()
