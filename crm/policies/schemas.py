"""The JSON shapes of /api/v1/packages: a proposal, a decision and the package answered.

Bodies carry types only; the service checks the catalogue, amounts and ceilings and names the
item it refuses (`items[1].amount`), as for the web form.
"""

from datetime import date
from typing import ClassVar, Self

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, Field

from crm.api.schema import Amount, Body, DatabaseId, MessageFor, Shape, Timestamp
from crm.policies.services import ItemInput, PackageInput
from models import InstrumentUnit, ItemState, PackageState, PolicyPackage
from models import PackageItem as ItemRow


class PackageItemInput(Body):
    model_config = ConfigDict(extra="forbid")
    refusals: ClassVar[MessageFor] = {"instrument_id": _l("Send the instrument's id.")}

    instrument_id: DatabaseId
    amount: Amount | None = Field(None, description="Yuan, or a whole number for count items")
    conditions: str | None = None
    disburse_by: date | None = None
    review_on: date | None = None


class PackageBody(Body):
    refusals: ClassVar[MessageFor] = {
        "enterprise_id": _l("Send the firm's id."),
        "title": _l("This field is required."),
        "items": _l("Add at least one item from the catalogue."),
    }

    enterprise_id: DatabaseId
    title: str = Field(json_schema_extra={"maxLength": 200})
    rationale: str | None = None
    items: list[PackageItemInput] = Field(min_length=1)

    def input(self) -> PackageInput:
        items = [ItemInput(**item.model_dump()) for item in self.items]
        return PackageInput(title=self.title, rationale=self.rationale, items=items)


class PackageDecision(Body):
    refusals: ClassVar[MessageFor] = {
        "version_id": _l("Send the version_id you last read."),
        "decision": _l("Choose approve or reject."),
    }

    decision: str = Field(json_schema_extra={"enum": ["approve", "reject"]})
    comment: str | None = Field(None, description="Required when rejecting")
    version_id: int


class PackageItem(Shape):
    id: int
    instrument_id: int
    instrument: str = Field(description="The instrument's slug")
    unit: InstrumentUnit
    amount: float
    conditions: str | None
    state: ItemState
    disburse_by: date | None
    review_on: date | None
    granted_on: date | None
    disbursed_amount: float | None
    disbursed_on: date | None
    reviewed_on: date | None
    goal_met: bool | None
    review_note: str | None

    @classmethod
    def of(cls, item: ItemRow) -> Self:
        return cls.from_row(item, instrument=item.instrument.slug, unit=item.instrument.unit)


class Package(Shape):
    id: int
    enterprise_id: int
    enterprise: str
    title: str
    rationale: str | None
    state: PackageState
    proposed_by: str
    proposed_at: Timestamp
    decided_by: str | None
    decided_at: Timestamp | None
    decision_comment: str | None
    version_id: int
    items: list[PackageItem]

    @classmethod
    def of(cls, package: PolicyPackage) -> Self:
        decided_by = package.decided_by
        return cls.from_row(
            package,
            enterprise=package.enterprise.name,
            proposed_by=package.proposed_by.username,
            decided_by=decided_by.username if decided_by else None,
            items=[PackageItem.of(item) for item in package.items],
        )
