"""Audit values that point at records (a package's firm, an item's instrument), in words.

The log keeps ids; a page names them for the entries it shows, one query per kind of record
whatever the number of entries (the audit log pages through a million of them). Nothing is
hard-deleted, so deleted records are still named. A firm, and what is named by its firm, is named
only to a reader who may read it (an event's history lists firms of every sub-district, its page
only the reader's); an id that finds no record, or none the reader may read, reads "#id".
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVarTuple

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import Row, Select, select

from crm.access import enterprise_scope, package_scope, request_scope, visit_scope
from crm.labels import label_of
from models import (
    AuditEntry,
    CreditProduct,
    Department,
    DiscoveryCandidate,
    DiscoveryEvent,
    Enterprise,
    EnterpriseRequest,
    IndustryTrack,
    ListingTrack,
    Nomination,
    NominationBatch,
    PartnerBank,
    PolicyInstrument,
    PolicyPackage,
    RequestCategory,
    SubDistrict,
    User,
    Visit,
    Zone,
    db,
)

# Which kind of record a field's id points at, in the audit log's record words (RECORDS).
POINTS_AT: dict[str, str] = {
    "enterprise_id": "enterprise",
    "admitted_enterprise_id": "enterprise",
    "enterprise_ids": "enterprise",  # an event's imported participants
    "discovery_candidate_id": "discovery_candidate",
    "event_id": "discovery_event",
    "instrument_id": "policy_instrument",
    "owner_id": "user",
    "contact_leader_id": "user",
    "visit_id": "visit",
    "request_id": "request",
    "batch_id": "nomination_batch",
    "product_id": "credit_product",
    "nomination_id": "nomination",
    "sub_district_id": "sub_district",
    "zone_id": "zone",
    "track_id": "track",
    "department_id": "department",
}
# A field whose record depends on the entry's: a blocker's track is a listing track, and a
# track's packages are ids where a demo load's "packages" is a count.
RECORD_POINTS_AT: dict[tuple[str, str], str] = {
    ("listing_blocker", "track_id"): "listing_track",
    ("listing_track", "packages"): "package",
}

Namer = Callable[[list[int], str, User], dict[int, str]]  # ids, locale, reader
Columns = TypeVarTuple("Columns")


def points_at(entity_type: str, field: str) -> str | None:
    return RECORD_POINTS_AT.get((entity_type, field), POINTS_AT.get(field))


class RecordNames:
    """The names of the records that `entries` point at, as `reader` reads them in `locale`,
    read once per kind."""

    def __init__(self, entries: Iterable[AuditEntry], locale: str, reader: User) -> None:
        wanted: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            for field, change in (entry.changes or {}).items():
                if (kind := points_at(entry.entity_type, field)) is not None:
                    wanted[kind].update(_ids(change))
        self.names = {
            kind: NAMERS[kind](sorted(ids), locale, reader) for kind, ids in wanted.items() if ids
        }

    def words(self, entity_type: str, field: str, value: Any) -> str | None:
        """The record's name, "#id" when there is none; None when the field names no record."""
        kind = points_at(entity_type, field)
        if kind is None or not _is_id(value):
            return None
        return self.names.get(kind, {}).get(value) or f"#{value}"


def _ids(value: Any) -> Iterator[int]:
    if _is_id(value):
        yield value
    elif isinstance(value, list):  # [before, after], each an id or a list of ids
        for item in value:
            yield from _ids(item)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _read(query: Select[*Columns], ids: list[int]) -> list[Row[*Columns]]:
    """The rows of `query` (its first column a record's id) for the records `ids`."""
    return list(db.session.execute(query.where(query.selected_columns[0].in_(ids))))


def _column(model: Any, column: Any) -> Namer:
    """Records every reader of the page may name, by a column of their own: a batch's title."""

    def names(ids: list[int], _locale: str, _reader: User) -> dict[int, str]:
        return {id_: str(name) for id_, name in _read(select(model.id, column), ids)}

    return names


def _bilingual(model: Any) -> Namer:
    """Records named in both languages: instruments and reference data."""

    def names(ids: list[int], locale: str, _reader: User) -> dict[int, str]:
        column = model.name_zh if locale.startswith("zh") else model.name_en
        return {id_: str(name) for id_, name in _read(select(model.id, column), ids)}

    return names


def _firms(ids: list[int], _locale: str, reader: User) -> dict[int, str]:
    query = select(Enterprise.id, Enterprise.name).where(enterprise_scope(reader))
    return dict(_read(query, ids))


def _packages(ids: list[int], _locale: str, reader: User) -> dict[int, str]:
    query = select(PolicyPackage.id, PolicyPackage.title).where(package_scope(reader))
    return dict(_read(query, ids))


def _visits(ids: list[int], _locale: str, reader: User) -> dict[int, str]:
    query = (
        select(Visit.id, Visit.visited_on, Enterprise.name)
        .join(Visit.enterprise)
        .where(visit_scope(reader))
    )
    return {id_: f"{format_date(day, 'medium')} · {firm}" for id_, day, firm in _read(query, ids)}


def _requests(ids: list[int], _locale: str, reader: User) -> dict[int, str]:
    """As the request's own page heads it: its number and category."""
    query = select(EnterpriseRequest.id, EnterpriseRequest.category).where(request_scope(reader))
    return {
        id_: " · ".join([_("Request #%(id)s", id=id_), label_of(RequestCategory, category)])
        for id_, category in _read(query, ids)
    }


def _nominations(ids: list[int], _locale: str, reader: User) -> dict[int, str]:
    query = (
        select(Nomination.id, Enterprise.name, NominationBatch.title)
        .join(Nomination.enterprise)
        .join(Nomination.batch)
        .where(enterprise_scope(reader))  # named by its firm
    )
    return {id_: f"{firm} · {batch}" for id_, firm, batch in _read(query, ids)}


def _listing_tracks(ids: list[int], _locale: str, reader: User) -> dict[int, str]:
    query = (
        select(ListingTrack.id, Enterprise.name)
        .join(ListingTrack.enterprise)
        .where(enterprise_scope(reader))  # named by its firm
    )
    kind = _("Listing track")
    return {id_: f"{firm} · {kind}" for id_, firm in _read(query, ids)}


def _credit_products(ids: list[int], locale: str, _reader: User) -> dict[int, str]:
    bank = PartnerBank.name_zh if locale.startswith("zh") else PartnerBank.name_en
    query = select(CreditProduct.id, bank, CreditProduct.name).join(CreditProduct.bank)
    return {id_: f"{bank_name} · {name}" for id_, bank_name, name in _read(query, ids)}


NAMERS: dict[str, Namer] = {
    "enterprise": _firms,
    "package": _packages,
    "user": _column(User, User.display_name),
    "nomination_batch": _column(NominationBatch, NominationBatch.title),
    "discovery_candidate": _column(DiscoveryCandidate, DiscoveryCandidate.name),
    "discovery_event": _column(DiscoveryEvent, DiscoveryEvent.name),
    "policy_instrument": _bilingual(PolicyInstrument),
    "sub_district": _bilingual(SubDistrict),
    "zone": _bilingual(Zone),
    "track": _bilingual(IndustryTrack),
    "department": _bilingual(Department),
    "visit": _visits,
    "request": _requests,
    "nomination": _nominations,
    "listing_track": _listing_tracks,
    "credit_product": _credit_products,
}
