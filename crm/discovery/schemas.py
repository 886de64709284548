"""The JSON shapes of /api/v1/discovery: a candidate taken in, screened and decided, its
duplicates, the events, and the conversion per source.

Bodies carry types only; the services check codes, slugs, states and versions and name the
field they refuse, as for the web forms.
"""

from datetime import date
from typing import ClassVar, Self

from flask_babel import lazy_gettext as _l
from pydantic import Field

from crm.api.schema import Body, DatabaseId, MessageFor, Shape, Timestamp
from crm.discovery.candidate_input import CandidateInput
from crm.discovery.names import Match
from crm.discovery.screening import DecisionInput, ScreeningInput
from crm.discovery.stats import Conversion
from models import CandidateState, DiscoveryCandidate, DiscoveryEvent, EventKind, SourceKind


class CandidateBody(Body):
    refusals: ClassVar[MessageFor] = {
        "name": _l("This field is required."),
        "track": _l("Send the industry track's slug."),
        "source_kind": _l("Choose a source from the list."),
    }

    name: str = Field(json_schema_extra={"maxLength": 200})
    track: str = Field(description="An industry track's slug")
    source_kind: SourceKind
    uscc: str | None = None
    profile: str | None = None
    zone: str | None = Field(None, description="A zone's slug")
    sub_district: str | None = Field(
        None, description="A sub-district's slug; a manager's candidates go to their own"
    )
    source_name: str | None = Field(None, description="The investor, department or big firm")
    event_id: DatabaseId | None = None
    award: str | None = None

    def input(self) -> CandidateInput:
        return CandidateInput(**self.model_dump(mode="json"))


class ScreeningBody(Body):
    refusals: ClassVar[MessageFor] = {
        "version_id": _l("Send the version_id you last read."),
        "score": _l("Give a score from 1 to 5."),
    }

    screened_on: date
    score: int = Field(ge=1, le=5)
    rationale: str | None = None
    notes: str | None = None
    version_id: int

    def input(self) -> ScreeningInput:
        return ScreeningInput(self.screened_on, self.score, self.rationale, self.notes)


class DecisionBody(Body):
    refusals: ClassVar[MessageFor] = {
        "version_id": _l("Send the version_id you last read."),
        "decision": _l("Choose admit, watch, decline or link."),
    }

    decision: str = Field(json_schema_extra={"enum": ["admit", "watch", "decline", "link"]})
    reason: str | None = Field(None, description="Required when declining")
    tier: str | None = Field(None, description="Admit: the tier it enters the reservoir at")
    uscc: str | None = Field(None, description="Admit or link: when the candidate has none")
    zone: str | None = Field(None, description="Admit: a zone's slug, when it has none")
    watch_until: date | None = Field(None, description="Watch: a day after today")
    version_id: int

    def input(self) -> DecisionInput:
        return DecisionInput(**self.model_dump(exclude={"version_id"}))


class Duplicate(Shape):
    kind: str = Field(description="enterprise (in the reservoir) or candidate")
    id: int | None = Field(description="null when outside the caller's scope")
    name: str | None = Field(description="null when outside the caller's scope")
    uscc: str | None
    by_code: bool = Field(description="false: the normalised names match")
    outside_scope: bool = Field(
        description="A record the caller may not read (another sub-district's): only its kind "
        "and how it matches are given"
    )

    @classmethod
    def of(cls, match: Match) -> Self:
        hidden = match.is_hidden
        return cls(
            kind=match.kind,
            id=None if hidden else match.record_id,
            name=None if hidden else match.name,
            uscc=None if hidden else match.uscc,
            by_code=match.by_code,
            outside_scope=hidden,
        )


class Candidate(Shape):
    id: int
    name: str
    uscc: str | None
    profile: str | None
    track: str
    zone: str | None
    sub_district: str | None
    source_kind: SourceKind
    source_name: str | None
    event_id: int | None
    award: str | None
    state: CandidateState
    received_on: date
    screened_on: date | None
    score: int | None
    score_rationale: str | None
    decided_on: date | None
    decision_reason: str | None
    watch_until: date | None
    admitted_enterprise_id: int | None
    admitted_tier: str | None
    updated_at: Timestamp
    version_id: int
    duplicates: list[Duplicate] | None = Field(None, description="Only when one is read")

    @classmethod
    def of(cls, candidate: DiscoveryCandidate, duplicates: list[Match] | None = None) -> Self:
        shown = None if duplicates is None else [Duplicate.of(match) for match in duplicates]
        return cls.from_row(
            candidate,
            track=candidate.track.slug,
            zone=candidate.zone.slug if candidate.zone else None,
            sub_district=candidate.sub_district.slug if candidate.sub_district else None,
            admitted_tier=candidate.admitted_tier.value if candidate.admitted_tier else None,
            duplicates=shown,
        )


class Event(Shape):
    id: int
    kind: EventKind
    name: str
    organiser: str | None
    round: str | None
    held_on: date
    place: str | None

    @classmethod
    def of(cls, event: DiscoveryEvent) -> Self:
        return cls.model_validate(event)


class ConversionRow(Shape):
    key: str | int | None = Field(description="The source kind, the source's name or the event id")
    candidates: int
    screened: int
    admitted: int
    declined: int
    watching: int
    duplicates: int = Field(description="Already in the reservoir: linked, not admitted")
    advanced: int = Field(description="Admitted, and later a higher tier or a new designation")

    @classmethod
    def of(cls, row: Conversion) -> Self:
        key = row.key.value if isinstance(row.key, SourceKind) else row.key
        return cls.from_row(row, key=key)


class ConversionStats(Shape):
    by_source_kind: list[ConversionRow]
    by_source_name: list[ConversionRow] = Field(
        description="The named sources with most candidates"
    )
    by_event: list[ConversionRow] = Field(description="The events with most candidates")
    by_source_name_other: ConversionRow | None = Field(
        description="The named sources left out of `by_source_name`, summed; null when none are"
    )
    by_event_other: ConversionRow | None = Field(
        description="The events left out of `by_event`, summed; null when none are"
    )
    truncated: bool = Field(description="true: a list above leaves some out (see *_other)")
