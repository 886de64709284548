"""Database rows become the scoring library's dated facts, without inventing dates."""

from datetime import date, datetime
from decimal import Decimal

from crm.pipeline.firm_facts import firm_facts
from models import Designation, VisitKind, db
from scoring.features import features_as_of
from tests.factories import (
    EnterpriseDesignationFactory,
    EnterpriseFactory,
    FundingEventFactory,
    UserFactory,
    VisitFactory,
    YearlyFiguresFactory,
)


def test_a_firms_rows_become_its_dated_facts(app):
    firm = EnterpriseFactory()
    author = UserFactory()
    YearlyFiguresFactory(enterprise=firm, year=2023, revenue=Decimal("1000"), employees=40)
    YearlyFiguresFactory(enterprise=firm, year=2024, revenue=Decimal("1500"), employees=55)
    FundingEventFactory(
        enterprise=firm, closed_on=date(2024, 6, 1), amount=Decimal("3000"), stage="a"
    )
    EnterpriseDesignationFactory(
        enterprise=firm, designation=Designation.HIGH_TECH, awarded_on=date(2022, 12, 1)
    )
    EnterpriseDesignationFactory(enterprise=firm, designation=Designation.GAZELLE)
    at = datetime(2025, 3, 1, 10)
    VisitFactory(
        enterprise=firm,
        visited_on=date(2025, 3, 1),
        kind=VisitKind.PHONE,
        summary="电话回访",
        created_by=author,
        created_at=at,
        updated_at=at,
    )

    (facts,) = firm_facts()

    assert facts.track == "ai"
    assert [year.revenue for year in facts.yearly] == [1000.0, 1500.0]
    assert facts.fundings[0].stage == "a"
    assert [d.designation for d in facts.designations] == ["high_tech"]  # no date, left out
    assert facts.visits == [date(2025, 3, 1)]


def test_facts_from_the_database_feed_the_as_of_features(app):
    firm = EnterpriseFactory(founded_on=date(2018, 1, 1))
    YearlyFiguresFactory(enterprise=firm, year=2023, revenue=Decimal("1000"))
    YearlyFiguresFactory(enterprise=firm, year=2024, revenue=Decimal("1500"))
    db.session.flush()

    (facts,) = firm_facts()
    before_2024_figures = features_as_of(facts, date(2025, 3, 1))
    after_2024_figures = features_as_of(facts, date(2025, 5, 1))

    assert before_2024_figures != after_2024_figures
    assert after_2024_figures["track"] == "ai"
