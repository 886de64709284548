"""The query string of the list endpoints: numbers, choices, days and paging, read one by one,
with the 422 that names every malformed argument at once."""

from datetime import date
from enum import StrEnum
from typing import NamedTuple

from flask import current_app, request
from flask_babel import gettext as _

from crm.errors import MAX_DATABASE_ID, InvalidInputError

MAX_PER_PAGE = 200


class Paging(NamedTuple):
    page: int  # from 1
    per_page: int


class QueryArgs:
    """Reads ?name= arguments, noting each malformed one in `errors` by name."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def raise_if_invalid(self) -> None:
        """Answer 422 with {"errors": {name: [message]}} when any argument read was malformed."""
        if self.errors:
            raise InvalidInputError(self.errors)

    def whole_number(self, name: str, default: int | None = None) -> int | None:
        """The positive whole number in ?name=, `default` when absent."""
        raw = request.args.get(name, "").strip()
        if not raw:
            return default
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_DATABASE_ID:
            return int(raw)
        self.errors[name] = [_("A whole number from 1.")]
        return None

    def page_size(self, name: str, default: int) -> int:
        """The whole number up to MAX_PER_PAGE in ?name= (rows per page)."""
        size = self.whole_number(name, default)
        if size is not None and size > MAX_PER_PAGE:
            self.errors[name] = [_("A whole number between 1 and %(max)d.", max=MAX_PER_PAGE)]
        return size or 1

    def paging(self) -> Paging:
        """?page= and ?per_page=."""
        page = self.whole_number("page", 1) or 1
        return Paging(page, self.page_size("per_page", current_app.config["CRM_PAGE_SIZE"]))

    def choice(self, name: str, kind: type[StrEnum]) -> str:
        """One of `kind`'s values in ?name=, "" when absent."""
        value = request.args.get(name, "").strip()
        if value and value not in set(kind):
            self.errors[name] = [_("Unknown value “%(value)s”.", value=value)]
            return ""
        return value

    def day(self, name: str) -> date | None:
        """The YYYY-MM-DD day in ?name=, None when absent."""
        raw = request.args.get(name, "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = [_("A date as YYYY-MM-DD.")]
            return None
