from datetime import date, datetime

from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.sections.discovery import discovery_section
from crm.discovery import screening, stats
from models import DiscoveryCandidate, EnterpriseDesignation, Tier, db
from tests.discovery.helpers import NOW, candidate
from tests.factories import valid_uscc


def decide(manager, record, decision, **values):
    data = screening.DecisionInput(decision, **values)
    return screening.decide_candidate(manager, record, data, record.version_id, NOW)


def test_conversion_counts_each_state_and_later_advances(manager, firm):
    risen = candidate(manager, "上海甲科技有限公司", source_name="启明创投")
    designated = candidate(manager, "上海乙科技有限公司", source_name="启明创投")
    stayed = candidate(manager, "上海丙科技有限公司", source_name="启明创投")
    declined = candidate(manager, "上海丁科技有限公司", source_name="红杉中国")
    watched = candidate(manager, "上海戊科技有限公司", source_name="红杉中国")
    linked = candidate(manager, "上海己科技有限公司", uscc=firm.uscc, source_name="红杉中国")
    candidate(manager, "上海庚科技有限公司", source_kind="own_search", source_name=None)
    for number, record in enumerate((risen, designated, stayed), start=1):
        decide(
            manager, record, "admit", tier=Tier.RESERVOIR.value, uscc=valid_uscc(700000 + number)
        )
    decide(manager, declined, "decline", reason="不在赛道")
    decide(manager, watched, "watch", watch_until=date(2027, 6, 1))
    decide(manager, linked, "link")
    risen.admitted_enterprise.tier = Tier.NEW_TRACK
    db.session.add(
        EnterpriseDesignation(
            enterprise_id=designated.admitted_enterprise_id,
            designation="tech_sme",
            awarded_on=date(2026, 12, 20),
        )
    )
    db.session.flush()

    rows = {row.key: row for row in stats.by_source_kind()}

    investor = rows["investor"]
    assert (
        investor.candidates,
        investor.screened,
        investor.admitted,
        investor.declined,
        investor.watching,
        investor.duplicates,
        investor.advanced,
    ) == (6, 5, 3, 1, 1, 1, 2)
    assert rows["own_search"].candidates == 1
    by_name = {row.key: row.admitted for row in stats.by_source_name().rows}
    assert by_name == {"启明创投": 3, "红杉中国": 0}


def test_a_designation_held_before_admission_is_no_advance(manager):
    record = candidate(manager)
    decide(manager, record, "admit", tier=Tier.RESERVOIR.value, uscc=valid_uscc(700010))
    db.session.add(
        EnterpriseDesignation(
            enterprise_id=record.admitted_enterprise_id,
            designation="high_tech",
            awarded_on=date(2025, 1, 1),
        )
    )
    db.session.flush()

    (row,) = stats.by_source_kind()

    assert (row.admitted, row.advanced) == (1, 0)


def test_deleted_candidates_are_not_counted(manager):
    record = candidate(manager)
    record.deleted_at = datetime(2026, 12, 5)
    db.session.flush()

    assert stats.by_source_kind(DiscoveryCandidate.id > 0) == []


def test_the_dashboard_section_respects_the_period_and_places(manager, leader):
    candidate(manager, "上海甲科技有限公司")  # daninglu, daning zone, received 2026-12-04
    candidate(leader, "上海乙科技有限公司", sub_district="jingansi")
    candidate(manager, "上海丙科技有限公司", now=datetime(2025, 3, 1, 9))

    quarter = DashboardFilter(today=date(2026, 12, 4), period=Period.QUARTER)
    daninglu = DashboardFilter(today=date(2026, 12, 4), period=Period.PLAN, sub_district="daninglu")

    def candidates(filters):
        (table,) = discovery_section(filters, "en").tables
        return table.rows[-1][1]  # the total row's candidates

    assert candidates(quarter) == 2
    assert candidates(daninglu) == 2
