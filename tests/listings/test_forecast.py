from datetime import date

import pytest

from crm.listings.forecast import (
    MIN_OBSERVATIONS,
    RECORDED,
    TYPICAL,
    TYPICAL_COURSE,
    Record,
    forecast,
    stage_probability,
)
from models import ListingStage

TODAY, TARGET = date(2026, 12, 4), date(2026, 12, 31)


def test_enough_recorded_tracks_give_the_recorded_share():
    record = Record(observed=MIN_OBSERVATIONS, listed_within=5)

    assert stage_probability(ListingStage.APPROVED, 27, record) == (0.25, RECORDED)


def test_too_few_recorded_tracks_fall_back_to_the_typical_course():
    record = Record(observed=MIN_OBSERVATIONS - 1, listed_within=19)

    probability, source = stage_probability(ListingStage.APPROVED, 27, record)

    typical = TYPICAL[ListingStage.APPROVED]
    assert source == TYPICAL_COURSE
    assert probability == pytest.approx(typical.eventual_share * 27 / typical.days_to_listing)


def test_the_typical_chance_is_capped_at_the_eventual_share():
    probability, _source = stage_probability(ListingStage.APPROVED, 400, None)

    assert probability == TYPICAL[ListingStage.APPROVED].eventual_share


def test_no_days_left_means_nothing_more_is_expected():
    assert stage_probability(ListingStage.APPROVED, 0, None)[0] == 0.0


def test_the_forecast_adds_the_expected_listings_to_those_listed():
    counts = {ListingStage.APPROVED: 4, ListingStage.CANDIDATE: 10, ListingStage.PAUSED: 3}
    records = {ListingStage.APPROVED: Record(observed=20, listed_within=10)}

    result = forecast(30, 40, TODAY, TARGET, counts, records)

    approved = next(row for row in result.stages if row.stage == ListingStage.APPROVED)
    assert approved.expected == 2.0
    assert approved.source == RECORDED
    candidate = next(row for row in result.stages if row.stage == ListingStage.CANDIDATE)
    assert candidate.source == TYPICAL_COURSE
    assert result.days_left == 27
    assert result.expected_total == pytest.approx(32 + candidate.expected)
    assert result.expected_gap == pytest.approx(40 - result.expected_total)
    assert ListingStage.PAUSED not in {row.stage for row in result.stages}
