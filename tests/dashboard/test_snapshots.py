"""The dashboard's stored figures: read by every view, refreshed by the job, recounted on demand."""

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from crm.clock import today, utcnow
from crm.dashboard.facts import FirmFacts
from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.report import section_json, section_of
from crm.dashboard.snapshots import (
    DASHBOARD_PAGE,
    compute_figures,
    dashboard_figures,
    refresh_dashboard,
)
from crm.scheduling.jobs import run_job
from crm.targets.progress import progress, quarter_ends, value_on
from crm.targets.services import TargetInput, update_target
from models import DashboardSnapshot, JobRunState, Target, TargetMeasure, Tier, db
from tests.factories import EnterpriseFactory, TargetFactory, UserFactory
from tests.helpers import api_headers, counted_queries, log_in

LOCALES = ("zh_CN", "en")


def values(client, headers) -> dict[str, int]:
    return {
        item["key"]: item["value"]
        for item in client.get("/api/v1/targets", headers=headers).json["items"]
    }


def snapshots(page: str = DASHBOARD_PAGE) -> list[DashboardSnapshot]:
    return list(db.session.scalars(select(DashboardSnapshot).where(DashboardSnapshot.page == page)))


def test_a_view_stores_its_figures_and_later_views_read_them_until_the_refresh(client):
    EnterpriseFactory(tier=Tier.NEW_TRACK)
    headers = api_headers(client, UserFactory(role="leader"))
    before = values(client, headers)

    EnterpriseFactory(tier=Tier.NEW_TRACK)
    db.session.commit()
    stored = values(client, headers)
    computed = refresh_dashboard(today(), utcnow(), LOCALES)
    db.session.commit()
    after = values(client, headers)

    assert stored == before
    assert computed >= len(Period) * len(LOCALES)
    assert sum(after.values()) > sum(before.values())


def test_the_refresh_skips_figures_whose_data_did_not_move_and_drops_older_days(app):
    EnterpriseFactory(tier=Tier.NEW_TRACK)
    refresh_dashboard(today() - timedelta(days=1), utcnow(), LOCALES)
    refresh_dashboard(today(), utcnow(), LOCALES)

    again = refresh_dashboard(today(), utcnow(), LOCALES)

    assert again == 0
    assert {snapshot.as_of for snapshot in snapshots()} == {today()}


def test_the_page_says_when_its_figures_were_counted(client):
    EnterpriseFactory(tier=Tier.NEW_TRACK)
    refresh_dashboard(today(), datetime(2026, 12, 3, 6, 45), LOCALES)
    log_in(client, UserFactory(role="leader"))

    page = client.get("/dashboard/")
    printed = client.get("/dashboard/print")

    # Stored in UTC, shown in the configured zone (Asia/Shanghai, 8 hours ahead).
    assert "Figures as of 2026-12-03 14:45" in page.text
    assert "Figures counted by Cultivate at 2026-12-03 14:45" in printed.text
    assert "06:45" not in page.text + printed.text


def test_a_filter_without_figures_is_counted_on_demand_and_kept(client):
    EnterpriseFactory(tier=Tier.NEW_TRACK)
    log_in(client, UserFactory(role="leader"))

    response = client.get("/dashboard/?zone=daning&period=year")

    assert response.status_code == 200
    assert [s.filter_key for s in snapshots()] == ["period=year&zone=daning"]
    EnterpriseFactory(tier=Tier.NEW_TRACK)
    assert refresh_dashboard(today(), utcnow(), ("en",)) == len(Period) + 1  # viewed ones too


def test_editing_a_target_drops_the_stored_figures(app):
    EnterpriseFactory(tier=Tier.NEW_TRACK)
    admin = UserFactory(role="admin")
    dashboard_figures(DashboardFilter(today()), "en", utcnow())
    target = db.session.scalars(select(Target)).first()
    assert target is not None
    data = TargetInput(
        key=target.key,
        title_zh=target.title_zh,
        title_en=target.title_en,
        goal=target.goal + 1,
        deadline=target.deadline,
        owner=target.owner.slug if target.owner else "",
        measure=target.measure.value,
        tier_at_least=target.tier_at_least or "",
        designations=list(target.designations),
        figure=target.figure or "",
        is_per_year=target.is_per_year,
        since_year=target.since_year,
    )

    update_target(admin, target, data, target.version_id)

    assert snapshots() == []


def test_the_scheduled_job_refreshes_the_dashboard_and_data_quality(app):
    EnterpriseFactory(tier=Tier.NEW_TRACK)

    run = run_job("dashboard_refresh", "command")

    assert run.state == JobRunState.SUCCEEDED
    assert run.summary["quality_snapshots"] == 1
    assert len(snapshots()) == len(Period) * len(app.config["LANGUAGES"])


def test_the_pages_issue_as_many_queries_for_many_firms_as_for_few(client):
    leader = UserFactory(role="leader")
    log_in(client, leader)
    pages = ("/dashboard/", "/dashboard/print", "/dashboard/?zone=daning", "/quality/")

    def queries_per_page(firm_count: int) -> list[int]:
        EnterpriseFactory.create_batch(firm_count, tier=Tier.NEW_TRACK)
        db.session.commit()
        with counted_queries() as statements:  # counting, not reading: nothing stored yet
            assert client.get("/dashboard/?zone=daning").status_code == 200
        counts = [len(statements)]
        run_job("dashboard_refresh", "command")
        for page in pages:
            with counted_queries() as statements:
                assert client.get(page).status_code == 200
            counts.append(len(statements))
        db.session.execute(delete(DashboardSnapshot))
        db.session.commit()
        return counts

    assert queries_per_page(2) == queries_per_page(40)


def test_counting_by_start_days_equals_counting_firm_by_firm_on_every_day():
    firms = [
        FirmFacts(1, 1, 1, date(2024, 3, 1), Tier.NEW_TRACK, designations={"gazelle": None}),
        FirmFacts(
            2, 1, 2, date(2025, 2, 1), Tier.CANDIDATE, designations={"gazelle": date(2025, 9, 9)}
        ),
        FirmFacts(3, 2, 3, date(2025, 5, 1), Tier.RESERVOIR),
        FirmFacts(
            4,
            2,
            3,
            date(2024, 1, 1),
            Tier.ACHIEVED,
            tier_changes=[(date(2025, 4, 2), Tier.TECH_BASED), (date(2026, 2, 1), Tier.NEW_TRACK)],
            designations={"gazelle": date(2026, 3, 1)},
        ),
    ]
    day = date(2026, 11, 16)
    for tier_at_least, designations in (
        (None, []),
        ("new_track", []),
        ("candidate", ["gazelle"]),
        (None, ["gazelle", "unicorn"]),
    ):
        target = TargetFactory.build(
            goal=10,
            deadline=date(2026, 12, 31),
            measure=TargetMeasure.FIRMS,
            tier_at_least=tier_at_least,
            designations=designations,
        )

        result = progress(target, firms, day)

        assert result.trend == [(end, value_on(target, firms, end)) for end in quarter_ends(day)]
        assert result.value == value_on(target, firms, day)
        assert result.start_value == value_on(target, firms, result.baseline)


def test_stored_sections_come_back_equal_to_the_counted_ones(app):
    EnterpriseFactory(tier=Tier.NEW_TRACK)
    filters = DashboardFilter(today(), Period.PLAN)
    _cards, sections = compute_figures(filters, "en")

    stored = dashboard_figures(filters, "en", utcnow())

    assert stored.sections == sections
    assert section_of(section_json(sections[0])) == sections[0]
