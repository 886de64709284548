"""Department staff read the packages, and the firms, whose instruments they deliver."""

from tests.factories import EnterpriseFactory, UserFactory
from tests.helpers import item, log_in, propose


def test_the_finance_bureau_reads_a_package_with_its_subsidy_and_that_firm_only(client, manager):
    supported = EnterpriseFactory(name="上海贴息科技有限公司")
    other = EnterpriseFactory(name="上海无关科技有限公司")
    package = propose(manager, supported, item("loan_interest_subsidy", "500000"))
    finance = UserFactory(role="department", department_slug="finance")
    log_in(client, finance)

    package_page = client.get(f"/packages/{package.id}")
    firm_page = client.get(f"/enterprises/{supported.id}")
    other_page = client.get(f"/enterprises/{other.id}")

    assert package_page.status_code == 200
    assert firm_page.status_code == 200
    assert other_page.status_code == 404


def test_a_department_without_an_instrument_in_the_package_cannot_read_it(client, manager):
    firm = EnterpriseFactory()
    package = propose(manager, firm, item("talent_housing", "2"))
    finance = UserFactory(role="department", department_slug="finance")
    log_in(client, finance)

    package_page = client.get(f"/packages/{package.id}")
    firm_page = client.get(f"/enterprises/{firm.id}")

    assert package_page.status_code == 404
    assert firm_page.status_code == 404
