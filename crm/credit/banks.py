"""Partner banks and their credit products: records the office keeps, with each bank's format."""

from dataclasses import dataclass
from decimal import Decimal
from typing import NoReturn

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.audit import diff, record_change, snapshot
from crm.credit.fields import FIELDS, default_columns
from crm.credit.scoping import can_manage
from crm.errors import (
    MAX_DATABASE_ID,
    FieldErrors,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from models import CreditProduct, IndustryTrack, PartnerBank, User, Zone, db

BANK_FIELDS = ("slug", "name_zh", "name_en", "is_active", "nomination_columns")
PRODUCT_FIELDS = (
    "name",
    "max_quota",
    "rate_min",
    "rate_max",
    "term_months",
    "is_active",
    "zone_id",
    "track_id",
)
MAX_QUOTA = Decimal(10) ** 8  # 10,000 yuan: a trillion yuan is no firm's quota
MAX_RATE = Decimal(24)  # annual %: above it a loan is usurious under Chinese law
MAX_TERM_MONTHS = 120
HEADER_MAX_LENGTH = 60


@dataclass
class BankInput:
    slug: str
    name_zh: str
    name_en: str
    is_active: bool
    columns: list[tuple[str, str]]


@dataclass
class ProductInput:
    name: str
    max_quota: Decimal | None
    rate_min: Decimal | None
    rate_max: Decimal | None
    term_months: int | None
    is_active: bool = True
    zone_id: int | None = None
    track_id: int | None = None


def banks_with_products(active_only: bool = False) -> list[PartnerBank]:
    query = select(PartnerBank).options(selectinload(PartnerBank.products)).order_by(PartnerBank.id)
    if active_only:
        query = query.where(PartnerBank.is_active)
    return list(db.session.scalars(query))


def get_bank(bank_id: int) -> PartnerBank:
    return db.session.get(PartnerBank, bank_id) or _missing()


def get_product(product_id: int) -> CreditProduct:
    return db.session.get(CreditProduct, product_id) or _missing()


def parse_columns(text: str) -> list[tuple[str, str]]:
    """The format editor's lines, `key = header` (a bare key takes the default header)."""
    columns = []
    for line in text.splitlines():
        key, _sep, header = line.partition("=")
        if key.strip():
            columns.append((key.strip(), header.strip()))
    return columns


def columns_text(bank: PartnerBank | None) -> str:
    columns = bank.nomination_columns if bank is not None else default_columns()
    return "\n".join(f"{key} = {header}" for key, header in columns)


def save_bank(
    actor: User, bank: PartnerBank | None, data: BankInput, seen_version: int | None = None
) -> PartnerBank:
    if not can_manage(actor):
        raise ForbiddenError(_("Only leaders and administrators manage partner banks."))
    if bank is not None and seen_version != bank.version_id:
        raise StaleEditError(_("Someone else changed this bank after you opened it. Reload."))
    errors = FieldErrors()
    slug = data.slug.strip().lower()
    if not slug or not slug.replace("_", "").isalnum() or not slug.isascii():
        errors.add("slug", _("Lower-case letters, digits and underscores."))
    elif db.session.scalar(
        select(PartnerBank.id).where(
            PartnerBank.slug == slug, PartnerBank.id != (bank.id if bank else 0)
        )
    ):
        errors.add("slug", _("Another bank has this short name."))
    for name in ("name_zh", "name_en"):
        if not getattr(data, name).strip():
            errors.add(name, _("This field is required."))
    columns = _checked_columns(data.columns, errors)
    errors.raise_if_any()
    before = snapshot(bank, BANK_FIELDS) if bank is not None else {}
    if bank is None:
        bank = PartnerBank()
        db.session.add(bank)
    bank.slug, bank.name_zh, bank.name_en = slug, data.name_zh.strip(), data.name_en.strip()
    bank.is_active, bank.nomination_columns = data.is_active, columns
    db.session.flush()
    after = snapshot(bank, BANK_FIELDS)
    record_change(
        actor, "update" if before else "create", "partner_bank", bank.id, diff(before, after)
    )
    return bank


def save_product(
    actor: User,
    bank: PartnerBank,
    product: CreditProduct | None,
    data: ProductInput,
    seen_version: int | None = None,
) -> CreditProduct:
    if not can_manage(actor):
        raise ForbiddenError(_("Only leaders and administrators manage partner banks."))
    if product is not None and seen_version != product.version_id:
        raise StaleEditError(_("Someone else changed this product after you opened it. Reload."))
    errors = _product_errors(data)
    # The form's lists are not checked against their choices (they are built per request): an id
    # posted outside them would only fail at the foreign key, as a 500.
    if data.zone_id is not None and not _exists(Zone, data.zone_id):
        errors["zone_id"] = [_("Choose a zone from the list.")]
    if data.track_id is not None and not _exists(IndustryTrack, data.track_id):
        errors["track_id"] = [_("Choose an industry track from the list.")]
    if errors:
        raise InvalidInputError(errors)
    before = snapshot(product, PRODUCT_FIELDS) if product is not None else {}
    if product is None:
        product = CreditProduct(bank=bank)
        db.session.add(product)
    for name in PRODUCT_FIELDS:
        value = getattr(data, name)
        setattr(product, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    after = snapshot(product, PRODUCT_FIELDS)
    action = "update" if before else "create"
    record_change(actor, action, "credit_product", product.id, diff(before, after))
    return product


def _checked_columns(
    columns: list[tuple[str, str]], errors: dict[str, list[str]]
) -> list[list[str]]:
    problems, checked, seen = [], [], set()
    for key, header in columns:
        if key not in FIELDS:
            problems.append(_("Unknown field “%(key)s”.", key=key))
        elif key in seen:
            problems.append(_("“%(key)s” is listed twice.", key=key))
        elif len(header) > HEADER_MAX_LENGTH:
            problems.append(_("At most %(count)d characters.", count=HEADER_MAX_LENGTH))
        else:
            seen.add(key)
            checked.append([key, header or str(FIELDS[key].title)])
    if not checked and not problems:
        problems.append(_("List at least one column."))
    if problems:
        errors["columns"] = problems
    return checked


def _product_errors(data: ProductInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("This field is required.")]
    # A form's DecimalField takes "NaN" and "Infinity": comparing NaN raises InvalidOperation.
    quota = data.max_quota
    if quota is None or not quota.is_finite() or not 0 < quota < MAX_QUOTA:
        errors["max_quota"] = [_("A quota above zero, in 10,000 yuan.")]
    for name in ("rate_min", "rate_max"):
        value = getattr(data, name)
        if value is None or not value.is_finite() or not 0 < value <= MAX_RATE:
            errors[name] = [_("An annual rate above 0 and up to 24 per cent.")]
    if (
        not errors.get("rate_max")
        and not errors.get("rate_min")
        and (
            data.rate_min is not None
            and data.rate_max is not None
            and data.rate_max < data.rate_min
        )
    ):
        errors["rate_max"] = [_("The highest rate cannot be below the lowest.")]
    if data.term_months is None or not 0 < data.term_months <= MAX_TERM_MONTHS:
        errors["term_months"] = [_("A term of 1 to 120 months.")]
    return errors


def _exists(model: type[Zone] | type[IndustryTrack], record_id: int) -> bool:
    return 1 <= record_id <= MAX_DATABASE_ID and db.session.get(model, record_id) is not None


def _missing() -> NoReturn:
    raise NotFoundError(_("Not found."))
