"""Request pages: the inbox, raising with a routing suggestion, the detail page and its steps."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from crm.clock import today
from models import CategoryRoute, EnterpriseRequest, RequestCategory, RequestState, db
from tests.factories import EnterpriseRequestFactory
from tests.helpers import log_in


def test_department_staff_see_their_inbox_and_nothing_else(client, firm, finance_staff):
    EnterpriseRequestFactory(enterprise=firm, description="融资需求甲")
    EnterpriseRequestFactory(enterprise=firm, department_slug="stec", description="科技需求乙")
    log_in(client, finance_staff)

    page = client.get("/requests/").text

    assert "融资需求甲" in page
    assert "科技需求乙" not in page


def test_the_inbox_colours_each_state_even_though_the_menu_counts_badges_too(
    client, firm, finance_staff
):
    # The layout once named its menu counts `badges`, hiding the page's state colours.
    EnterpriseRequestFactory(enterprise=firm)
    log_in(client, finance_staff)

    page = client.get("/requests/").text

    assert 'class="badge text-bg-' in page.split('data-testid="state"')[0].rsplit("<span", 1)[1]


def test_another_departments_request_page_is_not_found(client, open_request, stec_staff):
    log_in(client, stec_staff)

    response = client.get(f"/requests/{open_request.id}")

    assert response.status_code == 404


def test_department_staff_read_the_firm_of_a_request_routed_to_them_but_no_other_firm(
    client, open_request, other_firm, finance_staff
):
    log_in(client, finance_staff)

    assert client.get(f"/enterprises/{open_request.enterprise_id}").status_code == 200
    assert client.get(f"/enterprises/{other_firm.id}").status_code == 404


def test_overdue_requests_are_flagged_in_the_list(client, firm, manager):
    EnterpriseRequestFactory(enterprise=firm, due_on=today() - timedelta(days=1))
    EnterpriseRequestFactory(enterprise=firm, due_on=today() + timedelta(days=1))
    log_in(client, manager)

    page = client.get("/requests/").text

    assert page.count('data-testid="overdue"') == 1


def test_the_create_page_pre_fills_the_firm_and_suggests_the_route(client, firm, manager):
    route = db.session.get(CategoryRoute, RequestCategory.OTHER)
    log_in(client, manager)

    page = client.get(f"/requests/new?enterprise_id={firm.id}").text

    assert firm.name in page
    assert f'<option selected value="{route.department.slug}">' in page
    assert (today() + timedelta(days=route.due_days)).isoformat() in page
    assert 'data-testid="route-suggestion"' in page


def permits_request(firm) -> dict[str, object]:
    """The request form as a manager posts it: a permit, for the DRC, due in 30 days."""
    return {
        "enterprise_id": firm.id,
        "category": "permits",
        "description": "消防验收排期",
        "urgency": "high",
        "department": "drc",
        "due_on": (today() + timedelta(days=30)).isoformat(),
    }


def test_a_manager_raises_a_request_through_the_form(client, firm, manager):
    log_in(client, manager)

    response = client.post("/requests/new", data=permits_request(firm))

    created = db.session.scalar(select(EnterpriseRequest))
    assert response.status_code == 302
    assert response.location.endswith(f"/requests/{created.id}")
    assert (created.department.slug, created.due_on) == ("drc", today() + timedelta(days=30))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Record created", "Category:", "Permits and approvals", "Urgency:", "High"]),
        ("zh_CN", ["新建", "类别：", "证照审批", "紧急程度：", "高"]),
    ],
)
def test_the_request_pages_history_reads_in_words(client, firm, manager, language, words):
    log_in(client, manager)
    client.post(f"/language/{language}")
    client.post("/requests/new", data=permits_request(firm))
    created = db.session.scalar(select(EnterpriseRequest))

    page = client.get(f"/requests/{created.id}")
    history = page.text[page.text.index('data-testid="history"') :]

    assert all(word in history for word in words), words
    assert "category:" not in history
    assert "<code>create</code>" not in history


def test_a_manager_cannot_raise_a_request_for_another_firm_through_the_form(
    client, other_firm, manager
):
    log_in(client, manager)
    form = {"enterprise_id": other_firm.id, "category": "other", "description": "x"}

    response = client.post(
        "/requests/new",
        data={**form, "department": "stec", "due_on": (today() + timedelta(days=30)).isoformat()},
    )

    assert response.status_code == 200  # the firm is not among the choices
    assert db.session.scalar(select(EnterpriseRequest)) is None


def test_the_create_page_lists_only_the_chosen_firm_and_searches_the_scope(
    client, firm, other_firm, manager
):
    """At district scale the firm select cannot hold the scope: it holds the chosen firm, and the
    page's own search (the fallback without JavaScript) finds the others within scope."""
    log_in(client, manager)

    blank = client.get("/requests/new").text
    chosen = client.get(f"/requests/new?enterprise_id={firm.id}").text
    found = client.get("/requests/new?q=上海").text
    outside = client.get(f"/requests/new?enterprise_id={other_firm.id}").text

    assert f'value="{firm.id}"' not in blank
    assert f'<option selected value="{firm.id}">{firm.name}</option>' in chosen
    assert f"/requests/new?enterprise_id={firm.id}" in found
    assert other_firm.name not in found
    assert f'value="{other_firm.id}"' not in outside


def test_the_detail_page_shows_the_steps_this_user_may_take(client, open_request, finance_staff):
    log_in(client, finance_staff)

    page = client.get(f"/requests/{open_request.id}").text

    assert 'name="action" value="accept"' in page
    assert 'name="action" value="reject"' in page
    assert 'name="action" value="close"' not in page


def test_a_step_through_the_page_moves_the_request_on(client, open_request, finance_staff):
    log_in(client, finance_staff)

    response = client.post(f"/requests/{open_request.id}/steps", data={"action": "accept"})

    assert response.status_code == 302
    db.session.refresh(open_request)
    assert open_request.state == RequestState.ACCEPTED
    assert "Accepted" in client.get(f"/requests/{open_request.id}").text


def test_a_step_not_allowed_from_the_state_answers_409_on_the_page(
    client, open_request, finance_staff
):
    log_in(client, finance_staff)

    response = client.post(
        f"/requests/{open_request.id}/steps", data={"action": "resolve", "answer": "已办结"}
    )

    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.text


def test_a_role_not_allowed_to_take_a_step_answers_403(client, open_request, leader):
    log_in(client, leader)

    response = client.post(f"/requests/{open_request.id}/steps", data={"action": "accept"})

    assert response.status_code == 403


def test_resolving_without_an_answer_answers_422_and_marks_the_field(
    client, open_request, finance_staff
):
    open_request.state = RequestState.IN_PROGRESS
    log_in(client, finance_staff)

    response = client.post(f"/requests/{open_request.id}/steps", data={"action": "resolve"})

    assert response.status_code == 422
    assert "This field is required." in response.text


def test_a_stale_edit_answers_409_with_a_message(client, open_request, manager):
    log_in(client, manager)
    form = {"description": "新描述", "urgency": "low", "due_on": "2026-03-30"}

    response = client.post(
        f"/requests/{open_request.id}/edit",
        data={**form, "version_id": str(open_request.version_id + 5)},
    )

    assert response.status_code == 409
    assert "Someone else changed this request" in response.text


def test_the_creator_deletes_a_request_and_it_disappears(client, open_request, manager):
    log_in(client, manager)

    response = client.post(f"/requests/{open_request.id}/delete")

    assert response.status_code == 302
    assert client.get(f"/requests/{open_request.id}").status_code == 404


def test_the_routes_page_is_for_admins_and_an_edit_is_saved(client, admin, manager):
    log_in(client, manager)
    assert client.get("/requests/routes").status_code == 403
    log_in(client, admin)

    response = client.post("/requests/routes/policy", data={"department": "drc", "due_days": "8"})

    route = db.session.get(CategoryRoute, RequestCategory.POLICY)
    assert response.status_code == 302
    assert (route.department.slug, route.due_days) == ("drc", 8)


@pytest.mark.parametrize(("role", "status"), [("leader", 200), ("manager", 403)])
def test_the_statistics_page_is_for_leaders(client, leader, manager, role, status):
    log_in(client, leader if role == "leader" else manager)

    response = client.get("/requests/stats")

    assert response.status_code == status
    if status == 200:
        assert "Closure rate" in response.text
