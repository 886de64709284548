from datetime import date

import pytest

from crm.errors import ConflictError, InvalidInputError
from crm.listings import blockers, services
from models import ListingStage, RequestCategory, RequestState
from tests import factories
from tests.helpers import audit_entries
from tests.listings.conftest import NOW, move


def add(manager, track, **changes):
    data = blockers.BlockerInput(
        description="环保验收未完成", department="stec", due_on=date(2026, 12, 20)
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return blockers.add_blocker(manager, track, data, NOW)


def test_a_blocker_files_a_request_to_its_department_with_its_due_date(manager, track):
    blocker = add(manager, track)

    request = blocker.request
    assert request.department.slug == "stec"
    assert request.due_on == date(2026, 12, 20)
    assert request.category == RequestCategory.PERMITS
    assert request.enterprise_id == track.enterprise_id
    assert audit_entries("listing_blocker", blocker.id)
    assert audit_entries("request", request.id)


def test_a_blocker_is_resolved_when_its_request_is(manager, track):
    blocker = add(manager, track)
    assert not blockers.is_resolved(blocker.request)

    blocker.request.state = RequestState.RESOLVED
    blocker.request.resolved_at = NOW

    assert blockers.is_resolved(blocker.request)
    assert blockers.resolved_on(blocker.request) == NOW.date()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": " "}, "description"),
        ({"department": None}, "department"),
        ({"due_on": None}, "due_on"),
        ({"category": "talent"}, "category"),
    ],
)
def test_a_blocker_names_the_field_it_refuses(manager, track, changes, field):
    with pytest.raises(InvalidInputError) as refused:
        add(manager, track, **changes)

    assert field in refused.value.errors


def test_a_withdrawn_track_takes_no_blockers(manager, track):
    services.halt_track(
        manager, track, ListingStage.WITHDRAWN, move("", date(2026, 2, 1), "放弃"), 1, NOW
    )

    with pytest.raises(ConflictError):
        add(manager, track)


def test_only_the_firms_own_packages_can_be_attached(manager, firm, track):
    own = factories.PolicyPackageFactory(enterprise=firm, proposed_by=manager)
    other = factories.PolicyPackageFactory(proposed_by=manager)

    blockers.attach_package(manager, track, own.id)
    with pytest.raises(InvalidInputError):
        blockers.attach_package(manager, track, other.id)

    assert track.packages == [own]
    assert audit_entries("listing_track", track.id, "update")
