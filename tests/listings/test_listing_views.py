from datetime import date

from crm.listings import blockers, services
from models import ListingStage, ListingTrack, db
from tests import factories
from tests.helpers import log_in
from tests.listings.conftest import NOW, move, open_for


def test_the_firm_page_offers_to_open_a_track_and_then_shows_it(logged_in, manager, firm):
    page = logged_in.get(f"/enterprises/{firm.id}")
    assert "open-listing-track" in page.text

    answer = logged_in.post(
        f"/listings/new?enterprise_id={firm.id}",
        data={"board": "star_market", "stage": "sponsor_signed", "stage_since": "2026-06-01"},
    )

    track = db.session.scalar(db.select(ListingTrack))
    assert answer.status_code == 302
    assert track.stage == ListingStage.SPONSOR_SIGNED
    page = logged_in.get(f"/enterprises/{firm.id}")
    assert "listing-panel" in page.text
    assert "Tutoring filed" in page.text  # the next step


def test_a_step_in_the_future_is_a_form_error(logged_in, manager, firm):
    track = open_for(manager, firm)
    db.session.commit()

    answer = logged_in.post(
        f"/listings/{track.id}/advance",
        data={"stage": "inquiry", "on": "2099-01-01", "version_id": "1"},
    )

    assert answer.status_code == 422
    assert "This day has not come yet." in answer.text


def test_a_stale_form_answers_409(logged_in, manager, firm):
    track = open_for(manager, firm)
    db.session.commit()

    answer = logged_in.post(
        f"/listings/{track.id}/advance",
        data={"stage": "inquiry", "on": "2026-05-01", "version_id": "5"},
    )

    assert answer.status_code == 409


def test_another_sub_districts_manager_gets_404_on_the_track_page(client, manager, firm):
    track = open_for(manager, firm)
    stranger = factories.UserFactory(role="manager", sub_district_slug="linfenlu")
    log_in(client, stranger)

    assert client.get(f"/listings/{track.id}").status_code == 404
    assert client.post(f"/listings/{track.id}/advance", data={}).status_code == 404
    assert track.enterprise.name not in client.get("/listings/").text


def test_department_staff_see_a_track_only_through_their_blocker(client, manager, firm):
    track = open_for(manager, firm)
    staff = factories.UserFactory(role="department", department_slug="stec")
    log_in(client, staff)
    assert client.get(f"/listings/{track.id}").status_code == 404

    data = blockers.BlockerInput("知识产权纠纷", "stec", date(2026, 12, 30))
    blockers.add_blocker(manager, track, data, NOW)
    db.session.commit()

    assert client.get(f"/listings/{track.id}").status_code == 200
    assert client.post(f"/listings/{track.id}/advance", data={}).status_code == 403


def test_the_request_a_blocker_filed_leads_back_to_its_track(client, manager, firm):
    track = open_for(manager, firm, stage="inquiry")
    data = blockers.BlockerInput("募投项目环评批复尚未取得", "stec", date(2026, 12, 30))
    blocker = blockers.add_blocker(manager, track, data, NOW)
    db.session.commit()
    log_in(client, manager)

    page = client.get(f"/requests/{blocker.request_id}").text
    followed = client.get(f"/listings/blockers/{blocker.id}")

    assert 'data-testid="listing-track-link"' in page
    assert "Inquiry" in page
    assert followed.headers["Location"].endswith(f"/listings/{track.id}#blocker-{blocker.id}")


def test_a_leader_sees_the_funnel_and_the_forecast(client, leader, manager, firm):
    open_for(manager, firm, stage="approved", since=date(2026, 11, 1))
    log_in(client, leader)

    page = client.get("/listings/funnel")

    assert page.status_code == 200
    assert 'data-testid="forecast"' in page.text
    assert "Typical course" in page.text


def test_a_manager_cannot_see_the_funnel(logged_in):
    assert logged_in.get("/listings/funnel").status_code == 403


def test_the_list_exports_csv(client, leader, manager, firm):
    open_for(manager, firm)
    log_in(client, leader)

    answer = client.get("/listings/export?format=csv")

    assert answer.status_code == 200
    assert firm.name in answer.get_data(as_text=True)


def test_the_open_form_and_the_list_render_for_a_manager(logged_in, manager, firm):
    form = logged_in.get(f"/listings/new?enterprise_id={firm.id}")
    open_for(manager, firm, stage="inquiry")

    listing = logged_in.get("/listings/?stage=inquiry")

    assert form.status_code == 200
    assert firm.name in listing.text
    assert logged_in.get(f"/listings/new?enterprise_id={firm.id}").status_code == 302


def test_the_list_shows_the_tracks_on_their_way_unless_every_stage_is_asked_for(
    logged_in, manager, firm
):
    listed_firm = factories.EnterpriseFactory(name="上海早已上市科技股份有限公司")
    track = open_for(manager, listed_firm, stage="approved")
    services.advance_track(manager, track, move("listed", date(2025, 6, 1)), track.version_id, NOW)
    open_for(manager, firm, stage="inquiry")
    db.session.commit()

    default = logged_in.get("/listings/").text
    every = logged_in.get("/listings/?stage=").text
    exported = logged_in.get("/listings/export?format=csv&stage=").get_data(as_text=True)

    assert firm.name in default
    assert listed_firm.name not in default
    assert listed_firm.name in every
    assert listed_firm.name in exported
    assert 'href="/listings/export?format=csv&amp;stage=on_the_way"' in default


def test_editing_the_board_saves_and_a_stale_edit_is_refused(logged_in, manager, firm):
    track = open_for(manager, firm)
    db.session.commit()
    page = logged_in.get(f"/listings/{track.id}")
    assert 'data-testid="edit-form"' in page.text

    saved = logged_in.post(
        f"/listings/{track.id}/edit", data={"board": "beijing", "version_id": "1"}
    )
    stale = logged_in.post(
        f"/listings/{track.id}/edit", data={"board": "chinext", "version_id": "1"}
    )

    db.session.expire_all()
    assert saved.status_code == 302
    assert stale.status_code == 409
    assert db.session.get(ListingTrack, track.id).board.value == "beijing"
