import re

import pytest

from crm import create_app
from crm.clock import today
from crm.config import ConfigurationError, DefaultConfig, settings_from_environment
from tests.factories import (
    EnterpriseFactory,
    ImportIssueFactory,
    UserFactory,
    YearlyFiguresFactory,
)
from tests.helpers import TEST_SETTINGS, log_in

LAST_YEAR = today().year - 1


def count_of(html: str, section: str) -> int:
    match = re.search(rf'data-testid="{section}-count">([\d,]+)<', html)
    assert match is not None, html
    return int(match.group(1).replace(",", ""))


@pytest.mark.parametrize("role", ["manager", "department"])
def test_managers_and_department_staff_do_not_find_the_page(client, role):
    log_in(client, UserFactory(role=role))

    assert client.get("/quality/").status_code == 404


def test_the_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/quality/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_leader_sees_each_list_with_its_count_and_a_link_to_each_firm(client, leader):
    firm = EnterpriseFactory(name="上海缺数科技有限公司")
    log_in(client, leader)

    page = client.get("/quality/")

    assert page.status_code == 200
    assert count_of(page.text, "missing-figures") == 1
    assert count_of(page.text, "without-manager") == 1
    assert count_of(page.text, "overloaded-managers") == 0
    assert count_of(page.text, "import-issues") == 0
    assert f"Firms missing the figures of {LAST_YEAR}" in page.text
    assert f'href="/enterprises/{firm.id}#figures"' in page.text
    # Leaders cannot edit firms, so they are sent to the firm's page, not to a refused form.
    assert f"/enterprises/{firm.id}/edit" not in page.text


def test_an_admin_gets_links_to_the_edit_form_the_import_and_the_managers_firms(client, admin):
    manager = UserFactory(role="manager", username="wang.fang")
    YearlyFiguresFactory(enterprise=EnterpriseFactory(manager=manager), year=LAST_YEAR)
    YearlyFiguresFactory(enterprise=EnterpriseFactory(manager=manager), year=LAST_YEAR)
    orphan = EnterpriseFactory()
    YearlyFiguresFactory(enterprise=orphan, year=LAST_YEAR)
    ImportIssueFactory(uscc="91310106MA0000000X", file_name="march.csv", line=7)
    client.application.config["QUALITY_MAX_FIRMS_PER_MANAGER"] = 1
    log_in(client, admin)

    page = client.get("/quality/")

    assert page.status_code == 200
    assert count_of(page.text, "missing-figures") == 0
    assert count_of(page.text, "without-manager") == 1
    assert f'href="/enterprises/{orphan.id}/edit"' in page.text
    assert count_of(page.text, "overloaded-managers") == 1
    assert 'href="/enterprises/?manager=wang.fang"' in page.text
    assert count_of(page.text, "import-issues") == 1
    assert "91310106MA0000000X" in page.text
    assert "march.csv" in page.text
    assert 'href="/enterprises/import"' in page.text


def test_the_threshold_comes_from_the_configuration(client, leader):
    manager = UserFactory(role="manager")
    for _ in range(3):
        EnterpriseFactory(manager=manager)
    log_in(client, leader)

    by_default = client.get("/quality/").text
    client.application.config["QUALITY_MAX_FIRMS_PER_MANAGER"] = 2
    lowered = client.get("/quality/").text

    assert count_of(by_default, "overloaded-managers") == 0
    assert "Managers with more than 120 firms" in by_default
    assert count_of(lowered, "overloaded-managers") == 1
    assert "Managers with more than 2 firms" in lowered


def test_the_threshold_defaults_to_120_and_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("QUALITY_MAX_FIRMS_PER_MANAGER", "80")

    settings = settings_from_environment()

    assert DefaultConfig.QUALITY_MAX_FIRMS_PER_MANAGER == 120
    assert settings["QUALITY_MAX_FIRMS_PER_MANAGER"] == 80


def test_a_threshold_below_one_is_refused_at_start():
    with pytest.raises(ConfigurationError, match="QUALITY_MAX_FIRMS_PER_MANAGER"):
        create_app({**TEST_SETTINGS, "QUALITY_MAX_FIRMS_PER_MANAGER": 0})
