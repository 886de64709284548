"""An event's page lists only the participants the reader may open, a page at a time, and counts
its conversion over the reader's candidates."""

from crm.discovery import event_views, events
from models import EventParticipant, db
from tests import factories
from tests.discovery.helpers import candidate, event
from tests.factories import valid_uscc
from tests.helpers import log_in


def participants(page_text: str) -> str:
    return page_text.split('data-testid="participants"')[1].split("</table>")[0]


def world(leader):
    """An event with a firm and a candidate of daninglu, and the same of jingansi."""
    contest = event(leader)
    own_firm = factories.EnterpriseFactory(name="上海本街道科技有限公司", uscc=valid_uscc(710001))
    other_firm = factories.EnterpriseFactory(
        name="上海外街道科技有限公司", uscc=valid_uscc(710002), sub_district_slug="jingansi"
    )
    events.add_firm_participant(leader, contest, own_firm.uscc, "一等奖", 1)
    events.add_firm_participant(leader, contest, other_firm.uscc, "二等奖", 2)
    own = candidate(
        leader, "上海本街道候选有限公司", source_kind="competition", event_id=contest.id
    )
    other = candidate(
        leader,
        "上海外街道候选有限公司",
        sub_district="jingansi",
        source_kind="competition",
        event_id=contest.id,
    )
    return contest, own_firm, other_firm, own, other


def test_a_manager_sees_only_the_participants_of_their_sub_district(client, leader, manager):
    contest, own_firm, other_firm, own, other = world(leader)
    log_in(client, manager)

    page = client.get(f"/discovery/events/{contest.id}")

    listed = participants(page.text)
    assert own_firm.name in listed
    assert own.name in listed
    assert other_firm.name not in page.text
    assert f"/enterprises/{other_firm.id}" not in page.text
    assert other.name not in page.text
    assert 'data-testid="participants-scope"' in page.text


def test_a_leader_sees_every_participant(client, leader):
    contest, own_firm, other_firm, own, other = world(leader)
    log_in(client, leader)

    listed = participants(client.get(f"/discovery/events/{contest.id}").text)

    for name in (own_firm.name, other_firm.name, own.name, other.name):
        assert name in listed


def test_department_staff_see_their_firms_and_referrals_only(client, leader):
    contest, own_firm, other_firm, own, other = world(leader)
    staff = factories.UserFactory(role="department", department_slug="finance")
    factories.EnterpriseRequestFactory(enterprise=own_firm, department_slug="finance")
    referral = candidate(
        staff, "上海部门推荐科技有限公司", source_kind="department_referral", source_name=None
    )
    db.session.add(EventParticipant(event=contest, candidate=referral))
    db.session.flush()
    log_in(client, staff)

    listed = participants(client.get(f"/discovery/events/{contest.id}").text)

    assert own_firm.name in listed  # a request of the firm is routed to the department
    assert referral.name in listed
    for name in (other_firm.name, own.name, other.name):
        assert name not in listed


def test_the_conversion_on_the_event_page_counts_the_readers_candidates(client, leader, manager):
    contest, *_records = world(leader)
    log_in(client, manager)

    page = client.get(f"/discovery/events/{contest.id}")

    conversion = page.text.split('data-testid="event-conversion">')[1].split("</p>")[0]
    assert "Candidates: 1 " in conversion


def test_the_participants_are_paged_ranked_first(client, leader, monkeypatch):
    contest = event(leader)
    for number, rank in ((1, 2), (2, None), (3, 1)):
        firm = factories.EnterpriseFactory(
            name=f"上海名次{number}科技有限公司", uscc=valid_uscc(720000 + number)
        )
        events.add_firm_participant(leader, contest, firm.uscc, None, rank)
    monkeypatch.setattr(event_views, "PARTICIPANTS_PER_PAGE", 2)
    log_in(client, leader)

    first = client.get(f"/discovery/events/{contest.id}")
    cursor = first.text.split("after=")[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/discovery/events/{contest.id}?after={cursor}")

    shown = participants(first.text)
    assert shown.index("上海名次3科技有限公司") < shown.index("上海名次1科技有限公司")
    assert "上海名次2科技有限公司" not in shown
    assert 'data-testid="pager"' in first.text
    assert "上海名次2科技有限公司" in participants(second.text)
    assert "上海名次1科技有限公司" not in participants(second.text)


def test_a_forged_participant_cursor_answers_400(client, leader):
    contest = event(leader)
    log_in(client, leader)

    assert client.get(f"/discovery/events/{contest.id}?after=bm9wZQ").status_code == 400
