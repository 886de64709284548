"""What a candidate is taken in with, and its checks: names, codes, places, source and event.

Shared by taking in, correcting and the bulk intake, which checks every row before writing any.
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from crm.discovery.names import name_key
from crm.enterprises.services import NAME_MAX_LENGTH, uscc_message
from crm.enterprises.uscc import normalise_uscc, uscc_problem
from crm.errors import FieldErrors
from crm.reference import by_slug
from models import (
    Department,
    DiscoveryCandidate,
    DiscoveryEvent,
    IndustryTrack,
    Role,
    SourceKind,
    SubDistrict,
    User,
    Zone,
    db,
)

PROFILE_MAX_LENGTH = 2000
SOURCE_NAME_MAX_LENGTH = 200
AWARD_MAX_LENGTH = 100
EVENT_SOURCES = {SourceKind.COMPETITION, SourceKind.ROADSHOW, SourceKind.OPEN_INNOVATION}


@dataclass
class CandidateInput:
    """A candidate as people name it: slugs for places and tracks, the event by id."""

    name: str
    track: str
    source_kind: str
    uscc: str | None = None
    profile: str | None = None
    zone: str | None = None
    sub_district: str | None = None
    source_name: str | None = None
    event_id: int | None = None
    award: str | None = None


Fail = Any  # (field, message) -> None


@dataclass
class References:
    """Tracks, zones and sub-districts by slug, read once for many rows (an import)."""

    tracks: dict[str, IndustryTrack]
    zones: dict[str, Zone]
    sub_districts: dict[str, SubDistrict]

    @classmethod
    def load(cls) -> "References":
        return cls(
            tracks={row.slug: row for row in db.session.scalars(select(IndustryTrack))},
            zones={row.slug: row for row in db.session.scalars(select(Zone))},
            sub_districts={row.slug: row for row in db.session.scalars(select(SubDistrict))},
        )

    def find(self, model: type[Any], slug: str | None) -> Any:
        if not slug:
            return None
        known: dict[type[Any], dict[str, Any]] = {
            IndustryTrack: self.tracks,
            Zone: self.zones,
            SubDistrict: self.sub_districts,
        }
        return known[model].get(slug)


def apply_input(
    actor: User,
    candidate: DiscoveryCandidate,
    data: CandidateInput,
    event: DiscoveryEvent | None = None,
    references: References | None = None,
) -> None:
    refs = references or References({}, {}, {})
    lookup = refs.find if references is not None else by_slug
    errors = FieldErrors()
    name = errors.text("name", data.name, NAME_MAX_LENGTH, _("Enter the firm's name."))
    uscc = checked_uscc(data.uscc, errors.add)
    track = lookup(IndustryTrack, data.track)
    if track is None:
        errors.add("track", _("Choose an industry track from the list."))
    zone = lookup(Zone, data.zone) if data.zone else None
    if data.zone and zone is None:
        errors.add("zone", _("Choose a zone from the list."))
    sub_district = _sub_district(actor, data.sub_district, errors.add, lookup)
    source = _source(actor, data, errors.add)
    if event is None and data.event_id:
        event = db.session.get(DiscoveryEvent, data.event_id)
        if event is None or event.is_deleted:
            errors.add("event_id", _("Choose an event from the list."))
    if source in EVENT_SOURCES and source != SourceKind.OPEN_INNOVATION and event is None:
        errors.add("event_id", _("Choose the competition or roadshow it came from."))
    profile = errors.text("profile", data.profile, PROFILE_MAX_LENGTH)
    source_name = errors.text("source_name", data.source_name, SOURCE_NAME_MAX_LENGTH)
    award = errors.text("award", data.award, AWARD_MAX_LENGTH)
    errors.raise_if_any()
    candidate.name, candidate.name_key, candidate.uscc = name, name_key(name), uscc
    candidate.profile = profile or None
    candidate.track, candidate.zone, candidate.sub_district = track, zone, sub_district  # type: ignore[assignment]
    candidate.source_kind = source  # type: ignore[assignment]
    candidate.source_name = source_name or None
    if source == SourceKind.DEPARTMENT_REFERRAL and actor.role == Role.DEPARTMENT:
        department = db.session.get(Department, actor.department_id or 0)
        candidate.department = department
        candidate.source_name = candidate.source_name or (
            department.name_zh if department else None
        )
    candidate.event = event
    candidate.award = award or None


def checked_uscc(raw: str | None, fail: Fail) -> str | None:
    if not raw or not raw.strip():
        return None
    code = normalise_uscc(raw)
    if problem := uscc_problem(code):
        fail("uscc", uscc_message(problem))
        return None
    return code


def _sub_district(actor: User, slug: str | None, fail: Fail, lookup: Any) -> SubDistrict | None:
    if actor.role == Role.MANAGER:
        own = db.session.get(SubDistrict, actor.sub_district_id or 0)
        if slug and own is not None and slug != own.slug:
            fail("sub_district", _("You can only take in candidates for your own sub-district."))
        return own
    if actor.role == Role.DEPARTMENT:
        return None  # a leader assigns the department's referrals
    sub_district = lookup(SubDistrict, slug) if slug else None
    if slug and sub_district is None:
        fail("sub_district", _("Choose a sub-district from the list."))
    return sub_district


def _source(actor: User, data: CandidateInput, fail: Fail) -> SourceKind | None:
    if actor.role == Role.DEPARTMENT:
        return SourceKind.DEPARTMENT_REFERRAL
    try:
        return SourceKind(data.source_kind)
    except ValueError:
        fail("source_kind", _("Choose a source from the list."))
        return None
