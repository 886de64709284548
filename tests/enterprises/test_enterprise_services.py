from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.enterprises import figures, services
from crm.enterprises.services import EnterpriseInput
from crm.errors import ForbiddenError, InvalidInputError, NotFoundError, StaleEditError
from models import AuditEntry, Designation, Enterprise, Tier, User, YearlyFigures, db
from tests.factories import EnterpriseFactory, UserFactory, YearlyFiguresFactory, valid_uscc
from tests.helpers import audit_entries

NOW = datetime(2026, 3, 2, 9, 0)
NEW_USCC = valid_uscc(800001)


def new_firm(**changes: object) -> EnterpriseInput:
    data = EnterpriseInput(
        name="上海大宁量子计算有限公司",
        uscc=NEW_USCC,
        sub_district="daninglu",
        zone="daning",
        track="quantum",
    )
    return replace(data, **changes)


def refused_fields(call: object, *args: object) -> dict[str, list[str]]:
    with pytest.raises(InvalidInputError) as refused:
        call(*args)  # type: ignore[operator]
    return refused.value.errors


def refused_creation(user: User, **changes: object) -> dict[str, list[str]]:
    return refused_fields(services.create_enterprise, user, new_firm(**changes), NOW)


def update(user: User, firm: Enterprise, changes: dict[str, object], seen_version: int = 1) -> None:
    services.update_enterprise(user, firm, services.patch_input(firm, changes), seen_version, NOW)


# Creating


def test_a_manager_adds_a_firm_of_their_sub_district(manager):
    data = new_firm(uscc=f" {NEW_USCC.lower()} ", designations=["unicorn", "gazelle"])

    firm = services.create_enterprise(manager, data, NOW)

    assert firm.id is not None
    assert firm.uscc == NEW_USCC
    assert firm.sub_district.slug == "daninglu"
    assert firm.designations == [Designation.GAZELLE, Designation.UNICORN]
    assert (firm.created_at, firm.updated_at, firm.version_id) == (NOW, NOW, 1)


def test_adding_a_firm_writes_an_audit_entry_of_the_stored_values(manager):
    firm = services.create_enterprise(manager, new_firm(name="  上海大宁量子计算有限公司 "), NOW)

    [entry] = audit_entries("enterprise", firm.id)

    assert (entry.action, entry.actor_id) == ("create", manager.id)
    assert entry.changes["name"] == [None, "上海大宁量子计算有限公司"]
    assert entry.changes["uscc"] == [None, NEW_USCC]
    assert "notes" not in entry.changes


def test_a_manager_cannot_add_a_firm_of_another_sub_district(manager):
    errors = refused_creation(manager, sub_district="jingansi")

    assert list(errors) == ["sub_district"]


def test_an_admin_adds_firms_anywhere(admin):
    firm = services.create_enterprise(admin, new_firm(sub_district="jingansi", zone="nanxi"), NOW)

    assert firm.sub_district.slug == "jingansi"


@pytest.mark.parametrize("role", ["leader", "department"])
def test_leaders_and_department_staff_cannot_add_firms(app, role):
    user = UserFactory(role=role)

    with pytest.raises(ForbiddenError):
        services.create_enterprise(user, new_firm(), NOW)


def test_the_assigned_manager_must_belong_to_the_firms_sub_district(admin):
    elsewhere = UserFactory(role="manager", sub_district_slug="jingansi")

    errors = refused_creation(admin, manager=elsewhere.username)

    assert errors == {"manager": ["The account manager must belong to the firm's sub-district."]}


def test_a_manager_of_the_firms_sub_district_can_be_assigned(admin, manager):
    firm = services.create_enterprise(admin, new_firm(manager=manager.username), NOW)

    assert firm.manager == manager


@pytest.mark.parametrize(
    "account",
    [{"role": "leader"}, {"role": "admin"}, {"role": "manager", "is_active_account": False}],
    ids=["leader", "admin", "deactivated manager"],
)
def test_only_active_account_managers_can_be_assigned(admin, account):
    not_assignable = UserFactory(**account)

    errors = refused_creation(admin, manager=not_assignable.username)

    assert list(errors) == ["manager"]


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("91310106MA0000", "exactly 18 characters"),
        ("91310106MA000000I0", "other than I, O, S, V and Z"),
        (NEW_USCC[:17] + ("0" if NEW_USCC[17] != "0" else "1"), "check character"),
    ],
)
def test_an_invalid_credit_code_is_refused_with_the_reason(admin, uscc, message):
    errors = refused_creation(admin, uscc=uscc)

    assert list(errors) == ["uscc"]
    assert message in errors["uscc"][0]


def test_a_credit_code_is_unique_even_among_deleted_firms(admin):
    EnterpriseFactory(uscc=NEW_USCC, deleted_at=NOW)

    errors = refused_creation(admin)

    assert errors == {"uscc": ["Another firm already has this code."]}


def test_a_founding_date_in_the_future_is_refused(admin):
    tomorrow = NOW.date() + timedelta(days=1)

    errors = refused_creation(admin, founded_on=tomorrow)

    assert errors == {"founded_on": ["Cannot be in the future."]}


def test_a_firm_founded_today_is_accepted(admin):
    firm = services.create_enterprise(admin, new_firm(founded_on=NOW.date()), NOW)

    assert firm.founded_on == NOW.date()


@pytest.mark.parametrize(
    "capital", [Decimal(-1), Decimal("NaN"), Decimal("Infinity"), Decimal(10) ** 14]
)
def test_a_registered_capital_that_cannot_be_stored_is_refused(admin, capital):
    errors = refused_creation(admin, registered_capital=capital)

    assert list(errors) == ["registered_capital"]


def test_the_registered_capital_is_kept_to_the_cent(admin):
    firm = services.create_enterprise(admin, new_firm(registered_capital=Decimal("12.345")), NOW)

    assert firm.registered_capital == Decimal("12.35")


def test_every_invalid_field_is_reported_at_once(admin):
    data = new_firm(name=" ", zone="atlantis", track="alchemy", tier="legend", designations=["x"])

    errors = refused_fields(services.create_enterprise, admin, data, NOW)

    assert set(errors) == {"name", "zone", "track", "tier", "designations"}


# Reading


@pytest.mark.parametrize(
    ("role", "sub_district", "visible"),
    [
        ("manager", "daninglu", True),
        ("manager", "jingansi", False),
        ("department", "daninglu", False),
        ("leader", "jingansi", True),
        ("admin", "jingansi", True),
    ],
)
def test_reading_a_firm_depends_on_role_and_sub_district(app, role, sub_district, visible):
    user = UserFactory(role=role, sub_district_slug="daninglu")
    firm = EnterpriseFactory(sub_district_slug=sub_district)

    if visible:
        assert services.get_enterprise(user, firm.id) == firm
    else:
        with pytest.raises(NotFoundError):
            services.get_enterprise(user, firm.id)


def test_a_deleted_firm_is_not_found(admin):
    firm = EnterpriseFactory(deleted_at=NOW)

    with pytest.raises(NotFoundError):
        services.get_enterprise(admin, firm.id)


# Changing


@pytest.fixture
def firm(app) -> Enterprise:
    return EnterpriseFactory(
        name="上海大宁智算科技有限公司",
        registered_capital=Decimal("1000.00"),
        founded_on=date(2018, 3, 1),
    )


def test_an_update_changes_the_firm_and_bumps_its_version(manager, firm):
    update(manager, firm, {"tier": Tier.CANDIDATE.value, "notes": "Series B"})

    assert (firm.tier, firm.notes) == (Tier.CANDIDATE, "Series B")
    assert (firm.version_id, firm.updated_at) == (2, NOW)


def test_an_update_records_only_what_changed_with_before_and_after(manager, firm):
    update(manager, firm, {"name": "上海大宁算力科技有限公司", "address": None})

    [entry] = audit_entries("enterprise", firm.id)
    assert (entry.action, entry.actor_id) == ("update", manager.id)
    assert entry.changes == {"name": ["上海大宁智算科技有限公司", "上海大宁算力科技有限公司"]}


def test_an_update_that_changes_nothing_keeps_the_version_and_writes_no_audit(manager, firm):
    unchanged = {"name": f" {firm.name} ", "uscc": firm.uscc.lower()}

    update(manager, firm, unchanged | {"registered_capital": Decimal(1000)})

    assert (firm.version_id, firm.updated_at) == (1, datetime(2026, 1, 5, 9, 0))
    assert audit_entries("enterprise", firm.id) == []


def test_an_update_of_a_stale_version_is_refused_and_changes_nothing(manager, firm):
    update(manager, firm, {"name": "First change"})

    with pytest.raises(StaleEditError):
        update(manager, firm, {"name": "Second change"})

    assert (firm.name, firm.version_id) == ("First change", 2)


def test_a_leader_cannot_change_a_firm(app, firm):
    leader = UserFactory(role="leader")

    with pytest.raises(ForbiddenError):
        update(leader, firm, {})


def test_a_manager_cannot_move_a_firm_to_another_sub_district(manager, firm):
    data = services.patch_input(firm, {"sub_district": "jingansi"})

    errors = refused_fields(services.update_enterprise, manager, firm, data, 1, NOW)

    assert list(errors) == ["sub_district"]
    assert firm.sub_district.slug == "daninglu"


def test_a_firm_keeps_its_own_credit_code_on_update(manager, firm):
    update(manager, firm, {"notes": "Visited"})

    assert firm.notes == "Visited"


def test_designations_are_added_and_removed(manager, firm):
    update(manager, firm, {"designations": ["gazelle", "high_tech"]})

    update(manager, firm, {"designations": ["unicorn", "gazelle"]}, seen_version=2)

    assert firm.designations == [Designation.GAZELLE, Designation.UNICORN]
    assert audit_entries("enterprise", firm.id)[-1].changes == {
        "designations": [["gazelle", "high_tech"], ["gazelle", "unicorn"]]
    }


# Yearly figures and contacts


def test_yearly_figures_compute_the_growth_over_the_previous_year(admin, firm):
    YearlyFiguresFactory(enterprise=firm, year=2024, revenue=Decimal(4000))

    row = figures.upsert_yearly_figures(
        admin, firm, figures.FiguresInput(year=2025, revenue=Decimal(5000)), latest_year=2026
    )

    assert row.revenue_growth_pct == Decimal("25.00")
    assert [f.year for f in firm.yearly_figures] == [2024, 2025]


def test_saving_a_year_again_corrects_it_instead_of_adding_a_row(admin, firm):
    figures.upsert_yearly_figures(admin, firm, figures.FiguresInput(2025, employees=80), 2026)

    figures.upsert_yearly_figures(admin, firm, figures.FiguresInput(2025, employees=95), 2026)

    rows = list(db.session.scalars(select(YearlyFigures)))
    assert [(row.year, row.employees) for row in rows] == [(2025, 95)]
    entries = list(db.session.scalars(select(AuditEntry)))
    assert [(e.action, e.changes["employees"]) for e in entries] == [
        ("create", [None, 80]),
        ("update", [80, 95]),
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (figures.FiguresInput(year=1979), "year"),
        (figures.FiguresInput(year=2027), "year"),
        (figures.FiguresInput(year=2025, revenue=Decimal(-1)), "revenue"),
        (figures.FiguresInput(year=2025, employees=-3), "employees"),
    ],
)
def test_impossible_figures_are_refused(admin, firm, data, field):
    errors = refused_fields(figures.upsert_yearly_figures, admin, firm, data, 2026)

    assert list(errors) == [field]


def test_a_shrinking_firm_may_report_negative_growth(admin, firm):
    data = figures.FiguresInput(year=2025, revenue_growth_pct=Decimal("-12.5"))

    row = figures.upsert_yearly_figures(admin, firm, data, latest_year=2026)

    assert row.revenue_growth_pct == Decimal("-12.5")


def test_a_contact_is_added_and_audited(admin, firm):
    contact = figures.add_contact(admin, firm, figures.ContactInput(name="王芳", phone=""))

    assert firm.contacts == [contact]
    assert contact.phone is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "contact"))
    assert entry is not None
    assert entry.changes["name"] == [None, "王芳"]


def test_a_contact_needs_a_name(admin, firm):
    errors = refused_fields(figures.add_contact, admin, firm, figures.ContactInput(name="  "))

    assert list(errors) == ["name"]
