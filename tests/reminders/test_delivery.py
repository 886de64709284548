"""E-mail through a real SMTP server on 127.0.0.1, in each user's language; the leaders' digest."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crm.reminders.digest import build_digest, send_weekly_digest
from crm.reminders.inbox import describe
from crm.reminders.mailing import claim, deliver_new
from models import (
    Designation,
    Enterprise,
    EnterpriseStatus,
    Reminder,
    ReminderState,
    Tier,
    db,
)
from tests import factories
from tests.factories import EnterpriseRequestFactory
from tests.helpers import log_visit, reminder_settings, scan_on

# The scan and the scheduler read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database

TODAY = date(2026, 8, 3)
NOW = datetime(2026, 8, 3, 9, 0)


def late_visit_scanned(manager, candidate) -> None:
    """The manager, who has an address, is reminded of the candidate's visit, due since June."""
    manager.email = "manager@example.com"
    log_visit(candidate, date(2026, 5, 4), manager)
    scan_on(TODAY)


def test_each_person_gets_one_mail_in_their_language(app, smtp_server, manager, leader, candidate):
    manager.email, manager.locale = "manager@example.com", "en"
    leader.email, leader.locale = "leader@example.com", "zh_CN"
    log_visit(candidate, date(2026, 5, 4), manager)
    scan_on(TODAY)  # the visit is two months late: the manager's and the leader's reminders

    delivery = deliver_new(TODAY, NOW)

    assert delivery.sent == 2
    assert delivery.failed == 0
    by_address = {message["To"]: message for message in smtp_server.messages()}
    english, chinese = by_address["manager@example.com"], by_address["leader@example.com"]
    assert english["Subject"] == "1 new reminder"
    assert "Visit due: 上海候选独角兽科技有限公司" in english.get_content()
    assert f"http://127.0.0.1:5000/visits/new/{candidate.id}" in english.get_content()
    assert chinese["Subject"] == "1 条新提醒"
    # The leader's escalation is rolled up: the sub-district's reminder, the firm listed inside.
    rollup = db.session.scalars(select(Reminder).where(Reminder.rule == "visit_escalated")).one()
    assert "大宁路街道" in chinese.get_content()
    assert "· 上海候选独角兽科技有限公司" in chinese.get_content()
    assert f"http://127.0.0.1:5000/reminders/{rollup.id}" in chinese.get_content()


def test_a_reminder_is_mailed_once(app, smtp_server, manager, candidate):
    late_visit_scanned(manager, candidate)
    deliver_new(TODAY, NOW)
    scan_on(TODAY)

    again = deliver_new(TODAY, NOW)

    assert again.sent == 0
    assert len(smtp_server.envelopes) == 1
    assert smtp_server.envelopes[0].rcpt_tos == ["manager@example.com"]


def test_a_refused_connection_leaves_the_reminder_to_mail_next_time(app, manager, candidate):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT_SECONDS=2)
    late_visit_scanned(manager, candidate)

    delivery = deliver_new(TODAY, NOW)

    assert (delivery.sent, delivery.failed) == (0, 1)
    assert db.session.scalar(select(func.count()).where(Reminder.mailed_at.is_(None))) == 1


def test_without_a_mail_server_mails_go_to_the_folder(app, tmp_path, manager, candidate):
    app.config.update(MAIL_SERVER="", MAIL_FOLDER=str(tmp_path / "mail"))
    late_visit_scanned(manager, candidate)

    deliver_new(TODAY, NOW)

    (written,) = (tmp_path / "mail").iterdir()
    assert written.suffix == ".eml"
    assert "manager@example.com" in written.read_text(encoding="utf-8")


def test_snoozed_reminders_are_not_mailed_until_they_wake(app, smtp_server, manager, candidate):
    late_visit_scanned(manager, candidate)
    reminder = db.session.scalars(select(Reminder)).one()
    reminder.snoozed_until = TODAY + timedelta(days=3)

    assert deliver_new(TODAY, NOW).sent == 0


# The weekly digest ----------------------------------------------------------------------------


def _digest_world(manager, leader):
    """Firms of each kind, counted independently below."""
    factories.EnterpriseFactory(tier=Tier.CANDIDATE, manager=manager)
    factories.EnterpriseFactory(tier=Tier.NEW_TRACK, manager=manager, sub_district_slug="jingansi")
    factories.EnterpriseFactory(tier=Tier.TECH_BASED)
    closed = factories.EnterpriseFactory(tier=Tier.CANDIDATE, status=EnterpriseStatus.CLOSED)
    unicorn = factories.EnterpriseFactory(tier=Tier.ACHIEVED)
    for firm, designation in ((unicorn, Designation.UNICORN), (closed, Designation.LISTED)):
        factories.EnterpriseDesignationFactory(enterprise=firm, designation=designation)
    EnterpriseRequestFactory(created_by=manager, due_on=TODAY - timedelta(days=1))
    EnterpriseRequestFactory(created_by=manager, due_on=TODAY + timedelta(days=1))
    db.session.flush()


def test_digest_figures_match_an_independent_count(app, manager, leader):
    _digest_world(manager, leader)

    digest = build_digest(TODAY, reminder_settings())

    firms = db.session.scalars(
        select(Enterprise).where(Enterprise.status == EnterpriseStatus.ACTIVE)
    ).all()
    order = list(Tier)
    expected = {
        "Unicorn and hidden-champion firms": sum(
            1
            for f in firms
            if {
                Designation.UNICORN,
                Designation.HIDDEN_CHAMPION,
                Designation.SINGLE_ITEM_CHAMPION,
            }
            & set(f.designations)
        ),
        "High-quality new-track tech firms": sum(
            1 for f in firms if order.index(f.tier) >= order.index(Tier.NEW_TRACK)
        ),
        "Tech-based firms": sum(
            1 for f in firms if order.index(f.tier) >= order.index(Tier.TECH_BASED)
        ),
        "Incubated firms": sum(1 for f in firms if Designation.INCUBATED in f.designations),
        "Listed companies": sum(1 for f in firms if Designation.LISTED in f.designations),
        "PCT patent applications a year": 0,  # no figures in this world
        "Blockchain application scenarios": 0,
    }
    assert {row.target.title_en: row.value for row in digest.targets} == expected
    assert expected == {
        "Unicorn and hidden-champion firms": 1,
        "High-quality new-track tech firms": 3,
        "Tech-based firms": 4,
        "Incubated firms": 0,
        "Listed companies": 0,
        "PCT patent applications a year": 0,
        "Blockchain application scenarios": 0,
    }
    # None visited, all created 2026-01-05: by August every operating firm is past its cadence
    # (30, 91 or 182 days) except the reservoir firms the requests were raised by (365 days).
    late = {sub.slug: count for sub, count in digest.overdue_visits if count}
    assert late == {"daninglu": 3, "jingansi": 1}
    assert {dept.slug: count for dept, count in digest.overdue_requests if count} == {"finance": 1}


def test_weekly_digest_reaches_every_leader_once(app, smtp_server, manager, leader):
    leader.email, leader.locale = "leader@example.com", "en"
    second = factories.UserFactory(role="leader", email="second@example.com", locale="zh_CN")
    _digest_world(manager, leader)

    assert send_weekly_digest(TODAY, NOW, reminder_settings()) == 2
    assert (
        send_weekly_digest(TODAY, NOW, reminder_settings()) == 0
    )  # the job ran twice: no second mail

    subjects = sorted(message["Subject"] for message in smtp_server.messages())
    assert subjects == ["Cultivate weekly digest, Aug 3, 2026", "企业培育 每周简报，2026年8月3日"]
    english = next(m for m in smtp_server.messages() if m["To"] == "leader@example.com")
    assert "Tech-based firms: 4 / 1,000" in english.get_content()
    assert "Finance Bureau: 1" in english.get_content()
    inbox = db.session.scalars(select(Reminder).where(Reminder.rule == "weekly_digest")).all()
    assert sorted(r.recipient_id for r in inbox) == sorted([leader.id, second.id])


def test_next_weeks_digest_replaces_this_weeks_in_the_inbox(app, leader):
    send_weekly_digest(TODAY, NOW, reminder_settings())
    send_weekly_digest(TODAY + timedelta(days=7), NOW + timedelta(days=7), reminder_settings())

    states = dict(
        db.session.execute(
            select(Reminder.due_on, Reminder.state).where(Reminder.rule == "weekly_digest")
        ).all()
    )
    assert states == {TODAY: ReminderState.CLOSED, TODAY + timedelta(days=7): ReminderState.OPEN}


def test_a_reminder_claimed_by_another_process_is_not_mailed_again(
    app, smtp_server, manager, candidate
):
    late_visit_scanned(manager, candidate)
    reminder = db.session.scalars(select(Reminder)).one()

    assert claim([reminder.id], NOW) == {reminder.id}  # the other process won it
    assert claim([reminder.id], NOW) == set()
    assert deliver_new(TODAY, NOW).sent == 0
    assert smtp_server.envelopes == []


def test_a_snooze_that_ended_is_mailed_and_listed_again(app, smtp_server, manager, candidate):
    late_visit_scanned(manager, candidate)
    reminder = db.session.scalars(select(Reminder)).one()
    reminder.snoozed_until = TODAY - timedelta(days=1)

    assert deliver_new(TODAY, NOW).sent == 1
    with app.test_request_context():
        (item,) = describe([reminder], TODAY)
    assert not item.is_snoozed
