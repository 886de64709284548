"""Query-string numbers and choices of the list endpoints, with the 422 messages that name the
field."""

from enum import StrEnum

from flask import current_app, request
from flask_babel import gettext as _

from crm.errors import MAX_DATABASE_ID

MAX_PER_PAGE = 200


def whole_number_arg(name: str, default: int | None, errors: dict[str, list[str]]) -> int | None:
    """The positive whole number in ?name=, `default` when absent; an error when malformed."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_DATABASE_ID:
        return int(raw)
    errors[name] = [_("A whole number from 1.")]
    return None


def choice_arg(name: str, kind: type[StrEnum], errors: dict[str, list[str]]) -> str:
    """One of `kind`'s values in ?name=, "" when absent; an error naming it otherwise."""
    value = request.args.get(name, "").strip()
    if value and value not in set(kind):
        errors[name] = [_("Unknown value “%(value)s”.", value=value)]
        return ""
    return value


def paging_args(errors: dict[str, list[str]]) -> tuple[int, int]:
    """?page= and ?per_page=; bad values add to `errors` (the caller answers 422)."""
    page = whole_number_arg("page", 1, errors)
    per_page = whole_number_arg("per_page", current_app.config["CRM_PAGE_SIZE"], errors)
    if per_page is not None and per_page > MAX_PER_PAGE:
        errors["per_page"] = [_("A whole number between 1 and %(max)d.", max=MAX_PER_PAGE)]
    return page or 1, per_page or 1
