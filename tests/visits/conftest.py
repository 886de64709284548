"""The firm the visit tests log their visits for: in the daninglu manager's sub-district."""

import pytest

from tests.factories import EnterpriseFactory


@pytest.fixture
def firm(app):
    return EnterpriseFactory(sub_district_slug="daninglu")
