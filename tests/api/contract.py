"""Every /api/v1 answer of the test suite checked against the served OpenAPI document.

`check_answers_against_document(app)` hooks the test app: each answer's status must be documented
for its operation, and its JSON body must match that answer's schema. A mismatch fails the test
that made the request (not just a log line), so the document cannot drift from the code.
"""

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from flask import Flask, Response, request
from jsonschema import Draft202012Validator

from crm.api.openapi import openapi_document

API_PREFIX = "/api/v1"
FAILURES = "contract_failures"


@cache
def _document() -> dict[str, Any]:
    return openapi_document()


def _documented_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix(API_PREFIX))


def _mismatch(status: int, body: Any, method: str, rule: str) -> str | None:
    """Why this answer is not the documented one, or None when it is."""
    document = _document()
    path = _documented_path(rule)
    operation = document["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return f"{method} {path} is not in the document"
    answer = operation["responses"].get(str(status)) or operation["responses"].get("default")
    if answer is None:
        return f"{method} {path} answered {status}, which is not documented"
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    # The answer's schema with the document's components beside it, so #/components/... resolve.
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    if not errors:
        return None
    where = "/".join(str(part) for part in errors[0].absolute_path) or "(body)"
    return f"{method} {path} {status}: at {where}: {errors[0].message}"


def check_answers_against_document(app: Flask) -> None:
    failures: list[str] = app.extensions.setdefault(FAILURES, [])

    @app.after_request
    def check_answer(response: Response) -> Response:
        rule = request.url_rule
        if (
            rule is None  # no operation was matched: an unknown URL or method
            or not rule.rule.startswith(API_PREFIX + "/")
            or rule.rule == API_PREFIX + "/openapi.json"
        ):
            return response
        body = response.get_json(silent=True) if response.is_json else None
        problem = _mismatch(response.status_code, body, request.method, rule.rule)
        if problem:
            failures.append(problem)
        return response

    # Flask only logs what an after_request hook raises while finishing an error handler's
    # answer, so the failure is raised here, outside Flask, into the test's client call.
    inner = app.wsgi_app

    def checked_wsgi_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        answer: Iterable[bytes] = inner(environ, start_response)
        if failures:
            problems = list(failures)
            failures.clear()
            raise AssertionError("API answer not as documented: " + "; ".join(problems))
        return answer

    app.wsgi_app = checked_wsgi_app  # type: ignore[method-assign]
