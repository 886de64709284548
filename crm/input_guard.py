"""Input no view should have to think about: unreadable JSON, control characters in URLs.

Installed once on the app, so a new endpoint cannot forget it: every `request.get_json()` (and
`request.json`) goes through CheckedRequest, and every query string and path through
refuse_unsafe_parameters.
"""

import json
import math
from typing import Any, NoReturn

from flask import Flask, Request, request
from flask_babel import gettext as _

from crm.errors import InvalidInputError, MalformedBodyError
from crm.text_checks import text_problem

# The API's bodies are a few fields deep (a package's items[0].amount is the deepest). Python's
# parser recurses: a thousand levels raise RecursionError, which Flask would answer with a 500.
MAX_JSON_DEPTH = 16
# Far above any write the API takes, far below what would fill a worker: the 20 MiB an upload
# may be, as an array of empty objects, would become some 7 million dicts (about 450 MB).
MAX_JSON_BYTES = 1024 * 1024


class UnreadableJsonError(ValueError):
    """The body parsed (or not) into something no endpoint can use; `errors` says why."""

    def __init__(self, errors: dict[str, list[str]], *, whole_body: bool) -> None:
        super().__init__(errors)
        self.errors = errors
        self.whole_body = whole_body


def _body_error(message: str) -> UnreadableJsonError:
    return UnreadableJsonError({"body": [message]}, whole_body=True)


class CheckedJson:
    """The JSON module CheckedRequest parses with: the app's own provider, plus the checks."""

    def __init__(self, module: Any) -> None:
        self.module = module

    def loads(self, data: str | bytes) -> Any:
        if len(data) > MAX_JSON_BYTES:
            raise _body_error(
                _("The JSON body is larger than %(count)d bytes.", count=MAX_JSON_BYTES)
            )
        try:
            document = self.module.loads(data)
        except RecursionError:  # not a ValueError: Flask would let it through as a 500
            raise _body_error(_too_deep()) from None
        problems = json_problems(document)
        if problems is not None:
            raise problems
        return document


def json_problems(document: Any) -> UnreadableJsonError | None:
    """Every string holding a character no database can store, by its path (`items[0].name`);
    a document too deep, or with such a key, is refused as a whole."""
    errors: dict[str, list[str]] = {}
    pending: list[tuple[str, Any, int]] = [("", document, 0)]  # a stack: deep input, no recursion
    while pending:
        path, value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return _body_error(_too_deep())
        if isinstance(value, dict):
            for key, item in value.items():
                if text_problem(key, one_line=True):
                    return _body_error(_("A key holds a character that cannot be stored."))
                pending.append((f"{path}.{key}" if path else key, item, depth + 1))
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and (problem := text_problem(value)):
            errors.setdefault(path or "body", []).append(problem)
        elif isinstance(value, float) and not math.isfinite(value):  # NaN, Infinity, 1e999
            errors.setdefault(path or "body", []).append(_("Send a finite number."))
    return UnreadableJsonError(errors, whole_body=False) if errors else None


def _too_deep() -> str:
    return _("The JSON is nested more than %(count)d levels deep.", count=MAX_JSON_DEPTH)


class CheckedRequest(Request):
    """Flask's request, whose JSON failures answer {"errors": {field: [...]}} (400 for the body
    as a whole, 422 naming the field) instead of a bare 400, or a 500 for what Python's parser
    cannot take."""

    _checked_json = CheckedJson(json)

    # Flask gives every request its app's JSON provider (flask/ctx.py): keep it, wrapped.
    @property
    def json_module(self) -> Any:  # typed as the json module in Werkzeug
        return self._checked_json

    @json_module.setter
    def json_module(self, module: Any) -> None:
        self._checked_json = CheckedJson(module)

    def on_json_loading_failed(self, e: ValueError | None) -> NoReturn:
        if isinstance(e, UnreadableJsonError):
            raise (MalformedBodyError if e.whole_body else InvalidInputError)(e.errors)
        raise MalformedBodyError({"body": [_("Send a JSON object.")]})


def refuse_unsafe_parameters() -> None:
    """A NUL in ?q= would reach PostgreSQL (which cannot take it) through any list's filter."""
    named = [*request.args.items(multi=True), *(request.view_args or {}).items()]
    errors: dict[str, list[str]] = {}
    for name, value in named:
        if problem := text_problem(name):
            errors.setdefault("query", []).append(problem)  # never echo the bad name back
        elif isinstance(value, str) and (problem := text_problem(value)):
            errors.setdefault(name, []).append(problem)
    if errors:
        raise InvalidInputError(errors)


def install(app: Flask) -> None:
    app.request_class = CheckedRequest
    app.before_request(refuse_unsafe_parameters)
