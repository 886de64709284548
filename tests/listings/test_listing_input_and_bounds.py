"""Ids typed into the listing pages, the bounded choice of packages, and links to deleted tracks."""

from datetime import date

import pytest

from crm.listings import blockers
from crm.listings.panel import request_listing
from models import db
from tests import factories
from tests.listings.conftest import NOW, open_for

HUGE = "99999999999999999999"  # past any database id: an overflow in the driver if queried


@pytest.mark.parametrize("raw", [HUGE, "²", "①", "-3", ""])
def test_a_firm_id_that_is_no_id_is_404_on_opening_a_track(logged_in, raw):
    answer = logged_in.get("/listings/new", query_string={"enterprise_id": raw})

    assert answer.status_code == 404


@pytest.mark.parametrize("raw", [HUGE, "²", "", "0"])
def test_a_package_id_that_is_no_id_is_a_field_error(logged_in, manager, firm, raw):
    track = open_for(manager, firm)
    factories.PolicyPackageFactory(enterprise=firm, proposed_by=manager)
    db.session.commit()

    answer = logged_in.post(f"/listings/{track.id}/packages", data={"package_id": raw})

    assert answer.status_code == 422
    assert "Choose one of this firm&#39;s packages." in answer.text


def test_a_refused_package_shows_its_error_when_none_is_left_to_attach(logged_in, manager, firm):
    track = open_for(manager, firm)
    db.session.commit()

    answer = logged_in.post(f"/listings/{track.id}/packages", data={"package_id": "5"})

    assert answer.status_code == 422
    assert "Choose one of this firm&#39;s packages." in answer.text


def test_the_packages_to_attach_are_the_firms_newest_few(manager, firm):
    track = open_for(manager, firm)
    packages = [
        factories.PolicyPackageFactory(enterprise=firm, proposed_by=manager)
        for _ in range(blockers.ATTACHABLE_SHOWN + 1)
    ]
    db.session.flush()

    shown = blockers.attachable_packages(track)

    assert len(shown) == blockers.ATTACHABLE_SHOWN
    newest = sorted(packages, key=lambda p: (p.proposed_at, p.id), reverse=True)
    assert [p.id for p in shown] == [p.id for p in newest[: blockers.ATTACHABLE_SHOWN]]


@pytest.mark.parametrize("deleted", ["track", "firm"])
def test_a_request_does_not_link_to_a_deleted_track(manager, firm, deleted):
    track = open_for(manager, firm)
    data = blockers.BlockerInput("消防验收备案", "construction", date(2026, 12, 30))
    blocker = blockers.add_blocker(manager, track, data, NOW)
    assert request_listing(manager, blocker.request) is not None

    (track if deleted == "track" else firm).deleted_at = NOW
    db.session.flush()

    assert request_listing(manager, blocker.request) is None
