"""GET /enterprises/search: the firms a form's search box offers, within the user's scope."""

from datetime import datetime

import pytest
from sqlalchemy import text

from crm.enterprises.firm_search import SEARCH_LIMIT, _leading, search_firms
from models import Enterprise, Role, db
from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import TEST_DATABASE_URL, log_in


def names(response) -> list[str]:
    return [firm["name"] for firm in response.json["firms"]]


def test_a_part_of_the_name_finds_the_firm_with_its_id_and_code(client, manager):
    firm = EnterpriseFactory(name="上海芯量集成电路设计有限公司")
    EnterpriseFactory(name="上海云启人工智能科技有限公司")
    log_in(client, manager)

    response = client.get("/enterprises/search?q=集成电路")

    assert response.status_code == 200
    assert response.json["firms"] == [
        {
            "id": firm.id,
            "name": firm.name,
            "uscc": firm.uscc,
            "sub_district": "Daning Road Sub-district",
        }
    ]


def test_another_sub_districts_firm_is_never_returned_to_a_manager(client, manager):
    EnterpriseFactory(name="静安数据科技有限公司", sub_district_slug="jingansi")
    mine = EnterpriseFactory(name="大宁数据科技有限公司")
    log_in(client, manager)

    by_name = client.get("/enterprises/search?q=数据科技")
    by_code = client.get("/enterprises/search?q=91310106")

    assert names(by_name) == [mine.name]
    assert names(by_code) == [mine.name]


def test_name_prefix_matches_come_before_matches_inside_the_name(app, manager):
    inside = EnterpriseFactory(name="上海星河科技有限公司")
    leading = EnterpriseFactory(name="星河动力有限公司")

    found = search_firms(manager, "星河")

    assert [row.id for row in found] == [leading.id, inside.id]


def test_a_credit_code_prefix_in_lower_case_finds_the_firm(app, manager):
    firm = EnterpriseFactory()

    found = search_firms(manager, firm.uscc[:12].lower())

    assert [row.id for row in found] == [firm.id]


def test_answers_stop_at_the_limit_and_page_on_from_the_last_name(app):
    leader = UserFactory(role=Role.LEADER)
    firms = [
        EnterpriseFactory(name=f"测试{number:02d}有限公司") for number in range(SEARCH_LIMIT + 5)
    ]

    first = search_firms(leader, "测试")
    after = search_firms(leader, "测试", (first[-1].name, first[-1].id))

    assert [row.id for row in first] == [firm.id for firm in firms[:SEARCH_LIMIT]]
    assert [row.id for row in after] == [firm.id for firm in firms[SEARCH_LIMIT:]]


def test_deleted_firms_empty_text_and_like_wildcards_find_nothing(client, manager):
    EnterpriseFactory(name="已删除科技有限公司", deleted_at=datetime(2026, 2, 1, 9, 0))
    EnterpriseFactory(name="百分百科技有限公司")
    log_in(client, manager)

    assert names(client.get("/enterprises/search?q=已删除")) == []
    assert names(client.get("/enterprises/search?q=")) == []
    assert names(client.get("/enterprises/search?q=%25")) == []
    assert names(client.get("/enterprises/search?q=_")) == []


def test_department_staff_find_only_the_firms_they_work_for(client):
    staff = UserFactory(role=Role.DEPARTMENT)
    EnterpriseFactory(name="大宁数据科技有限公司")
    log_in(client, staff)

    response = client.get("/enterprises/search?q=数据")

    assert response.status_code == 200
    assert names(response) == []


def test_the_search_asks_a_login_first(client):
    assert client.get("/enterprises/search?q=上海").status_code == 302


@pytest.mark.skipif(TEST_DATABASE_URL is not None, reason="reads SQLite's query plan")
@pytest.mark.parametrize("column", ["name", "uscc"])
def test_a_leaders_prefix_search_seeks_an_index_instead_of_reading_every_firm(app, column):
    leader = UserFactory(role=Role.LEADER)
    query = _leading(leader, getattr(Enterprise, column), "9131", None, SEARCH_LIMIT)
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})

    plan = " ".join(row[3] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))

    assert "SEARCH enterprises USING INDEX" in plan
    assert f"({column}>? AND {column}<?)" in plan
