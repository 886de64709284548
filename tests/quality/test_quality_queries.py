from datetime import date, datetime

from crm.quality.queries import (
    firms_missing_figures,
    firms_without_manager,
    last_complete_year,
    open_import_issues,
    overloaded_managers,
)
from models import EnterpriseStatus
from tests.factories import (
    EnterpriseFactory,
    ImportIssueFactory,
    UserFactory,
    YearlyFiguresFactory,
)

DELETED_AT = datetime(2026, 2, 1, 9, 0)
FOUND_AT = datetime(2026, 3, 2, 9, 0)


def test_last_year_is_the_last_complete_calendar_year():
    assert last_complete_year(date(2026, 1, 1)) == 2025
    assert last_complete_year(date(2026, 12, 31)) == 2025


def test_only_live_firms_existing_last_year_and_without_its_figures_are_missing_figures(app):
    YearlyFiguresFactory(enterprise=EnterpriseFactory(name="有数"), year=2025)
    YearlyFiguresFactory(enterprise=EnterpriseFactory(name="只有前年"), year=2024)
    EnterpriseFactory(name="从未填报", founded_on=None)
    EnterpriseFactory(name="已删除", deleted_at=DELETED_AT)
    EnterpriseFactory(name="已迁出", status=EnterpriseStatus.MOVED_OUT)
    EnterpriseFactory(name="今年新设", founded_on=date(2026, 1, 10))

    missing = firms_missing_figures(2025)

    assert sorted(firm.name for firm in missing.rows) == ["从未填报", "只有前年"]
    assert (missing.total, missing.more_count) == (2, 0)


def test_a_long_list_is_cut_at_the_limit_and_counts_the_rest(app):
    for name in ("甲", "乙", "丙"):
        EnterpriseFactory(name=name)

    missing = firms_missing_figures(2025, limit=2)

    assert len(missing.rows) == 2
    assert (missing.total, missing.more_count) == (3, 1)


def test_firms_without_an_active_manager_are_listed(app):
    active = UserFactory(role="manager")
    gone = UserFactory(role="manager", is_active_account=False, display_name="Gone")
    EnterpriseFactory(name="有经理", manager=active)
    EnterpriseFactory(name="无经理")
    EnterpriseFactory(name="经理停用", manager=gone)
    EnterpriseFactory(name="已关闭无经理", status=EnterpriseStatus.CLOSED)
    EnterpriseFactory(name="已删除无经理", deleted_at=DELETED_AT)

    orphans = firms_without_manager()

    assert sorted(firm.name for firm in orphans.rows) == ["无经理", "经理停用"]
    assert orphans.total == 2


def test_managers_count_only_live_firms_and_must_exceed_the_threshold(app):
    busy = UserFactory(role="manager", username="busy")
    at_limit = UserFactory(role="manager", username="at.limit")
    for _ in range(3):
        EnterpriseFactory(manager=busy)
    EnterpriseFactory(manager=at_limit)
    EnterpriseFactory(manager=at_limit)
    EnterpriseFactory(manager=at_limit, deleted_at=DELETED_AT)
    EnterpriseFactory(manager=at_limit, status=EnterpriseStatus.CLOSED)

    loads = overloaded_managers(max_firms=2)

    assert [(load.manager.username, load.firm_count) for load in loads.rows] == [("busy", 3)]
    assert loads.total == 1


def test_the_busiest_manager_comes_first(app):
    one = UserFactory(role="manager", username="one")
    two = UserFactory(role="manager", username="two")
    for manager, count in ((one, 2), (two, 3)):
        for _ in range(count):
            EnterpriseFactory(manager=manager)

    loads = overloaded_managers(max_firms=1)

    assert [(load.manager.username, load.firm_count) for load in loads.rows] == [
        ("two", 3),
        ("one", 2),
    ]


def test_resolved_import_issues_are_not_listed(app):
    ImportIssueFactory(uscc="91310106MA0000000X", found_at=FOUND_AT)
    ImportIssueFactory(uscc="91310106MA00000001", found_at=FOUND_AT, resolved_at=FOUND_AT)

    issues = open_import_issues()

    assert [row.uscc for row in issues.rows] == ["91310106MA0000000X"]
    assert issues.total == 1
