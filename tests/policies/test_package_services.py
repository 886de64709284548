from datetime import date
from decimal import Decimal

import pytest

from crm.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from crm.policies import progress, services
from crm.policies.queries import overdue_milestones, packages_of_enterprise
from models import ItemState, PackageState
from tests import factories
from tests.helpers import PACKAGE_NOW as NOW
from tests.helpers import audit_entries, item, propose


def audit_actions(entity_type):
    return [entry.action for entry in audit_entries(entity_type)]


def test_a_manager_proposes_a_package_for_a_firm_of_their_sub_district(manager, proposed):
    assert proposed.state == PackageState.PROPOSED
    assert [i.amount for i in proposed.items] == [Decimal("500000.00"), Decimal("3.00")]
    assert audit_actions("package") == ["create"]
    assert audit_actions("package_item") == ["create", "create"]


def test_a_manager_cannot_propose_for_a_firm_of_another_sub_district(manager):
    elsewhere = factories.EnterpriseFactory(sub_district_slug="jingansi")

    with pytest.raises(NotFoundError):
        services.proposable_enterprise(manager, elsewhere.id)


def test_a_leader_cannot_propose(leader, firm):
    with pytest.raises(ForbiddenError):
        propose(leader, firm, item("rent_subsidy", "1000"))


def test_a_leader_approves_a_proposed_package(leader, proposed):
    services.decide_package(leader, proposed, "approve", None, proposed.version_id, NOW)

    assert proposed.state == PackageState.APPROVED
    assert proposed.decided_by == leader
    assert audit_actions("package") == ["create", "decide"]


def test_a_leader_rejects_a_package_with_a_comment(leader, proposed):
    services.decide_package(
        leader, proposed, "reject", "Not eligible yet", proposed.version_id, NOW
    )

    assert proposed.state == PackageState.REJECTED
    assert proposed.decision_comment == "Not eligible yet"


def test_a_rejection_needs_a_comment(leader, proposed):
    with pytest.raises(InvalidInputError) as refused:
        services.decide_package(leader, proposed, "reject", " ", proposed.version_id, NOW)

    assert "comment" in refused.value.errors


def test_a_manager_cannot_decide(manager, proposed):
    with pytest.raises(ForbiddenError):
        services.decide_package(manager, proposed, "approve", None, proposed.version_id, NOW)


def test_a_package_cannot_be_decided_twice(leader, proposed):
    services.decide_package(leader, proposed, "approve", None, proposed.version_id, NOW)

    with pytest.raises(ConflictError):
        services.decide_package(leader, proposed, "reject", "No", proposed.version_id, NOW)


def test_a_decision_on_a_stale_version_is_refused(leader, proposed):
    with pytest.raises(StaleEditError):
        services.decide_package(leader, proposed, "approve", None, proposed.version_id - 1, NOW)


def test_an_item_goes_through_its_steps_in_order(manager, leader, proposed):
    services.decide_package(leader, proposed, "approve", None, proposed.version_id, NOW)
    loan = proposed.items[0]

    progress.grant_item(manager, loan, date(2026, 3, 5), proposed.version_id, NOW)
    progress.disburse_item(
        manager, loan, Decimal("400000"), date(2026, 3, 20), proposed.version_id, NOW
    )
    progress.review_item(
        manager, loan, True, "Hired 12", date(2026, 9, 1), proposed.version_id, NOW
    )

    assert loan.state == ItemState.REVIEWED
    assert (loan.disbursed_amount, loan.goal_met) == (Decimal("400000.00"), True)
    assert audit_actions("package_item")[-3:] == ["granted", "disbursed", "reviewed"]


def test_an_item_step_out_of_order_is_refused(manager, leader, proposed):
    services.decide_package(leader, proposed, "approve", None, proposed.version_id, NOW)

    with pytest.raises(ConflictError):
        progress.disburse_item(
            manager, proposed.items[0], Decimal(1), date(2026, 3, 5), proposed.version_id, NOW
        )


def test_items_of_a_package_not_yet_approved_are_not_tracked(manager, proposed):
    with pytest.raises(ConflictError):
        progress.grant_item(manager, proposed.items[0], date(2026, 3, 5), proposed.version_id, NOW)


def test_a_disbursement_cannot_exceed_the_item_amount(manager, leader, proposed):
    services.decide_package(leader, proposed, "approve", None, proposed.version_id, NOW)
    loan = proposed.items[0]
    progress.grant_item(manager, loan, date(2026, 3, 5), proposed.version_id, NOW)

    with pytest.raises(InvalidInputError) as refused:
        progress.disburse_item(
            manager, loan, Decimal("500000.01"), date(2026, 3, 6), proposed.version_id, NOW
        )

    assert "disbursed_amount" in refused.value.errors


def test_the_ceiling_names_the_item_that_exceeds_it(manager, firm):
    with pytest.raises(InvalidInputError) as refused:
        propose(manager, firm, item("rent_subsidy", "10"), item("credit_whitelist", "2"))

    assert list(refused.value.errors) == ["items[1].amount"]


def test_the_ceiling_counts_the_firms_other_live_packages(manager, firm):
    propose(manager, firm, item("loan_interest_subsidy", "1500000"))

    with pytest.raises(InvalidInputError) as refused:
        propose(manager, firm, item("loan_interest_subsidy", "500000.01"))

    assert list(refused.value.errors) == ["items[0].amount"]


def test_the_ceiling_ignores_rejected_and_deleted_packages(manager, leader, admin, firm):
    rejected = propose(manager, firm, item("loan_interest_subsidy", "2000000"))
    services.decide_package(leader, rejected, "reject", "Too much", rejected.version_id, NOW)
    deleted = propose(manager, firm, item("loan_interest_subsidy", "2000000"))
    services.delete_package(admin, deleted, NOW)

    package = propose(manager, firm, item("loan_interest_subsidy", "2000000"))

    assert package.items[0].amount == Decimal("2000000.00")


def test_amounts_must_be_positive_and_counts_whole(manager, firm):
    with pytest.raises(InvalidInputError) as refused:
        propose(manager, firm, item("rent_subsidy", "0"), item("talent_housing", "1.5"))

    assert set(refused.value.errors) == {"items[0].amount", "items[1].amount"}


def test_a_deleted_package_is_hidden(manager, proposed, firm):
    services.delete_package(manager, proposed, NOW)

    assert packages_of_enterprise(manager, firm.id, limit=10) == []
    with pytest.raises(NotFoundError):
        services.get_package(manager, proposed.id)
    assert audit_actions("package")[-1] == "delete"


def test_only_the_proposer_or_an_admin_deletes(proposed):
    other = factories.UserFactory(role="manager")

    with pytest.raises(ForbiddenError):
        services.delete_package(other, proposed, NOW)


def test_a_passed_milestone_of_an_unfinished_item_is_overdue(proposed):
    loan, housing = proposed.items

    assert overdue_milestones(loan, date(2026, 4, 2)) == {"disburse_by"}
    assert overdue_milestones(housing, date(2026, 4, 2)) == set()
