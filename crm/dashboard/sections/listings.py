"""The listing section: the funnel by stage and board, the tracks stuck longest, and the forecast
of listed firms by the target date against the listed-firm target, for the firms in view."""

from flask_babel import format_date
from flask_babel import gettext as _

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.memo import once
from crm.dashboard.report import Cell, Chart, FirmLink, Section, Series, Table
from crm.listings.forecast import MIN_OBSERVATIONS, RECORDED, Forecast
from crm.listings.funnel import StuckTrack, funnel_counts, listing_forecast, stuck_longest
from crm.listings.labels import label
from models import ListingBoard, ListingStage


def listing_section(filters: DashboardFilter) -> Section:
    clauses = filters.firm_clauses()
    counts = once(("listing_funnel", filters.firms_key), lambda: funnel_counts(clauses))
    stuck = once(("listing_stuck", filters.firms_key), lambda: stuck_longest(clauses))
    forecast = once(
        ("listing_forecast", filters.firms_key), lambda: listing_forecast(clauses, filters.today)
    )
    return Section(
        key="listings",
        title=_("Listing pipeline"),
        tables=[_funnel_table(counts), _forecast_table(forecast), _stuck_table(stuck, filters)],
    )


def _funnel_table(counts: dict[tuple[ListingStage, ListingBoard], int]) -> Table:
    boards = list(ListingBoard)
    rows: list[list[Cell]] = []
    for stage in ListingStage:
        values = [counts.get((stage, board), 0) for board in boards]
        rows.append([label(stage), *values, sum(values)])
    road = list(ListingStage)
    return Table(
        key="listing_funnel",
        title=_("Listing tracks by stage and board"),
        columns=[_("Stage"), *(label(board) for board in boards), _("Total")],
        rows=rows,
        chart=Chart(
            "bar",
            [label(stage) for stage in road],
            [
                Series(label(board), [counts.get((stage, board), 0) for stage in road])
                for board in boards
            ],
            stacked=True,
        ),
        note=_("Live listing tracks of the firms in view, by their stage today and target board."),
    )


def _forecast_table(forecast: Forecast | None) -> Table:
    if forecast is None:
        return Table(
            key="listing_forecast",
            title=_("Forecast of listed firms by the target date"),
            columns=[_("Stage")],
            rows=[],
            note=_("There is no listed-firm target to forecast against."),
        )
    rows: list[list[Cell]] = [[_("Listed now"), forecast.listed, 1.0, forecast.listed, None]]
    for row in forecast.stages:
        source = (
            _("Recorded steps (%(count)s tracks)", count=row.observed)
            if row.source == RECORDED
            else _("Typical course")
        )
        rows.append(
            [label(row.stage), row.firm_count, row.probability, round(row.expected, 1), source]
        )
    rows.append(
        [_("Expected by the target date"), None, None, round(forecast.expected_total, 1), None]
    )
    rows.append([_("Target"), None, None, forecast.goal, None])
    return Table(
        key="listing_forecast",
        title=_("Forecast of listed firms by the target date"),
        columns=[
            _("Stage"),
            _("Firms"),
            _("Chance of listing in time"),
            _("Expected"),
            _("Source"),
        ],
        rows=rows,
        note=_(
            "%(days)s days left. Each stage's chance is the share of tracks recorded at that stage "
            "that were listed within that many days, when at least %(minimum)s such tracks are "
            "recorded; otherwise the typical course of a listing. The target is the district's.",
            days=forecast.days_left,
            minimum=MIN_OBSERVATIONS,
        ),
        percent_columns=frozenset({2}),
    )


def _stuck_table(stuck: list[StuckTrack], filters: DashboardFilter) -> Table:
    return Table(
        key="listing_stuck",
        title=_("Listing tracks stuck longest"),
        columns=[_("Firm"), _("Stage"), _("Target board"), _("In this stage since"), _("Days")],
        rows=[
            [
                FirmLink(row.enterprise_id, row.name),
                label(row.stage),
                label(row.board),
                format_date(row.stage_since),
                (filters.today - row.stage_since).days,
            ]
            for row in stuck
        ],
        note=_("Tracks on their way (not paused) that have sat longest in their stage."),
    )
