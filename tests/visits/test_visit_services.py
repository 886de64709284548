from datetime import timedelta

import pytest
from sqlalchemy import select

from crm.errors import ForbiddenError, InvalidInputError, NotFoundError, StaleEditError
from crm.visits import queries, services
from crm.visits.services import FollowUpInput
from models import AuditEntry, RedFlag, Visit, db
from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import audit_entries
from tests.visits.helpers import NOW, TODAY, answers, logged, on_site, phone_call


def test_an_on_site_visit_without_red_flag_answers_is_refused(manager, firm):
    data = on_site(red_flags_asked=False, red_flags={})

    with pytest.raises(InvalidInputError) as refused:
        logged(manager, firm, data)

    assert "red_flags" in refused.value.errors


def test_an_on_site_visit_missing_one_answer_is_refused(manager, firm):
    partial = answers()
    del partial[RedFlag.DOWNSIZING.value]

    with pytest.raises(InvalidInputError) as refused:
        logged(manager, firm, on_site(red_flags=partial))

    assert "red_flags" in refused.value.errors


def test_a_move_out_flag_needs_its_reason(manager, firm):
    data = on_site(TODAY, RedFlag.MOVE_OUT, red_flags=answers(RedFlag.MOVE_OUT))

    with pytest.raises(InvalidInputError) as refused:
        logged(manager, firm, data)

    assert "move_out_reason" in refused.value.errors


def test_a_phone_call_needs_no_red_flags(manager, firm):
    visit = logged(manager, firm, phone_call())

    assert visit.red_flags_asked is False
    assert visit.participants == [manager]


def test_a_raised_flag_marks_the_firm_at_risk_on_the_visit_date(manager, firm):
    logged(manager, firm, on_site(TODAY - timedelta(days=3), RedFlag.FINANCING_GAP))

    assert firm.risk_flagged_on == TODAY - timedelta(days=3)


def test_a_later_on_site_visit_without_flags_clears_the_marker(manager, firm):
    logged(manager, firm, on_site(TODAY - timedelta(days=20), RedFlag.MOVE_OUT))

    logged(manager, firm, on_site(TODAY))

    assert firm.risk_flagged_on is None


def test_a_phone_call_does_not_clear_the_marker(manager, firm):
    logged(manager, firm, on_site(TODAY - timedelta(days=20), RedFlag.DOWNSIZING))

    logged(manager, firm, phone_call(TODAY))

    assert firm.risk_flagged_on == TODAY - timedelta(days=20)


def test_deleting_the_flagging_visit_clears_the_marker(manager, firm):
    visit = logged(manager, firm, on_site(TODAY, RedFlag.DOWNSIZING))

    services.delete_visit(manager, visit, NOW)

    assert firm.risk_flagged_on is None


def test_another_users_visit_within_30_days_asks_for_confirmation(manager, firm):
    colleague = UserFactory(role="leader")
    earlier = logged(colleague, firm, phone_call(TODAY - timedelta(days=12)))

    with pytest.raises(services.DuplicateVisitError) as warning:
        logged(manager, firm, on_site(TODAY), confirm=False)

    assert warning.value.recent == [earlier]


@pytest.mark.parametrize(
    ("by_self", "days_before", "confirm"),
    [
        (False, 12, True),  # a duplicate, confirmed
        (True, 5, False),  # one's own recent visit is no duplicate
        (False, 45, False),  # another user's visit older than 30 days is none either
    ],
)
def test_a_visit_is_saved_when_confirmed_or_no_duplicate(
    manager, firm, by_self, days_before, confirm
):
    earlier_author = manager if by_self else UserFactory(role="leader")
    logged(earlier_author, firm, phone_call(TODAY - timedelta(days=days_before)))

    visit = logged(manager, firm, on_site(TODAY), confirm=confirm)

    assert visit.id is not None


@pytest.mark.parametrize(
    ("owner", "due", "message"),
    [(None, TODAY, "choose an owner"), ("self", None, "enter a due date")],
)
def test_a_follow_up_needs_an_owner_and_a_due_date(manager, firm, owner, due, message):
    action = FollowUpInput("Send the lease template", manager.username if owner else None, due)

    with pytest.raises(InvalidInputError) as refused:
        logged(manager, firm, on_site(follow_ups=[action]))

    assert message in " ".join(refused.value.errors["follow_ups"])


def test_a_complete_follow_up_is_saved_and_audited(manager, firm):
    action = FollowUpInput("Send the lease template", manager.username, TODAY + timedelta(days=7))

    visit = logged(manager, firm, on_site(follow_ups=[action]))

    assert [f.description for f in visit.follow_ups] == ["Send the lease template"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "follow_up"))
    assert entry is not None
    assert entry.action == "create"


def test_a_visit_cannot_be_in_the_future(manager, firm):
    with pytest.raises(InvalidInputError) as refused:
        logged(manager, firm, on_site(TODAY + timedelta(days=1)))

    assert "visited_on" in refused.value.errors


def test_an_edit_from_a_stale_version_is_refused(manager, firm):
    visit = logged(manager, firm, phone_call())
    seen = visit.version_id
    services.update_visit(manager, visit, phone_call(TODAY - timedelta(days=1)), seen, NOW)

    with pytest.raises(StaleEditError):
        services.update_visit(manager, visit, phone_call(TODAY - timedelta(days=2)), seen, NOW)


def test_an_edit_is_audited_with_its_changes(manager, firm):
    visit = logged(manager, firm, on_site(TODAY, RedFlag.MOVE_OUT))

    services.update_visit(manager, visit, on_site(TODAY), visit.version_id, NOW)

    entries = audit_entries("visit")
    assert [entry.action for entry in entries] == ["create", "update"]
    assert entries[1].changes["red_flags"] == [["move_out:courted"], []]
    assert firm.risk_flagged_on is None


def test_only_the_author_or_an_admin_deletes_a_visit(manager, firm):
    visit = logged(manager, firm, phone_call())
    colleague = UserFactory(role="manager", sub_district_slug="daninglu")

    with pytest.raises(ForbiddenError):
        services.delete_visit(colleague, visit, NOW)


def test_a_deleted_visit_is_hidden_and_its_deletion_audited(manager, firm):
    visit = logged(manager, firm, phone_call())

    services.delete_visit(manager, visit, NOW)

    assert queries.visits_of_enterprise(manager, firm.id, limit=10) == []
    assert queries.last_visit_on(firm.id) is None
    with pytest.raises(NotFoundError):
        services.get_visit(manager, visit.id)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == visit.id))
    assert "delete" in list(actions)


def test_a_follow_up_is_marked_done_once_and_audited(manager, firm):
    action = FollowUpInput("Call the landlord", manager.username, TODAY + timedelta(days=3))
    follow_up = logged(manager, firm, on_site(follow_ups=[action])).follow_ups[0]

    services.complete_follow_up(manager, follow_up.id, NOW)

    assert follow_up.done_at == NOW
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_type == "follow_up", AuditEntry.action == "update"
        )
    )
    assert entry is not None


def test_a_leader_sets_a_contact_leader_and_it_is_audited(leader, firm):
    services.set_contact_leader(leader, firm, leader.username)

    assert firm.contact_leader == leader
    assert db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_type == "enterprise", AuditEntry.entity_id == firm.id
        )
    )


def test_a_manager_cannot_set_a_contact_leader(manager, leader, firm):
    with pytest.raises(ForbiddenError):
        services.set_contact_leader(manager, firm, leader.username)


def test_only_a_leader_can_be_a_contact_leader(admin, manager, firm):
    with pytest.raises(InvalidInputError):
        services.set_contact_leader(admin, firm, manager.username)


def test_the_roster_lists_each_firm_with_its_latest_visit(leader, manager, firm):
    quiet = EnterpriseFactory(contact_leader=leader)
    firm.contact_leader = leader
    logged(manager, firm, phone_call(TODAY - timedelta(days=40)))
    latest = logged(manager, firm, phone_call(TODAY - timedelta(days=2)))

    roster = dict(queries.page_of_roster(leader, per_page=10)[0])

    assert roster == {firm: latest, quiet: None}


def test_the_overdue_list_puts_never_visited_firms_first(manager, firm):
    never = EnterpriseFactory(name="从未走访公司")
    recent = EnterpriseFactory(name="最近走访公司")
    logged(manager, firm, phone_call(TODAY - timedelta(days=90)))
    logged(manager, recent, phone_call(TODAY - timedelta(days=3)))

    rows = queries.overdue_firms(manager, TODAY, limit=10)

    assert [(row.enterprise, row.days_since) for row in rows] == [
        (never, None),
        (firm, 90),
        (recent, 3),
    ]


def test_the_overdue_list_keeps_to_the_managers_sub_district(manager, firm):
    EnterpriseFactory(sub_district_slug="jingansi")

    rows = queries.overdue_firms(manager, TODAY, limit=10)

    assert [row.enterprise for row in rows] == [firm]


def test_the_timeline_lists_a_firms_visits_newest_first(manager, firm):
    older = logged(manager, firm, phone_call(TODAY - timedelta(days=9)))
    newer = logged(manager, firm, phone_call(TODAY - timedelta(days=1)))

    assert queries.visits_of_enterprise(manager, firm.id, limit=10) == [newer, older]
    assert queries.visits_of_enterprise(manager, firm.id, limit=1) == [newer]
    assert queries.last_visit_on(firm.id) == TODAY - timedelta(days=1)


def test_the_visit_list_of_a_manager_leaves_out_other_sub_districts(manager, firm):
    other = EnterpriseFactory(sub_district_slug="jingansi")
    mine = logged(manager, firm, phone_call())
    logged(UserFactory(role="admin"), other, phone_call())

    rows = db.session.scalars(queries.visit_query(manager, queries.VisitFilter())).all()

    assert list(rows) == [mine]


def test_a_visit_stays_out_of_the_database_when_a_duplicate_is_not_confirmed(manager, firm):
    logged(UserFactory(role="leader"), firm, phone_call(TODAY))

    with pytest.raises(services.DuplicateVisitError):
        logged(manager, firm, phone_call(TODAY), confirm=False)
    db.session.flush()

    assert db.session.scalar(select(Visit.id).where(Visit.created_by_id == manager.id)) is None
