"""Translated display names of the listing boards and stages."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crm.labels import choices, label, register
from models import ListingBoard, ListingStage

LABELS: dict[StrEnum, object] = register(
    {
        ListingBoard.STAR_MARKET: _l("STAR Market"),
        ListingBoard.CHINEXT: _l("ChiNext"),
        ListingBoard.MAIN_BOARD: _l("Main Board"),
        ListingBoard.BEIJING: _l("Beijing Stock Exchange"),
        ListingBoard.HONG_KONG: _l("Hong Kong"),
        ListingBoard.OVERSEAS: _l("Overseas"),
    },
    {
        ListingStage.CANDIDATE: _l("Listing candidate"),
        ListingStage.SHAREHOLDING_REFORM: _l("Shareholding reform"),
        ListingStage.SPONSOR_SIGNED: _l("Sponsor signed"),
        ListingStage.TUTORING_FILED: _l("Tutoring filed"),
        ListingStage.APPLICATION_ACCEPTED: _l("Application accepted"),
        ListingStage.INQUIRY: _l("Inquiry"),
        ListingStage.APPROVED: _l("Approved / registered"),
        ListingStage.LISTED: _l("Listed on the exchange"),
        ListingStage.PAUSED: _l("Listing paused"),
        ListingStage.WITHDRAWN: _l("Listing withdrawn"),
    },
)
BADGES = {
    ListingStage.LISTED: "text-bg-success",
    ListingStage.PAUSED: "text-bg-warning",
    ListingStage.WITHDRAWN: "text-bg-secondary",
}

__all__ = ["BADGES", "LABELS", "choices", "label"]
