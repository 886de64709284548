"""The pipeline list within a user's scope: filtered, longest in its stage first, keyset paged."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from crm import keyset
from crm.keyset import Key
from crm.listings.blockers import RESOLVED_STATES
from crm.listings.scope import track_scope
from models import (
    Enterprise,
    EnterpriseRequest,
    ListingBlocker,
    ListingBoard,
    ListingStage,
    ListingStep,
    ListingTrack,
    PackageItem,
    PolicyPackage,
    SubDistrict,
    User,
    db,
)

TRACK_ORDER = (Key(ListingTrack.stage_since, date), Key(ListingTrack.id, int))
# The list's default: the tracks still to be worked on. Listed and withdrawn tracks are history;
# longest in their stage first, they would fill the first pages with firms listed years ago.
ON_THE_WAY = "on_the_way"
SETTLED = (ListingStage.LISTED, ListingStage.WITHDRAWN)


@dataclass(frozen=True)
class TrackFilter:
    stage: str = ""  # a stage, ON_THE_WAY, or "" for every stage
    board: str = ""
    sub_district: str = ""  # slug; leaders and admins only

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "TrackFilter":
        """The list's filters from a query string: no stage given is the tracks on their way; an
        unknown value is no filter."""
        stage = (args.get("stage", ON_THE_WAY) or "").strip()
        board = (args.get("board") or "").strip()
        return cls(
            stage=stage if stage in {*ListingStage, ON_THE_WAY} else "",
            board=board if board in set(ListingBoard) else "",
            sub_district=(args.get("sub_district") or "").strip()[:40],
        )

    def as_args(self) -> dict[str, str]:
        """The stage always: an absent one means the tracks on their way, not every stage."""
        return {name: value for name, value in vars(self).items() if value or name == "stage"}


def track_query(user: User, filters: TrackFilter | None = None) -> Select[ListingTrack]:
    filters = filters or TrackFilter()
    query = (
        select(ListingTrack)
        .join(Enterprise, Enterprise.id == ListingTrack.enterprise_id)
        .where(
            ListingTrack.deleted_at.is_(None), Enterprise.deleted_at.is_(None), track_scope(user)
        )
    )
    if filters.stage == ON_THE_WAY:
        query = query.where(ListingTrack.stage.not_in(SETTLED))
    elif filters.stage:
        query = query.where(ListingTrack.stage == filters.stage)
    if filters.board:
        query = query.where(ListingTrack.board == filters.board)
    if filters.sub_district:
        query = query.where(Enterprise.sub_district.has(SubDistrict.slug == filters.sub_district))
    return query.order_by(ListingTrack.stage_since, ListingTrack.id)


def _sort_values(track: ListingTrack) -> tuple[date, int]:
    return track.stage_since, track.id


# Tracks longest in their stage first.
page_of: keyset.KeysetPager[ListingTrack] = keyset.KeysetPager(
    TRACK_ORDER,
    _sort_values,
    (selectinload(ListingTrack.enterprise).selectinload(Enterprise.sub_district),),
)


def open_blocker_counts(track_ids: list[int]) -> dict[int, int]:
    """Per track of a page, its blockers whose request is not yet resolved: one query."""
    query = (
        select(ListingBlocker.track_id, func.count())
        .join(EnterpriseRequest, EnterpriseRequest.id == ListingBlocker.request_id)
        .where(
            ListingBlocker.track_id.in_(track_ids),
            EnterpriseRequest.deleted_at.is_(None),
            EnterpriseRequest.state.not_in(RESOLVED_STATES),
        )
        .group_by(ListingBlocker.track_id)
    )
    return {row[0]: row[1] for row in db.session.execute(query)}


def with_details(track: ListingTrack) -> ListingTrack:
    """The track with what its page shows loaded in a few queries, whatever their number."""
    query = (
        select(ListingTrack)
        .where(ListingTrack.id == track.id)
        .options(
            selectinload(ListingTrack.steps).selectinload(ListingStep.actor),
            selectinload(ListingTrack.blockers)
            .selectinload(ListingBlocker.request)
            .selectinload(EnterpriseRequest.department),
            selectinload(ListingTrack.packages)
            .selectinload(PolicyPackage.items)
            .selectinload(PackageItem.instrument),
        )
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query).one()


def track_of_firm(user: User, enterprise_id: int) -> ListingTrack | None:
    """The firm's live track if the user may read it (the firm page's panel)."""
    query = track_query(user).where(ListingTrack.enterprise_id == enterprise_id).order_by(None)
    return db.session.scalar(query)
