from datetime import timedelta

from sqlalchemy import select

from models import EnterpriseRequest, RedFlag, Visit, db
from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import log_in
from tests.visits.helpers import TODAY, logged, on_site, phone_call, visit_form


def test_a_manager_logs_an_on_site_visit_and_sees_it(client, manager, firm):
    log_in(client, manager)

    response = client.post(f"/visits/new/{firm.id}", data=visit_form(), follow_redirects=True)

    assert response.status_code == 200
    assert "Visit saved." in response.text
    assert f'data-visit-draft-clear="visit-draft:{firm.id}"' in response.text
    assert db.session.scalar(select(Visit.summary)) == "Met the CFO."


def test_the_form_shows_the_quick_fields_first_and_folds_the_rest(client, manager, firm):
    log_in(client, manager)

    page = client.get(f"/visits/new/{firm.id}").text

    assert page.index('name="summary"') < page.index("<details")
    assert page.index('name="flag_move_out"') < page.index('name="people_met"')
    assert f'data-visit-draft="visit-draft:{firm.id}"' in page
    assert "js/visit-draft.js" in page


def test_logging_a_visit_to_another_sub_districts_firm_is_a_404(client, manager):
    elsewhere = EnterpriseFactory(sub_district_slug="jingansi")
    log_in(client, manager)

    assert client.get(f"/visits/new/{elsewhere.id}").status_code == 404
    assert client.post(f"/visits/new/{elsewhere.id}", data=visit_form()).status_code == 404


def test_missing_red_flag_answers_are_shown_on_the_form(client, manager, firm):
    log_in(client, manager)
    data = visit_form(flag_downsizing="")

    response = client.post(f"/visits/new/{firm.id}", data=data)

    assert "answer every red-flag question" in response.text
    assert db.session.scalar(select(Visit.id)) is None


def test_a_missing_summary_is_shown_under_its_field(client, manager, firm):
    log_in(client, manager)

    response = client.post(f"/visits/new/{firm.id}", data=visit_form(summary=""))

    assert "invalid-feedback" in response.text
    assert "Please correct the fields marked below." in response.text


def test_a_recent_visit_by_another_unit_is_shown_before_saving(client, manager, firm):
    leader = UserFactory(role="leader", display_name="区领导 王建国")
    logged(leader, firm, phone_call(TODAY - timedelta(days=4)))
    log_in(client, manager)

    warned = client.post(f"/visits/new/{firm.id}", data=visit_form())
    confirmed = client.post(f"/visits/new/{firm.id}", data=visit_form(confirm_duplicate="1"))

    assert "区领导 王建国" in warned.text
    assert 'name="confirm_duplicate" type="hidden" value="1"' in warned.text
    assert confirmed.status_code == 302
    assert len(db.session.scalars(select(Visit)).all()) == 2


def test_a_visit_with_red_flags_offers_to_file_requests(client, manager, firm):
    log_in(client, manager)
    data = visit_form(flag_move_out="yes", move_out_reason="lease_expiring")

    page = client.post(f"/visits/new/{firm.id}", data=data, follow_redirects=True).text

    visit = db.session.scalar(select(Visit))
    assert f'action="/visits/{visit.id}/flags/move_out/request"' in page


def test_filing_a_red_flag_twice_opens_the_one_request_it_became(client, manager, firm):
    visit = logged(manager, firm, on_site(TODAY, RedFlag.FINANCING_GAP))
    log_in(client, manager)

    first = client.post(f"/visits/{visit.id}/flags/financing_gap/request")
    second = client.post(f"/visits/{visit.id}/flags/financing_gap/request")

    filed = db.session.scalar(select(EnterpriseRequest))
    assert first.location == second.location == f"/requests/{filed.id}"
    assert (filed.visit_id, filed.red_flag) == (visit.id, RedFlag.FINANCING_GAP)


def test_a_red_flag_of_another_sub_districts_firm_is_not_found(client, manager, leader):
    elsewhere = EnterpriseFactory(sub_district_slug="jingansi")
    visit = logged(leader, elsewhere, on_site(TODAY, RedFlag.DOWNSIZING))
    log_in(client, manager)

    response = client.post(f"/visits/{visit.id}/flags/downsizing/request")

    assert response.status_code == 404
    assert db.session.scalar(select(EnterpriseRequest)) is None


def test_the_leader_sees_firms_at_risk_with_their_flags(client, manager, leader, firm):
    logged(manager, firm, on_site(TODAY, RedFlag.FINANCING_GAP))
    EnterpriseFactory(name="安全公司")
    log_in(client, leader)

    page = client.get("/visits/risks").text

    assert firm.name in page
    assert "Financing gap" in page
    assert "安全公司" not in page


def test_the_overdue_list_shows_never_visited_firms(client, manager, firm):
    log_in(client, manager)

    page = client.get("/visits/overdue").text

    assert firm.name in page
    assert "Never visited" in page


def test_a_managers_visit_list_shows_their_sub_districts_visits(client, manager, firm):
    logged(manager, firm, phone_call())
    other = EnterpriseFactory(sub_district_slug="jingansi", name="别处公司")
    logged(UserFactory(role="admin"), other, phone_call())
    log_in(client, manager)

    page = client.get("/visits/").text

    assert firm.name in page
    assert "别处公司" not in page


def test_a_visit_page_shows_its_history_and_a_follow_up_can_be_closed(client, manager, firm):
    from crm.visits.services import FollowUpInput

    action = FollowUpInput("Send the lease template", manager.username, TODAY)
    visit = logged(manager, firm, on_site(follow_ups=[action]))
    log_in(client, manager)

    page = client.get(f"/visits/{visit.id}").text
    done = client.post(f"/visits/follow-ups/{visit.follow_ups[0].id}/done", follow_redirects=True)

    assert 'id="history"' in page
    assert "Follow-up marked as done." in done.text


def test_a_stale_edit_is_refused_with_a_409(client, manager, firm):
    visit = logged(manager, firm, phone_call())
    log_in(client, manager)
    data = {"visited_on": TODAY.isoformat(), "kind": "phone", "summary": "Changed."}

    response = client.post(f"/visits/{visit.id}/edit", data=data | {"version_id": "999"})

    assert response.status_code == 409
    assert "Someone else saved this visit" in response.text


def test_an_edit_is_saved(client, manager, firm):
    visit = logged(manager, firm, phone_call())
    log_in(client, manager)
    data = {"visited_on": TODAY.isoformat(), "kind": "phone", "summary": "Changed."}

    response = client.post(
        f"/visits/{visit.id}/edit", data=data | {"version_id": str(visit.version_id)}
    )

    assert response.status_code == 302
    assert visit.summary == "Changed."


def test_the_author_deletes_a_visit_and_it_disappears(client, manager, firm):
    visit = logged(manager, firm, phone_call())
    log_in(client, manager)

    client.post(f"/visits/{visit.id}/delete")

    assert client.get(f"/visits/{visit.id}").status_code == 404
    assert firm.name not in client.get("/visits/").text


def test_a_leaders_roster_shows_the_last_contact(client, manager, leader, firm):
    firm.contact_leader = leader
    logged(manager, firm, phone_call(TODAY - timedelta(days=6)))
    log_in(client, leader)

    page = client.get("/visits/my-firms").text

    assert firm.name in page
    assert "Phone" in page


def test_a_leader_sets_a_firms_contact_leader(client, leader, firm):
    log_in(client, leader)

    response = client.post(f"/visits/contact-leader/{firm.id}", data={"leader": leader.username})

    assert response.status_code == 302
    assert firm.contact_leader == leader


def test_a_manager_may_not_set_a_contact_leader(client, manager, leader, firm):
    log_in(client, manager)

    response = client.post(f"/visits/contact-leader/{firm.id}", data={"leader": leader.username})

    assert response.status_code == 403
