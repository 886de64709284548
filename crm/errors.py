"""Domain errors, and how the web layer shows them (pages and JSON) without a stack trace."""

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from models import db

MAX_DATABASE_ID = 2**31 - 1  # INTEGER, the id columns on PostgreSQL: a larger id exists nowhere

# PostgreSQL's SQLSTATEs of a write that lost a race with another transaction: retrying it later
# may well succeed, and nothing about the request itself was wrong.
LOST_RACE_SQLSTATES = frozenset(
    {
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available: a lock_timeout ran out
        "23505",  # unique_violation: another transaction inserted the same key first
    }
)
SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # primary result codes; extended codes keep them in the low byte
SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE = 1555, 2067


class DomainError(Exception):
    """A business rule refused the operation; `field` names the input at fault, if any."""

    status = 400  # what the web answers

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DomainError):
    """The record does not exist, is deleted, or lies outside the user's scope."""

    status = 404


class ForbiddenError(DomainError):
    """The user may see the record but not do this to it."""

    status = 403


class ConflictError(DomainError):
    """The record's current state does not allow this (a workflow step out of order, say)."""

    status = 409


class StaleEditError(ConflictError):
    """Someone else saved the record since this edit started."""


class InvalidInputError(DomainError):
    """One or more fields are invalid; `errors` maps each field to its messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{field}: {' '.join(m)}" for field, m in errors.items()))
        self.errors = errors


class FieldErrors(dict[str, list[str]]):
    """Each field's messages, in the order the checks found them, to be raised all at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def text(self, field: str, raw: str | None, max_length: int, missing: str | None = None) -> str:
        """`raw` stripped; empty is reported with `missing` when the field is required."""
        value = (raw or "").strip()
        if not value and missing is not None:
            self.add(field, missing)
        elif len(value) > max_length:
            self.add(field, _("At most %(count)d characters.", count=max_length))
        return value

    def raise_if_any(self) -> None:
        if self:
            raise InvalidInputError(self)


class MalformedBodyError(InvalidInputError):
    """The API request's body is not the JSON object every write endpoint expects."""

    status = 400


def record_id(raw: str | None) -> int | None:
    """A record id typed or tampered with in a form or query string: ASCII digits within the
    database's range, else None. str.isdigit() alone passes "²" and "①", which int() refuses, and
    an id past the range makes PostgreSQL refuse the query."""
    value = (raw or "").strip()
    if (
        value.isascii()
        and value.isdigit()
        and len(value) < 20
        and 1 <= int(value) <= MAX_DATABASE_ID
    ):
        return int(value)
    return None


def seen_version(raw: str | int | None) -> int:
    """The version_id an edit form was opened at; 0 (never a real version) when tampered with.
    A form built from the record itself holds the record's own (int) version."""
    value = str(raw or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0


def lost_a_race(error: BaseException) -> bool:
    """True when `error` is another transaction winning, not a fault of the request or the code:
    a version_id that moved under an UPDATE, a serialization failure or deadlock, a unique key
    inserted first by someone else, SQLite's write lock still held after the busy timeout."""
    if isinstance(error, StaleDataError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if sqlstate is not None:
        return sqlstate in LOST_RACE_SQLSTATES
    code = getattr(original, "sqlite_errorcode", None)
    if code is None:
        return False
    return code & 0xFF in {SQLITE_BUSY, SQLITE_LOCKED} or code in {
        SQLITE_CONSTRAINT_PRIMARYKEY,
        SQLITE_CONSTRAINT_UNIQUE,
    }


def conflict_answer(conflict: ConflictError, field: str) -> tuple[Any, int]:
    """The API's 409 naming what was refused: `version_id` for a stale edit, else `field` (the
    state, stage or step the caller asked for)."""
    db.session.rollback()
    name = "version_id" if isinstance(conflict, StaleEditError) else field
    return jsonify(error=conflict.message, errors={name: [conflict.message]}), 409


def wants_json() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    # A refused operation may leave a half-done transaction: each answer starts with a rollback,
    # so a view that lets a DomainError through needs no try/except of its own.
    @app.errorhandler(DomainError)
    def refused(error: DomainError) -> tuple[Any, int]:
        db.session.rollback()
        if isinstance(error, InvalidInputError) and wants_json():
            return jsonify(errors=error.errors), error.status
        # Not found says nothing more: a record out of scope must not tell that it exists.
        message = _("Not found.") if isinstance(error, NotFoundError) else error.message
        return _error_response(error.status, message)

    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError) -> tuple[str, int]:
        # The token lives in the session: a page left open past a logout or a restart posts an
        # old one. Nothing is wrong with what was typed, so say how to send it again.
        return _page_with_way_back(400, _("This form has expired. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Any, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        return _error_response(error.code, _http_message(error))

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def out_of_range(error: Exception) -> tuple[Any, int]:
        # The last line of defence: forms and services check ranges, the database checks again.
        db.session.rollback()
        return _error_response(422, _("A value is out of range."))

    @app.errorhandler(StaleDataError)
    @app.errorhandler(DBAPIError)
    def database_refused(error: Exception) -> tuple[Any, int]:
        if not lost_a_race(error):
            return unexpected_error(error)
        db.session.rollback()
        # Expected under load, not a bug: one line, no traceback. A unique key named here that
        # the code never checks before inserting is worth a look.
        app.logger.warning(
            "%s %s lost a race: %s", request.method, request.path, str(error).split("\n")[0]
        )
        if wants_json():
            return jsonify(
                error=_("Someone else saved this at the same moment. Read it again and retry.")
            ), 409
        return _page_with_way_back(
            409,
            _(
                "Someone else saved this at the same moment, so your change was not saved. "
                "Reload the page to see theirs, then try again."
            ),
        )

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[Any, int]:
        db.session.rollback()  # the error page must not trip over a failed transaction
        app.logger.exception("Unhandled error on %s", request.path)
        return _error_response(500, _("Something went wrong. The error was logged."))


def _http_message(error: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The file is too large."),
    }
    return messages.get(error.code or 500, error.name)


def _page_with_way_back(status: int, message: str) -> tuple[str, int]:
    referrer = urlsplit(request.referrer or "")
    path = referrer.path
    # A link back to the form, on this site only: "//host" or "/\\host" would leave it.
    same_site = (
        referrer.netloc == request.host
        and path.startswith("/")
        and not path.startswith(("//", "/\\"))
    )
    back_url = path + (f"?{referrer.query}" if referrer.query else "") if same_site else None
    page = render_template("error.html", status=status, message=message, back_url=back_url)
    return page, status


def _error_response(status: int, message: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(error=message), status
    return render_template("error.html", status=status, message=message), status
