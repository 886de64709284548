"""Creating, reading and changing firms, within the acting user's scope."""

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from crm import access
from crm.audit import diff, record_change
from crm.enterprises.uscc import normalise_uscc, uscc_problem
from crm.errors import FieldErrors, ForbiddenError, NotFoundError, StaleEditError
from crm.records import soft_delete
from crm.reference import by_slug
from models import (
    AuditEntry,
    Designation,
    Enterprise,
    EnterpriseDesignation,
    EnterpriseStatus,
    IndustryTrack,
    Role,
    SubDistrict,
    Tier,
    User,
    Zone,
    db,
)

NAME_MAX_LENGTH = 200
# The column is NUMERIC(16, 2): 14 digits before the point, in units of 10,000 yuan.
MAX_REGISTERED_CAPITAL = Decimal(10) ** 14
CENT = Decimal("0.01")
# The People's Republic's registry of firms starts on 1949-10-01 and no firm of the reservoir
# was founded earlier: an earlier date is a slip (1894 for 1994) or a misread number.
EARLIEST_FOUNDED_ON = date(1949, 10, 1)


@dataclass
class EnterpriseInput:
    """A firm as the outside world names it: slugs for reference data, a username for a manager."""

    name: str
    uscc: str
    sub_district: str
    zone: str
    track: str
    address: str | None = None
    founded_on: date | None = None
    registered_capital: Decimal | None = None  # 10,000 yuan
    tier: str = Tier.RESERVOIR.value
    designations: list[str] = field(default_factory=list)
    in_hundred_enterprises_plan: bool = False
    manager: str | None = None
    status: str = EnterpriseStatus.ACTIVE.value
    notes: str | None = None


def input_from_enterprise(enterprise: Enterprise) -> EnterpriseInput:
    return EnterpriseInput(
        name=enterprise.name,
        uscc=enterprise.uscc,
        sub_district=enterprise.sub_district.slug,
        zone=enterprise.zone.slug,
        track=enterprise.track.slug,
        address=enterprise.address,
        founded_on=enterprise.founded_on,
        registered_capital=enterprise.registered_capital,
        tier=enterprise.tier.value,
        designations=sorted(d.value for d in enterprise.designations),
        in_hundred_enterprises_plan=enterprise.in_hundred_enterprises_plan,
        manager=enterprise.manager.username if enterprise.manager else None,
        status=enterprise.status.value,
        notes=enterprise.notes,
    )


def get_enterprise(actor: User, enterprise_id: int) -> Enterprise:
    """The firm, or NotFoundError when it is missing, deleted or outside the actor's scope."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    if (
        enterprise is None
        or enterprise.is_deleted
        or not access.can_read_enterprise(actor, enterprise)
    ):
        raise NotFoundError(_("Not found."))
    return enterprise


@dataclass
class Lookups:
    """Reference rows, accounts and free credit codes read once for many firms (an import)."""

    sub_districts: dict[str, SubDistrict]
    zones: dict[str, Zone]
    tracks: dict[str, IndustryTrack]
    users: dict[str, User]
    free_usccs: set[str] = field(default_factory=set)  # known to belong to no other firm

    @classmethod
    def load(cls) -> "Lookups":
        return cls(
            sub_districts={row.slug: row for row in db.session.scalars(select(SubDistrict))},
            zones={row.slug: row for row in db.session.scalars(select(Zone))},
            tracks={row.slug: row for row in db.session.scalars(select(IndustryTrack))},
            users={row.username: row for row in db.session.scalars(select(User))},
        )


def create_enterprise(
    actor: User, data: EnterpriseInput, now: datetime, lookups: Lookups | None = None
) -> Enterprise:
    enterprise = stage_enterprise(actor, data, now, lookups)
    db.session.flush()
    record_creation(actor, enterprise)
    return enterprise


def stage_enterprise(
    actor: User, data: EnterpriseInput, now: datetime, lookups: Lookups | None = None
) -> Enterprise:
    """A checked new firm, added to the session but not flushed: imports flush many at once.

    Call record_creation() once it has an id."""
    if not access.can_edit_enterprises(actor):
        raise ForbiddenError(_("Your role cannot add firms."))
    enterprise = Enterprise(created_at=now, updated_at=now)
    _apply(actor, enterprise, data, now, lookups)
    db.session.add(enterprise)
    return enterprise


def audited_values(enterprise: Enterprise) -> dict[str, Any]:
    """What a creation's audit entry records (read before a flush, while it is all in memory)."""
    return _audited(input_from_enterprise(enterprise))


def record_creation(
    actor: User, enterprise: Enterprise, after: dict[str, Any] | None = None
) -> AuditEntry:
    after = audited_values(enterprise) if after is None else after
    return record_change(actor, "create", "enterprise", enterprise.id, diff({}, after))


def update_enterprise(
    actor: User,
    enterprise: Enterprise,
    data: EnterpriseInput,
    seen_version: int,
    now: datetime,
    lookups: Lookups | None = None,
    *,
    flush: bool = True,  # imports flush a whole batch of firms at once
) -> Enterprise:
    if not access.can_edit_enterprise(actor, enterprise):
        raise ForbiddenError(_("Your role cannot change this firm."))
    if seen_version != enterprise.version_id:
        raise StaleEditError(
            _("Someone else saved this firm after you opened it. Reload to see their changes.")
        )
    before = _audited(input_from_enterprise(enterprise))
    _apply(actor, enterprise, data, now, lookups)
    # Compare stored values, not raw input: " x " and "x", 5 and 5.00 are no change.
    changes = diff(before, _audited(input_from_enterprise(enterprise)))
    if changes:
        enterprise.updated_at = now
        if flush:
            db.session.flush()
        record_change(actor, "update", "enterprise", enterprise.id, changes)
    return enterprise


def patch_input(enterprise: Enterprise, values: dict[str, Any]) -> EnterpriseInput:
    """The firm's current input with some fields replaced (for PATCH and partial imports)."""
    return replace(input_from_enterprise(enterprise), **values)


def _audited(data: EnterpriseInput) -> dict[str, Any]:
    values = asdict(data)
    values["uscc"] = normalise_uscc(values["uscc"])
    if isinstance(capital := values["registered_capital"], Decimal):
        values["registered_capital"] = f"{capital:.2f}"
    return {key: (str(v) if isinstance(v, date) else v) for key, v in values.items()}


def _apply(
    actor: User,
    enterprise: Enterprise,
    data: EnterpriseInput,
    now: datetime,
    lookups: Lookups | None = None,
) -> None:
    errors = FieldErrors()
    name = errors.text("name", data.name, NAME_MAX_LENGTH, _("Enter the firm's registered name."))
    uscc = normalise_uscc(data.uscc)
    if problem := uscc_problem(uscc):
        errors.add("uscc", uscc_message(problem))
    elif (lookups is None or uscc not in lookups.free_usccs) and _uscc_taken(uscc, enterprise.id):
        errors.add("uscc", _("Another firm already has this code."))
    sub_district = _reference(SubDistrict, data.sub_district, lookups)
    if sub_district is None:
        errors.add("sub_district", _("Choose a sub-district from the list."))
    elif actor.role == Role.MANAGER and sub_district.id != actor.sub_district_id:
        errors.add("sub_district", _("You can only manage firms of your own sub-district."))
    zone = _reference(Zone, data.zone, lookups)
    if zone is None:
        errors.add("zone", _("Choose a zone from the list."))
    track = _reference(IndustryTrack, data.track, lookups)
    if track is None:
        errors.add("track", _("Choose an industry track from the list."))
    tier = _member(Tier, data.tier, "tier", errors.add)
    status = _member(EnterpriseStatus, data.status, "status", errors.add)
    designations = {_member(Designation, d, "designations", errors.add) for d in data.designations}
    manager = _manager(data.manager, sub_district, errors.add, lookups)
    capital = _registered_capital(data.registered_capital, errors.add)
    if data.founded_on is not None and data.founded_on > now.date():
        errors.add("founded_on", _("Cannot be in the future."))
    elif data.founded_on is not None and data.founded_on < EARLIEST_FOUNDED_ON:
        errors.add("founded_on", _("Cannot be before %(date)s.", date=str(EARLIEST_FOUNDED_ON)))
    errors.raise_if_any()

    enterprise.name, enterprise.uscc = name, uscc
    enterprise.sub_district, enterprise.zone, enterprise.track = sub_district, zone, track  # type: ignore[assignment]
    enterprise.tier, enterprise.status = tier, status  # type: ignore[assignment]
    enterprise.address = (data.address or "").strip() or None
    enterprise.founded_on = data.founded_on
    enterprise.registered_capital = capital
    enterprise.in_hundred_enterprises_plan = data.in_hundred_enterprises_plan
    enterprise.manager = manager
    enterprise.notes = (data.notes or "").strip() or None
    _set_designations(enterprise, {d for d in designations if d is not None})


def _registered_capital(value: Decimal | None, fail: Any) -> Decimal | None:
    """The amount rounded to the column's cents, or None after reporting why it cannot be stored."""
    if value is None:
        return None
    if not value.is_finite():
        fail("registered_capital", _("Enter an amount."))
        return None
    if value < 0:
        fail("registered_capital", _("Cannot be negative."))
        return None
    rounded = value.quantize(CENT, ROUND_HALF_UP) if value < MAX_REGISTERED_CAPITAL else value
    if rounded >= MAX_REGISTERED_CAPITAL:
        fail("registered_capital", _("Too large for an amount in 10,000 yuan."))
        return None
    return rounded


def uscc_message(problem: str) -> str:
    return {
        "length": _("A unified social credit code has exactly 18 characters."),
        "characters": _("Only digits and capital letters other than I, O, S, V and Z."),
        "check": _("The check character does not match: please check the code for a typo."),
    }[problem]


def _uscc_taken(uscc: str, own_id: int | None) -> bool:
    # Deleted firms keep their code: restoring one must not collide with a newcomer.
    query = select(Enterprise.id).where(Enterprise.uscc == uscc)
    if own_id is not None:
        query = query.where(Enterprise.id != own_id)
    return db.session.scalar(query) is not None


def _member(kind: Any, value: str, field_name: str, fail: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        fail(field_name, _("Unknown value “%(value)s”.", value=value))
        return None


def _reference(model: type[Any], slug: str, lookups: Lookups | None) -> Any:
    if lookups is None:
        return by_slug(model, slug)
    known: dict[type[Any], dict[str, Any]] = {
        SubDistrict: lookups.sub_districts,
        Zone: lookups.zones,
        IndustryTrack: lookups.tracks,
    }
    return known[model].get(slug) if slug else None


def _manager(
    username: str | None, sub_district: SubDistrict | None, fail: Any, lookups: Lookups | None
) -> User | None:
    if not username:
        return None
    if lookups is not None:
        manager = lookups.users.get(username)
    else:
        manager = db.session.scalar(select(User).where(User.username == username))
    if manager is None or manager.role != Role.MANAGER or not manager.is_active:
        fail("manager", _("No active account manager is called “%(name)s”.", name=username))
        return None
    if sub_district is not None and manager.sub_district_id != sub_district.id:
        fail("manager", _("The account manager must belong to the firm's sub-district."))
    return manager


def _set_designations(enterprise: Enterprise, wanted: set[Designation]) -> None:
    current = {row.designation: row for row in enterprise.designation_rows}
    for designation, row in current.items():
        if designation not in wanted:
            enterprise.designation_rows.remove(row)
    for designation in sorted(wanted - current.keys()):
        enterprise.designation_rows.append(EnterpriseDesignation(designation=designation))


def delete_enterprise(actor: User, enterprise: Enterprise, now: datetime) -> None:
    """Hide the firm from every list; an admin can restore it from the deleted records page."""
    if not access.can_edit_enterprise(actor, enterprise):
        raise ForbiddenError(_("Your role cannot change this firm."))
    soft_delete(actor, "enterprise", enterprise, now)
