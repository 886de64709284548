"""The JSON shapes of POST /api/v1/auth/token: the credentials sent and the token answered."""

from typing import ClassVar, Literal

from flask_babel import lazy_gettext as _l
from pydantic import Field

from crm.api.schema import Body, MessageFor, Shape, Timestamp

TOKEN_NAME_MAX_LENGTH = 80


class Credentials(Body):
    refusals: ClassVar[MessageFor] = {
        "username": _l("This field is required."),
        "password": _l("This field is required."),
        "name": _l("A name of 1 to %(count)d characters.", count=TOKEN_NAME_MAX_LENGTH),
    }

    username: str = Field(min_length=1)
    password: str = Field(min_length=1)
    name: str = Field(
        "API",
        max_length=TOKEN_NAME_MAX_LENGTH,
        pattern=r"\S",  # not blank
        description="A label shown in the list of tokens",
    )


class Token(Shape):
    """A new token; keep it secret, it is shown only this once."""

    token: str
    token_type: Literal["Bearer"]
    expires_at: Timestamp
