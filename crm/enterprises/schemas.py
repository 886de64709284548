"""The JSON shapes of /api/v1/enterprises: the firm added or changed, and the firm answered.

Bodies carry types only; the service checks the USCC, the reference slugs, the manager and the
ranges and names the field it refuses, as for the web form and the import.
"""

from datetime import date
from typing import Any, ClassVar, Self

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, Field
from pydantic.config import JsonDict

from crm.api.schema import Amount, Body, MessageFor, Shape, Timestamp
from crm.enterprises.contacts import shown_contacts
from crm.enterprises.services import EnterpriseInput, input_from_enterprise
from models import Designation, EnterpriseStatus, Tier, User
from models import Enterprise as EnterpriseRow

# "" clears these as null does, as the API has always accepted.
BLANK_IS_NULL = frozenset({"founded_on", "registered_capital"})
# Documented only: the service checks the length with the check digit and names the problem.
USCC_LENGTH: JsonDict = {"minLength": 18, "maxLength": 18}


class EnterpriseBody(Body):
    """A firm as POST adds it: slugs for reference data, a username for a manager."""

    model_config = ConfigDict(extra="forbid")
    # A firm read from the API may be sent back: the fields only an answer has are ignored.
    ignored: ClassVar[frozenset[str]] = frozenset({"id", "version_id", "updated_at"})

    name: str = Field(min_length=1, json_schema_extra={"maxLength": 200})
    uscc: str = Field(min_length=1, description="GB 32100-2015", json_schema_extra=USCC_LENGTH)
    sub_district: str = Field(min_length=1, description="Sub-district slug, e.g. daninglu")
    zone: str = Field(min_length=1, description="Zone slug: shibei, daning, suhewan, nanxi")
    track: str = Field(min_length=1, description="Industry track slug, e.g. ai")
    address: str | None = None
    founded_on: date | None = None
    registered_capital: Amount | None = Field(None, description="10,000 yuan")
    tier: str = Field(Tier.RESERVOIR.value, json_schema_extra={"enum": [*Tier]})
    designations: list[str] = Field(
        default_factory=list,
        json_schema_extra={"items": {"type": "string", "enum": [*Designation]}},
    )
    in_hundred_enterprises_plan: bool = False
    manager: str | None = Field(None, description="Username of the account manager")
    status: str = Field(
        EnterpriseStatus.ACTIVE.value, json_schema_extra={"enum": [*EnterpriseStatus]}
    )
    notes: str | None = None

    @classmethod
    def present(cls, body: dict[str, Any]) -> dict[str, Any]:
        # A null is kept: it clears an optional field, and is refused for a required one.
        return {
            name: None if value == "" and name in BLANK_IS_NULL else value
            for name, value in body.items()
            if name not in cls.ignored
        }

    def input(self) -> EnterpriseInput:
        return EnterpriseInput(**self.model_dump())


class EnterprisePatch(EnterpriseBody):
    """Some fields of a firm, and the version_id read; the fields left out keep their values."""

    refusals: ClassVar[MessageFor] = {"version_id": _l("Send the version_id you last read.")}
    ignored: ClassVar[frozenset[str]] = frozenset({"id", "updated_at"})

    version_id: int = Field(description="The version_id you read; a stale one answers 409")
    # Optional here but never null: changes() leaves out what was not sent, so these defaults
    # are never used. The service refuses an empty one with its own message.
    name: str = Field(default_factory=str, json_schema_extra={"maxLength": 200})
    uscc: str = Field(default_factory=str, json_schema_extra=USCC_LENGTH)
    sub_district: str = Field(default_factory=str)
    zone: str = Field(default_factory=str)
    track: str = Field(default_factory=str)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"version_id"})


class YearlyFigures(Shape):
    year: int
    revenue: float | None
    revenue_growth_pct: float | None
    employees: int | None
    rd_spend: float | None
    patents: int | None
    pct_applications: int | None
    blockchain_scenarios: int | None
    funding_raised: float | None
    valuation: float | None
    tax_paid: float | None


class Contact(Shape):
    id: int
    name: str
    title: str | None
    phone: str | None
    email: str | None
    masked: bool = Field(
        validation_alias="is_masked", description="Phone and e-mail partly hidden from this reader"
    )


class Enterprise(Shape):
    id: int
    version_id: int
    updated_at: Timestamp
    name: str
    uscc: str
    sub_district: str = Field(description="Sub-district slug")
    zone: str = Field(description="Zone slug")
    track: str = Field(description="Industry track slug")
    address: str | None
    founded_on: date | None
    registered_capital: float | None = Field(description="10,000 yuan")
    tier: Tier
    designations: list[Designation]
    in_hundred_enterprises_plan: bool
    manager: str | None = Field(description="Username of the account manager")
    status: EnterpriseStatus
    notes: str | None
    yearly_figures: list[YearlyFigures] = Field(
        default_factory=list, description="Sent with one firm, not in lists"
    )
    contacts: list[Contact] = Field(
        default_factory=list, description="Sent with one firm, not in lists"
    )

    @classmethod
    def of(cls, enterprise: EnterpriseRow, details_for: User | None = None) -> Self:
        """The firm; with its figures and contacts, masked as `details_for` may see them."""
        details = {}
        if details_for is not None:
            contacts = shown_contacts(details_for, enterprise)
            details = {"yearly_figures": enterprise.yearly_figures, "contacts": contacts}
        return cls.model_validate(
            {
                **vars(input_from_enterprise(enterprise)),
                "id": enterprise.id,
                "version_id": enterprise.version_id,
                "updated_at": enterprise.updated_at,
                **details,
            }
        )


class EnterprisePage(Shape):
    """One page of firms; a page read with ?after= has no number."""

    items: list[Enterprise]
    total: int = Field(description="Counted up to 10,001")
    page: int | None
    per_page: int
    next: str | None = Field(description="Pass as ?after=")
