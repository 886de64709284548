"""Duplicates are found across the whole reservoir, but a record the reader may not open is
shown without its name, code or link; a manager links a candidate only to a firm they may read."""

import pytest

from crm.discovery import screening
from crm.discovery.importing import IntakeSource, intake_file
from crm.discovery.names import find_duplicates, visible_duplicates
from crm.errors import InvalidInputError
from models import CandidateState, EventParticipant, SourceKind, db
from tests import factories
from tests.discovery.helpers import NOW, candidate, event
from tests.factories import valid_uscc
from tests.helpers import bearer, log_in

OTHER_NAME = "上海远方科技有限公司"


@pytest.fixture
def other_firm(app):
    """A firm of jingansi: outside the manager fixture's daninglu."""
    return factories.EnterpriseFactory(
        name=OTHER_NAME, uscc=valid_uscc(730001), sub_district_slug="jingansi"
    )


def duplicates_box(page_text: str) -> str:
    return page_text.split('data-testid="duplicates"')[1].split("</ul>")[0]


def test_detection_stays_reservoir_wide(other_firm):
    assert [match.record_id for match in find_duplicates(OTHER_NAME, None)] == [other_firm.id]


def test_a_firm_of_another_sub_district_is_shown_without_its_name(manager, leader, other_firm):
    found = find_duplicates("远方科技（上海）有限公司", other_firm.uscc)

    hidden = visible_duplicates(manager, found)
    shown = visible_duplicates(leader, found)

    assert [(m.is_hidden, m.name, m.uscc, m.record_id) for m in hidden] == [(True, "", None, 0)]
    assert [(m.is_hidden, m.name) for m in shown] == [(False, OTHER_NAME)]


def test_the_propose_form_does_not_name_another_sub_districts_firm(client, manager, other_firm):
    log_in(client, manager)
    data = {"name": "远方科技（上海）有限公司", "track": "ai", "source_kind": "own_search"}

    shown = client.post("/discovery/new", data=data | {"event_id": "0"})

    assert shown.status_code == 422
    assert 'data-testid="duplicates"' in shown.text
    assert "A firm outside your sub-district has a similar name." in shown.text
    assert OTHER_NAME not in shown.text
    assert f"/enterprises/{other_firm.id}" not in shown.text


def test_department_staff_see_no_firm_they_do_not_work_for(client, firm):
    staff = factories.UserFactory(role="department")
    log_in(client, staff)
    data = {"name": firm.name, "track": "ai", "source_kind": "department_referral"}

    shown = client.post("/discovery/new", data=data | {"event_id": "0"})

    box = duplicates_box(shown.text)
    assert "A firm outside your sub-district has a similar name." in box
    assert firm.name not in box
    assert f"/enterprises/{firm.id}" not in box


def test_the_candidate_page_hides_a_candidate_of_another_sub_district(client, manager, leader):
    code = valid_uscc(730002)
    theirs = candidate(leader, "上海别处同码科技有限公司", uscc=code, sub_district="jingansi")
    mine = candidate(manager, "上海本处同码科技有限公司", uscc=code)
    log_in(client, manager)

    page = client.get(f"/discovery/{mine.id}")

    assert "A candidate outside your sub-district holds this credit code." in page.text
    assert theirs.name not in page.text
    assert f"/discovery/{theirs.id}" not in page.text


def test_the_api_gives_an_out_of_scope_duplicate_without_name_or_id(client, manager, other_firm):
    record = candidate(manager, "远方科技有限公司")

    answer = client.get(f"/api/v1/discovery/candidates/{record.id}", headers=bearer(manager))

    assert answer.json["duplicates"] == [
        {
            "kind": "enterprise",
            "id": None,
            "name": None,
            "uscc": None,
            "by_code": False,
            "outside_scope": True,
        }
    ]


def test_admitting_a_code_of_another_sub_district_does_not_name_the_firm(
    client, manager, other_firm
):
    record = candidate(manager, "上海同码新名科技有限公司", uscc=other_firm.uscc)
    body = {"decision": "admit", "tier": "reservoir", "version_id": record.version_id}

    answer = client.post(
        f"/api/v1/discovery/candidates/{record.id}/decision",
        json=body,
        headers=bearer(manager),
    )
    log_in(client, manager)
    page = client.post(
        f"/discovery/{record.id}/decision",
        data={"decision": "admit", "tier": "reservoir", "version_id": str(record.version_id)},
    )

    assert answer.status_code == 409
    assert "enterprise_id" not in answer.json["errors"]
    assert OTHER_NAME not in answer.json["error"]
    assert page.status_code == 409
    assert OTHER_NAME not in page.text
    assert 'data-testid="firm-exists"' not in page.text


def test_a_manager_cannot_link_to_another_sub_districts_firm(manager, leader, other_firm):
    contest = event(leader, "张江路演", kind="roadshow")
    record = candidate(manager, source_kind="roadshow", event_id=contest.id)
    data = screening.DecisionInput(decision="link", uscc=other_firm.uscc)

    with pytest.raises(InvalidInputError) as refused:
        screening.decide_candidate(manager, record, data, record.version_id, NOW)

    assert list(refused.value.errors) == ["uscc"]
    assert record.state == CandidateState.NEW
    moved = db.session.scalars(
        db.select(EventParticipant).where(EventParticipant.enterprise_id == other_firm.id)
    ).all()
    assert moved == []


def test_an_administrator_links_to_any_firm(admin, other_firm):
    record = candidate(admin, uscc=other_firm.uscc)
    data = screening.DecisionInput(decision="link")

    screening.decide_candidate(admin, record, data, record.version_id, NOW)

    assert (record.state, record.admitted_enterprise_id) == (
        CandidateState.DUPLICATE,
        other_firm.id,
    )


def test_a_managers_intake_does_not_name_another_sub_districts_records(manager, leader, other_firm):
    theirs = candidate(
        leader, "上海别处已有候选有限公司", uscc=valid_uscc(730003), sub_district="jingansi"
    )
    content = (
        "企业名称,统一社会信用代码,产业赛道\n"
        f"上海甲科技有限公司,{other_firm.uscc},人工智能\n"
        f"上海乙科技有限公司,{theirs.uscc},人工智能\n"
        "远方科技（上海）有限公司,,人工智能\n"
    ).encode()
    source = IntakeSource(SourceKind.INVESTOR.value, "启明创投")

    report = intake_file(manager, "list.csv", content, source, NOW, dry_run=True)

    messages = [problem.message for problem in report.warnings]
    assert messages == [
        "A firm outside your sub-district holds this credit code: not taken in.",
        "A candidate outside your sub-district holds this credit code: skipped.",
        "The name matches a firm outside your sub-district: check it is not the same firm.",
    ]
    assert (report.skipped, report.taken_in) == (2, 1)


def test_a_leaders_intake_names_the_firm(leader, other_firm):
    content = f"企业名称,统一社会信用代码,产业赛道\n上海甲科技有限公司,{other_firm.uscc},人工智能\n"
    source = IntakeSource(SourceKind.INVESTOR.value, "启明创投")

    report = intake_file(leader, "list.csv", content.encode(), source, NOW, dry_run=True)

    assert OTHER_NAME in report.warnings[0].message
