"""The white-list rules: nominating within scope into a draft, submitting, deciding, loans."""

from datetime import date
from decimal import Decimal

import pytest

from crm.credit import answers, banks, decisions, services
from crm.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    StaleEditError,
)
from crm.requests import workflow
from models import BatchState, NominationDecision, RequestState
from tests import factories
from tests.credit.conftest import LATER, NOW, listing, make_product, nominate
from tests.helpers import audit_entries


def test_a_nomination_keeps_the_firms_figures_as_sent_and_is_audited(nominated, firm):
    assert nominated.figures["uscc"] == firm.uscc
    assert nominated.figures["revenue"] == "8200.00"
    assert nominated.figures["quota_asked"] == "1000.00"
    assert nominated.decision == NominationDecision.PENDING
    assert [entry.action for entry in audit_entries("nomination", nominated.id)] == ["create"]


def test_a_manager_cannot_nominate_a_firm_of_another_sub_district(manager, batch):
    elsewhere = factories.EnterpriseFactory(sub_district_slug="jingansi")

    with pytest.raises(NotFoundError):
        nominate(manager, batch, elsewhere)


def test_department_staff_cannot_nominate(batch, firm):
    staff = factories.UserFactory(role="department", department_slug="finance")

    with pytest.raises(ForbiddenError):
        nominate(staff, batch, firm)


def test_a_firm_is_nominated_once_per_batch(manager, batch, nominated, firm):
    with pytest.raises(InvalidInputError) as refused:
        nominate(manager, batch, firm)

    assert "enterprise_id" in refused.value.errors


def test_the_quota_asked_cannot_exceed_the_products_ceiling(manager, batch, firm):
    with pytest.raises(InvalidInputError) as refused:
        nominate(manager, batch, firm, quota="3000.01")

    assert "quota_asked" in refused.value.errors


def test_a_product_for_another_zone_refuses_the_firm(leader, manager, bank, firm):
    shibei_only = make_product(bank, zone_id=factories.reference(factories.Zone, "shibei").id)
    batch = services.open_batch(leader, shibei_only.id, "市北专项", NOW)

    with pytest.raises(InvalidInputError) as refused:
        nominate(manager, batch, firm)

    assert "enterprise_id" in refused.value.errors


def test_a_stale_batch_version_is_refused(manager, batch, firm):
    data = services.NominationInput(firm.id, Decimal(500))

    with pytest.raises(StaleEditError):
        services.nominate(manager, batch, data, batch.version_id + 7, NOW)


def test_a_submitted_batch_is_frozen(manager, submitted, batch):
    other = factories.EnterpriseFactory()

    with pytest.raises(ConflictError):
        nominate(manager, batch, other)


def test_an_empty_batch_cannot_be_submitted(leader, batch):
    with pytest.raises(InvalidInputError):
        services.submit_batch(leader, batch, batch.version_id, NOW)


def test_only_leaders_submit(manager, batch, nominated):
    with pytest.raises(ForbiddenError):
        services.submit_batch(manager, batch, batch.version_id, NOW)


def test_no_decision_is_recorded_before_the_batch_is_submitted(leader, nominated):
    with pytest.raises(ConflictError):
        decisions.record_decision(leader, nominated, listing(), nominated.version_id, LATER)


def test_a_manager_cannot_record_the_banks_decision(manager, submitted):
    with pytest.raises(ForbiddenError):
        decisions.record_decision(manager, submitted, listing(), submitted.version_id, LATER)


def test_a_refusal_needs_a_reason(leader, submitted):
    refusal = decisions.DecisionInput(decision="refused", decided_on=date(2026, 11, 20))

    with pytest.raises(InvalidInputError) as refused:
        decisions.record_decision(leader, submitted, refusal, submitted.version_id, LATER)

    assert list(refused.value.errors) == ["refusal_reason"]


def test_a_listing_needs_quota_rate_and_term(leader, submitted):
    bare = decisions.DecisionInput(decision="listed", decided_on=date(2026, 11, 20))

    with pytest.raises(InvalidInputError) as refused:
        decisions.record_decision(leader, submitted, bare, submitted.version_id, LATER)

    assert set(refused.value.errors) == {"quota_granted", "rate", "term_months"}


def test_a_listing_falls_due_for_renewal_after_its_term_and_closes_the_batch(listed, batch):
    assert listed.decision == NominationDecision.LISTED
    assert listed.renewal_on == date(2028, 11, 20)
    assert batch.state == BatchState.DECIDED
    assert batch.decided_on == date(2026, 11, 20)
    assert [e.action for e in audit_entries("nomination", listed.id)] == ["create", "decide"]


def test_a_stale_decision_is_refused(leader, submitted):
    with pytest.raises(StaleEditError):
        decisions.record_decision(leader, submitted, listing(), submitted.version_id + 1, LATER)


def test_loans_never_exceed_the_quota_granted(manager, listed):
    first = decisions.DrawdownInput(date(2026, 11, 25), Decimal(600))
    decisions.record_drawdown(manager, listed, first, LATER)

    with pytest.raises(InvalidInputError) as refused:
        decisions.record_drawdown(
            manager, listed, decisions.DrawdownInput(date(2026, 12, 1), Decimal("400.01")), LATER
        )
    decisions.record_drawdown(
        manager, listed, decisions.DrawdownInput(date(2026, 12, 1), Decimal(400)), LATER
    )

    assert "amount" in refused.value.errors
    assert decisions.drawn_total(listed.id) == Decimal(1000)
    assert len(audit_entries("credit_drawdown")) == 2


def test_no_loan_is_drawn_on_a_pending_nomination(manager, submitted):
    with pytest.raises(ConflictError):
        decisions.record_drawdown(
            manager, submitted, decisions.DrawdownInput(date(2026, 11, 25), Decimal(1)), LATER
        )


def test_a_renewal_moves_the_renewal_day_forward_only(manager, listed):
    with pytest.raises(InvalidInputError):
        decisions.renew(manager, listed, date(2028, 1, 1), listed.version_id, LATER)

    decisions.renew(manager, listed, date(2030, 11, 20), listed.version_id, LATER)

    assert listed.renewal_on == date(2030, 11, 20)
    assert listed.renewed_count == 1


def test_a_manager_withdraws_from_a_draft_but_not_from_a_submitted_batch(
    manager, leader, submitted
):
    with pytest.raises(ForbiddenError):
        services.withdraw(manager, submitted, submitted.version_id, LATER)

    services.withdraw(leader, submitted, submitted.version_id, LATER)

    assert submitted.is_deleted


def test_only_a_financing_request_of_the_firm_is_answered(manager, batch, firm):
    other_firms = factories.EnterpriseRequestFactory()

    with pytest.raises(InvalidInputError) as refused:
        nominate(manager, batch, firm, request_id=other_firms.id)

    assert "request_id" in refused.value.errors


def test_the_routed_department_resolves_the_request_quoting_the_quota(leader, manager, batch, firm):
    request = factories.EnterpriseRequestFactory(enterprise=firm, state=RequestState.IN_PROGRESS)
    nomination = nominate(manager, batch, firm, request_id=request.id)
    services.submit_batch(leader, batch, batch.version_id, NOW)
    decisions.record_decision(leader, nomination, listing(), nomination.version_id, LATER)
    staff = factories.UserFactory(role="department", department_slug="finance")
    text = answers.quota_answer(nomination, "en")

    with pytest.raises(ForbiddenError):
        answers.answer_request(manager, nomination, text, request.version_id, LATER)
    answers.answer_request(staff, nomination, text, request.version_id, LATER)

    assert request.state == RequestState.RESOLVED
    assert "1,000" in (request.answer or "")
    assert workflow.Action.RESOLVE not in workflow.allowed_actions(manager, request)


def test_a_bank_keeps_its_format_in_order_and_refuses_unknown_fields(leader, bank):
    data = banks.BankInput(
        "spdb", "浦发银行", "SPD Bank", True, banks.parse_columns("name = 企业名称\nuscc\nrevenue")
    )
    saved = banks.save_bank(leader, None, data, None)
    bad = banks.BankInput("spdb2", "浦发", "SPD", True, [("tax", ""), ("name", ""), ("name", "")])

    with pytest.raises(InvalidInputError) as refused:
        banks.save_bank(leader, None, bad, None)

    assert [key for key, _header in saved.nomination_columns] == ["name", "uscc", "revenue"]
    assert saved.nomination_columns[1][1] == "Unified social credit code"
    assert len(refused.value.errors["columns"]) == 2
    assert audit_entries("partner_bank", saved.id)[0].action == "create"


def test_a_product_needs_a_sane_rate_range_and_a_manager_cannot_add_one(leader, manager, bank):
    upside_down = banks.ProductInput("贷", Decimal(100), Decimal("4.0"), Decimal("3.0"), 12)

    with pytest.raises(InvalidInputError) as refused:
        banks.save_product(leader, bank, None, upside_down)
    with pytest.raises(ForbiddenError):
        banks.save_product(manager, bank, None, upside_down)

    assert list(refused.value.errors) == ["rate_max"]


def test_a_product_with_a_nan_figure_or_an_unknown_zone_names_the_field(leader, bank):
    nan = banks.ProductInput("贷", Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), 12)
    unknown = banks.ProductInput(
        "贷", Decimal(100), Decimal(3), Decimal(4), 12, zone_id=999_999, track_id=2**40
    )

    with pytest.raises(InvalidInputError) as not_numbers:
        banks.save_product(leader, bank, None, nan)
    with pytest.raises(InvalidInputError) as not_listed:
        banks.save_product(leader, bank, None, unknown)

    assert sorted(not_numbers.value.errors) == ["max_quota", "rate_max", "rate_min"]
    assert sorted(not_listed.value.errors) == ["track_id", "zone_id"]
