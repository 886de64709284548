"""Raising, routing, editing and deleting requests; the firm page's queries; the statistics."""

import statistics
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from crm.errors import ForbiddenError, InvalidInputError, NotFoundError, StaleEditError
from crm.requests import queries, routing, services
from crm.requests.stats import department_stats
from crm.requests.workflow import StepInput, take_step
from models import AuditEntry, CategoryRoute, RedFlag, RequestCategory, RequestState, db
from tests.factories import EnterpriseRequestFactory
from tests.helpers import REQUEST_NOW as NOW
from tests.helpers import REQUEST_RAISED_ON as RAISED_ON
from tests.visits.helpers import TODAY, logged, on_site


def new_request(firm, **changes) -> services.RequestInput:
    values = {"enterprise_id": firm.id, "category": "space", "description": "租约明年到期，需扩租"}
    return services.RequestInput(**{**values, **changes})


def test_a_new_request_is_routed_by_its_category_and_due_after_the_routes_days(firm, manager):
    route = db.session.get(CategoryRoute, RequestCategory.SPACE)

    created = services.create_request(manager, new_request(firm), NOW)

    assert created.department == route.department
    assert created.due_on == NOW.date() + timedelta(days=route.due_days)
    assert created.state == RequestState.OPEN
    assert [(e.action, e.to_state) for e in created.events] == [("create", RequestState.OPEN)]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "request"))
    assert (entry.action, entry.entity_id) == ("create", created.id)
    assert entry.changes["department"] == [None, route.department.slug]


def test_the_manager_may_choose_another_department_and_due_date(firm, manager):
    due_on = NOW.date() + timedelta(days=3)

    created = services.create_request(
        manager, new_request(firm, department="drc", due_on=due_on), NOW
    )

    assert (created.department.slug, created.due_on) == ("drc", due_on)


def test_a_manager_cannot_raise_a_request_for_another_sub_districts_firm(other_firm, manager):
    with pytest.raises(NotFoundError):
        services.create_request(manager, new_request(other_firm), NOW)


def test_department_staff_cannot_raise_requests(firm, finance_staff):
    with pytest.raises(ForbiddenError):
        services.create_request(finance_staff, new_request(firm), NOW)


def test_leaders_and_admins_raise_requests_for_any_firm(other_firm, leader, admin):
    for actor in (leader, admin):
        created = services.create_request(actor, new_request(other_firm), NOW)

        assert created.created_by == actor


def test_invalid_input_names_every_field_at_fault(firm, manager):
    data = new_request(
        firm,
        category="rockets",
        description=" ",
        urgency="now",
        department="nowhere",
        due_on=NOW.date() - timedelta(days=1),
        visit_id=999,
    )

    with pytest.raises(InvalidInputError) as invalid:
        services.create_request(manager, data, NOW)

    assert set(invalid.value.errors) == {
        "category",
        "description",
        "urgency",
        "department",
        "due_on",
        "visit_id",
    }


def test_an_edit_on_a_stale_version_is_refused(open_request, manager):
    edit = services.RequestEdit("改为八百万元", "high", open_request.due_on)

    with pytest.raises(StaleEditError):
        services.update_request(manager, open_request, edit, open_request.version_id - 1, NOW)


def test_an_edit_changes_the_fields_and_is_audited(open_request, manager):
    edit = services.RequestEdit("改为八百万元", "high", date(2026, 3, 20))

    services.update_request(manager, open_request, edit, open_request.version_id, NOW)

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.changes == {
        "description": ["需要五百万元流动资金贷款", "改为八百万元"],
        "urgency": ["normal", "high"],
        "due_on": ["2026-03-12", "2026-03-20"],
    }


def test_only_the_creator_or_an_admin_deletes_a_request(open_request, manager, leader, admin):
    with pytest.raises(ForbiddenError):
        services.delete_request(leader, open_request, NOW)

    services.delete_request(manager, open_request, NOW)

    assert open_request.deleted_at == NOW
    with pytest.raises(NotFoundError):
        services.get_request(admin, open_request.id)


def test_department_staff_read_only_the_requests_routed_to_them(
    open_request, finance_staff, stec_staff
):
    assert services.get_request(finance_staff, open_request.id) is open_request
    with pytest.raises(NotFoundError):
        services.get_request(stec_staff, open_request.id)


def test_the_firm_timeline_lists_its_live_requests_in_scope_and_counts_the_open_ones(
    firm, manager, stec_staff
):
    older = EnterpriseRequestFactory(enterprise=firm, raised_on=date(2026, 1, 5))
    newer = EnterpriseRequestFactory(enterprise=firm, department_slug="stec", state="accepted")
    closed = EnterpriseRequestFactory(enterprise=firm, state=RequestState.CLOSED)
    EnterpriseRequestFactory(enterprise=firm, deleted_at=NOW)
    EnterpriseRequestFactory()  # another firm's

    timeline = queries.requests_of_enterprise(manager, firm.id, limit=10)

    assert timeline == [closed, newer, older]  # newest raised first, then newest created
    assert queries.requests_of_enterprise(manager, firm.id, limit=2) == [closed, newer]
    assert queries.requests_of_enterprise(stec_staff, firm.id, limit=10) == [newer]
    assert queries.open_request_count(firm.id) == 2


def test_the_overdue_filter_uses_the_given_day(firm, manager):
    late = EnterpriseRequestFactory(enterprise=firm, due_on=date(2026, 3, 9))
    EnterpriseRequestFactory(enterprise=firm, due_on=date(2026, 3, 10))
    EnterpriseRequestFactory(enterprise=firm, due_on=date(2026, 3, 1), state="resolved")
    filters = queries.RequestFilter(is_overdue=True)

    rows = db.session.scalars(queries.request_query(manager, filters, date(2026, 3, 10))).all()

    assert rows == [late]


def test_an_admin_changes_a_route_and_the_change_is_audited(app, admin):
    routing.update_route(admin, RequestCategory.FINANCING, "drc", 7)

    suggestion = routing.suggest(RequestCategory.FINANCING, RAISED_ON)
    assert (suggestion.department.slug, suggestion.due_on) == ("drc", RAISED_ON + timedelta(7))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "category_route"))
    assert entry.changes["department"] == ["finance", "drc"]
    assert entry.changes["due_days"] == [10, 7]


def test_only_admins_change_routes_and_only_to_real_departments(app, admin, leader):
    with pytest.raises(ForbiddenError):
        routing.update_route(leader, RequestCategory.FINANCING, "drc", 7)
    with pytest.raises(InvalidInputError) as invalid:
        routing.update_route(admin, RequestCategory.FINANCING, "nowhere", 0)

    assert set(invalid.value.errors) == {"department", "due_days"}


def test_statistics_match_an_independent_count_and_median(app):
    today = date(2026, 4, 1)
    rows = [  # (department, state, raised_on, resolved after days, due_on)
        ("finance", "closed", date(2026, 1, 1), 4, date(2026, 1, 11)),
        ("finance", "closed", date(2026, 1, 1), 10, date(2026, 1, 11)),
        ("finance", "resolved", date(2026, 2, 1), 7, date(2026, 2, 11)),
        ("finance", "rejected", date(2026, 2, 1), None, date(2026, 2, 11)),
        ("finance", "open", date(2026, 3, 1), None, date(2026, 3, 11)),  # overdue
        ("finance", "in_progress", date(2026, 3, 25), None, date(2026, 4, 4)),
        ("stec", "closed", date(2026, 1, 1), 3, date(2026, 1, 6)),
    ]
    for slug, state, raised_on, days, due_on in rows:
        resolved_at = (
            datetime.combine(raised_on + timedelta(days), datetime.min.time()) if days else None
        )
        EnterpriseRequestFactory(
            department_slug=slug,
            state=state,
            raised_on=raised_on,
            due_on=due_on,
            resolved_at=resolved_at,
        )
    EnterpriseRequestFactory(department_slug="finance", state="closed", deleted_at=NOW)

    by_slug = {row.department.slug: row for row in department_stats(today)}

    finance = by_slug["finance"]
    assert (finance.total, finance.open_count, finance.overdue_count) == (6, 2, 1)
    assert finance.closure_rate == pytest.approx(2 / 6)
    assert finance.median_days_to_resolution == 7  # the middle of 4, 7 and 10
    assert by_slug["stec"].closure_rate == 1.0
    assert by_slug["stec"].median_days_to_resolution == 3
    assert by_slug["drc"].closure_rate is None
    assert by_slug["drc"].median_days_to_resolution is None


def test_the_median_of_an_even_number_of_resolutions_is_the_mean_of_the_middle_two(app):
    days = [2, 5, 9, 30]
    for number in days:
        EnterpriseRequestFactory(
            state="closed", resolved_at=datetime(2026, 3, 2, 17, 0) + timedelta(days=number)
        )

    finance = next(r for r in department_stats(date(2026, 4, 1)) if r.department.slug == "finance")

    assert finance.median_days_to_resolution == statistics.median(days) == 7


def test_a_reopened_request_counts_the_days_to_its_final_answer(
    open_request, finance_staff, manager
):
    for action, data in [("accept", StepInput()), ("start", StepInput())]:
        take_step(finance_staff, open_request, action, data, NOW)
    take_step(finance_staff, open_request, "resolve", StepInput(answer="a"), datetime(2026, 3, 4))
    take_step(manager, open_request, "reopen", StepInput(note="未放款"), datetime(2026, 3, 5))
    take_step(finance_staff, open_request, "resolve", StepInput(answer="b"), datetime(2026, 3, 12))

    finance = next(r for r in department_stats(date(2026, 4, 1)) if r.department.slug == "finance")

    assert finance.median_days_to_resolution == 10  # 2 March to 12 March


def test_a_red_flag_is_filed_once_routed_by_its_category_and_linked_to_its_visit(firm, manager):
    visit = logged(manager, firm, on_site(TODAY, RedFlag.MOVE_OUT))
    route = db.session.get(CategoryRoute, RequestCategory.SPACE)

    filed = services.file_red_flag(manager, visit, RedFlag.MOVE_OUT, NOW)
    again = services.file_red_flag(manager, visit, RedFlag.MOVE_OUT, NOW)

    assert again == filed
    assert (filed.visit, filed.red_flag) == (visit, RedFlag.MOVE_OUT)
    assert filed.department == route.department
    assert filed.description.startswith("May move out of the district within 12 months — ")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "request"))
    assert entry.changes["red_flag"] == [None, "move_out"]


def test_a_flag_the_visit_did_not_raise_cannot_be_filed(firm, manager):
    visit = logged(manager, firm, on_site(TODAY, RedFlag.MOVE_OUT))

    with pytest.raises(NotFoundError):
        services.file_red_flag(manager, visit, RedFlag.DOWNSIZING, NOW)
