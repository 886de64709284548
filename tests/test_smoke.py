from tests.factories import EnterpriseFactory
from tests.helpers import log_in


def test_a_manager_sees_a_firm_of_their_sub_district(client, manager):
    firm = EnterpriseFactory(name="上海大宁智算科技有限公司")
    log_in(client, manager)

    listing = client.get("/enterprises/")
    page = client.get(f"/enterprises/{firm.id}")

    assert listing.status_code == 200
    assert "上海大宁智算科技有限公司" in listing.text
    assert page.status_code == 200
