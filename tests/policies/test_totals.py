from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from crm.policies import progress, queries, services
from models import ItemState, PackageItem, PackageState, PolicyPackage, db
from tests import factories
from tests.helpers import PACKAGE_NOW as NOW
from tests.helpers import item, propose

GRANTED = {ItemState.GRANTED, ItemState.DISBURSED, ItemState.REVIEWED}


def build_history(manager, leader):
    """Firms in two zones with approved, rejected, deleted and partly tracked packages."""
    firms = [factories.EnterpriseFactory() for _ in range(3)]
    firms[2].zone = factories.reference(type(firms[2].zone), "nanxi")
    for index, firm in enumerate(firms):
        package = propose(
            manager,
            firm,
            item("loan_interest_subsidy", str(100000 * (index + 1))),
            item("talent_housing", str(index + 1)),
            item("rent_subsidy", "2500.50"),
        )
        services.decide_package(leader, package, "approve", None, package.version_id, NOW)
        for position, package_item in enumerate(package.items[: index + 1]):
            progress.grant_item(manager, package_item, date(2026, 3, 3), package.version_id, NOW)
            if position == 0:
                amount = package_item.amount / 2
                progress.disburse_item(
                    manager, package_item, amount, date(2026, 3, 4), package.version_id, NOW
                )
    rejected = propose(manager, firms[0], item("guidance_fund", "900000"))
    services.decide_package(leader, rejected, "reject", "No", rejected.version_id, NOW)
    deleted = propose(manager, firms[1], item("fee_reduction", "1000"))
    services.decide_package(leader, deleted, "approve", None, deleted.version_id, NOW)
    progress.grant_item(manager, deleted.items[0], date(2026, 3, 3), deleted.version_id, NOW)
    services.delete_package(manager, deleted, NOW)
    db.session.flush()


def python_totals(key):
    """The same sums, computed in Python over every item row."""
    sums = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in db.session.scalars(select(PackageItem)):
        package = row.package
        if package.deleted_at or package.state != PackageState.APPROVED or row.state not in GRANTED:
            continue
        bucket = sums[(key(row), row.instrument.unit)]
        bucket[0] += row.amount
        bucket[1] += row.disbursed_amount or 0
    return {k: tuple(v) for k, v in sums.items()}


def as_dict(rows):
    return {(row.key.id, row.unit): (row.granted, row.disbursed) for row in rows}


def test_totals_by_instrument_equal_an_independent_calculation(manager, leader):
    build_history(manager, leader)

    totals = as_dict(queries.totals_by_instrument(leader))

    assert totals == python_totals(lambda row: row.instrument.id)
    assert len(totals) == 3


def test_totals_by_zone_keep_yuan_and_counts_apart(manager, leader):
    build_history(manager, leader)

    totals = as_dict(queries.totals_by_zone(leader))

    assert totals == python_totals(lambda row: row.package.enterprise.zone_id)
    assert {unit.value for _zone, unit in totals} == {"yuan", "count"}


def test_top_firms_rank_by_yuan_granted(manager, leader):
    build_history(manager, leader)
    expected = {
        k: v
        for k, v in python_totals(lambda row: row.package.enterprise_id).items()
        if k[1].value == "yuan"
    }

    rows = queries.top_firms(leader)

    assert as_dict(rows) == expected
    assert [row.granted for row in rows] == sorted((v[0] for v in expected.values()), reverse=True)


def test_a_manager_sees_the_totals_of_their_sub_district_only(manager, leader):
    build_history(manager, leader)
    other = factories.UserFactory(role="manager", sub_district_slug="jingansi")

    assert queries.totals_by_instrument(other) == []


def test_the_firm_totals_add_yuan_and_counts_separately(manager, leader):
    firm = factories.EnterpriseFactory()
    package = propose(manager, firm, item("rent_subsidy", "1000"), item("talent_housing", "2"))
    services.decide_package(leader, package, "approve", None, package.version_id, NOW)
    for package_item in package.items:
        progress.grant_item(manager, package_item, date(2026, 3, 3), package.version_id, NOW)

    totals = queries.support_totals_of_enterprise(firm.id)

    assert totals["yuan"] == {"granted": Decimal("1000.00"), "disbursed": Decimal(0)}
    assert totals["count"]["granted"] == Decimal("2.00")
    assert db.session.scalar(select(PolicyPackage.id)) == package.id
