"""Pydantic shapes of the JSON API: one class validates a body, dumps an answer and is documented.

Bodies are validated from JSON in strict mode, so a number is not a date and "1" is not a
number, as the hand-written parsers refused before. Pydantic's error types become our translated
messages here, in one place, keyed by the top-level field as the API has always answered.
"""

import json
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, Strict, ValidationError
from pydantic.json_schema import WithJsonSchema

from crm.api.body import json_object
from crm.errors import MAX_DATABASE_ID, InvalidInputError

# Stored as naive UTC and sent with a Z; the pattern also admits the answers sent without one.
TIMESTAMP_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$",
    "description": "UTC, ISO 8601, e.g. 2026-03-02T09:30:00Z",
}
Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat() + "Z", return_type=str),
    WithJsonSchema(TIMESTAMP_SCHEMA),
]
# The reminders, pipeline and targets answers have always sent theirs without the Z.
TimestampWithoutZ = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str),
    WithJsonSchema(TIMESTAMP_SCHEMA),
]
# A record id: a larger number cannot be stored, so it is refused (422 in a body, 404 in a path).
DatabaseId = Annotated[int, Field(ge=1, le=MAX_DATABASE_ID)]
# A number or a numeric string, as people send amounts; true and NaN are refused.
Amount = Annotated[Decimal, Strict(False)]

MessageFor = dict[str, LazyString]


class Shape(BaseModel):
    """An answer, read from ORM rows' attributes.

    A field with a default is an extra that only some answers carry: left unset, it stays out.
    """

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def from_row(cls, row: object, **computed: Any) -> Self:
        """The required fields read from `row`'s attributes of the same names, but `computed`."""
        own = {
            name: getattr(row, name)
            for name, field in cls.model_fields.items()
            if field.is_required() and name not in computed
        }
        return cls.model_validate(own | computed)

    def answer_json(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude_unset=True)


class Body(BaseModel):
    """A request body. A null field reads as an absent one, as the API always accepted."""

    # Field name to the message of any refusal of it; others say "Invalid value.".
    refusals: ClassVar[MessageFor] = {}

    @classmethod
    def from_request(cls) -> Self:
        """The request's JSON object as this shape; refused fields answer 422 by name."""
        try:
            return cls.model_validate_json(json.dumps(cls.present(json_object())), strict=True)
        except ValidationError as refused:
            raise InvalidInputError(cls.field_errors(refused)) from refused

    @classmethod
    def present(cls, body: dict[str, Any]) -> dict[str, Any]:
        """The fields to validate."""
        return {name: value for name, value in body.items() if value is not None}

    @classmethod
    def field_errors(cls, refused: ValidationError) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for error in refused.errors():
            name = _field_name(error["loc"])
            last = next((str(part) for part in reversed(error["loc"]) if isinstance(part, str)), "")
            message = cls.refusals.get(name) or cls.refusals.get(last) or _refusal(error["type"])
            errors.setdefault(name, [str(message)])
        return errors


def _field_name(location: tuple[int | str, ...]) -> str:
    """("items", 1, "amount") -> "items[1].amount", as the services name nested fields."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name or "body"


def _refusal(error_type: str) -> str:
    if error_type in {"missing", "string_too_short"}:  # min_length=1 marks a required text
        return _("This field is required.")
    if error_type == "extra_forbidden":
        return _("Unknown field.")
    if error_type.startswith("date_"):
        return _("A date as YYYY-MM-DD.")
    if error_type.startswith("int_") or error_type in {"greater_than_equal", "less_than_equal"}:
        return _("A whole number.")
    if error_type == "string_type":
        return _("Text.")
    return _("Invalid value.")
