"""Dates before the registry (1949-10-01) and pasted credit codes, through every way in."""

from datetime import date

import pytest
from sqlalchemy import select

from crm.enterprises import services
from crm.enterprises.services import EARLIEST_FOUNDED_ON
from crm.errors import InvalidInputError
from crm.visits import services as visit_services
from crm.visits.services import EARLIEST_VISIT_ON
from models import Enterprise, RedFlag, Visit, db
from tests.api.test_enterprises_api import NEW_USCC, firm_body
from tests.enterprises.test_enterprise_services import new_firm
from tests.enterprises.test_enterprise_views import field_errors, filled, form_on
from tests.enterprises.test_importing import NOW, csv_file, run
from tests.factories import EnterpriseFactory, valid_uscc
from tests.helpers import api_headers, log_in
from tests.visits.helpers import NOW as VISIT_NOW
from tests.visits.helpers import phone_call

BEFORE = "Cannot be before 1949-10-01."
THE_DAY_BEFORE = date(1949, 9, 30)
FULL_WIDTH = "".join(chr(ord(char) + 0xFEE0) for char in NEW_USCC[9:12])
PASTED = f"  {NEW_USCC[:9]} {FULL_WIDTH}{NEW_USCC[12:]}\u3000"  # spaces, full-width digits


def test_the_registry_start_is_the_same_for_firms_and_visits():
    assert EARLIEST_FOUNDED_ON == EARLIEST_VISIT_ON == date(1949, 10, 1)


def test_the_service_refuses_a_founding_date_before_the_registry(admin):
    with pytest.raises(InvalidInputError) as refused:
        services.create_enterprise(admin, new_firm(founded_on=THE_DAY_BEFORE), NOW)

    assert refused.value.errors == {"founded_on": [BEFORE]}


def test_the_service_accepts_the_registrys_first_day(admin):
    firm = services.create_enterprise(admin, new_firm(founded_on=EARLIEST_FOUNDED_ON), NOW)

    assert firm.founded_on == EARLIEST_FOUNDED_ON


def test_the_form_shows_an_early_founding_date_under_its_field(client, manager):
    firm = EnterpriseFactory(sub_district_slug="daninglu")
    log_in(client, manager)
    form = form_on(client.get(f"/enterprises/{firm.id}/edit").text)
    form["founded_on"] = "1900-01-01"

    response = client.post(f"/enterprises/{firm.id}/edit", data=form)

    assert BEFORE in field_errors(response.text)
    assert db.session.get(Enterprise, firm.id).founded_on != date(1900, 1, 1)


def test_the_api_refuses_an_early_founding_date_naming_the_field(client, admin):
    db.session.commit()
    headers = api_headers(client, admin)

    response = client.post(
        "/api/v1/enterprises", json=firm_body(founded_on="1948-12-31"), headers=headers
    )

    assert response.status_code == 422
    assert response.json["errors"]["founded_on"] == [BEFORE]


def test_an_import_refuses_an_early_founding_date_on_its_line(admin):
    content = csv_file(
        "uscc,name,sub_district,zone,track,founded_on",
        f"{valid_uscc(720001)},上海早年科技有限公司,daninglu,daning,ai,1948年5月1日",
    )

    report = run(admin, "firms.csv", content)

    assert [(error.line, error.column, error.message) for error in report.errors] == [
        (2, "founded_on", BEFORE)
    ]


def test_the_service_refuses_a_visit_before_the_registry(manager):
    firm = EnterpriseFactory(sub_district_slug="daninglu")

    with pytest.raises(InvalidInputError) as refused:
        visit_services.log_visit(manager, firm, phone_call(THE_DAY_BEFORE), VISIT_NOW)

    assert refused.value.errors["visited_on"] == [BEFORE]


def test_the_visit_form_and_api_refuse_a_visit_before_the_registry(client, manager):
    firm = EnterpriseFactory(sub_district_slug="daninglu")
    db.session.commit()
    fields = {"visited_on": "1949-09-30", "kind": "phone", "summary": "Called."}
    flags = {f"flag_{flag.value}": "no" for flag in RedFlag}
    headers = api_headers(client, manager)
    body = {"enterprise_id": firm.id, **fields}

    answered = client.post("/api/v1/visits", json=body, headers=headers)
    log_in(client, manager)
    page = client.post(f"/visits/new/{firm.id}", data=fields | flags)

    assert answered.status_code == 422
    assert answered.json["errors"]["visited_on"] == [BEFORE]
    assert BEFORE in page.text
    assert db.session.scalar(select(Visit.id)) is None


def test_a_pasted_credit_code_with_spaces_is_accepted_on_the_form(client, manager):
    log_in(client, manager)
    form = form_on(client.get("/enterprises/new").text)
    filled(form, name="上海粘贴科技有限公司", uscc=PASTED, track="quantum")

    response = client.post("/enterprises/new", data=form)

    assert response.status_code == 302
    assert db.session.scalar(select(Enterprise.uscc)) == NEW_USCC


def test_a_pasted_credit_code_with_spaces_is_accepted_by_the_api(client, admin):
    db.session.commit()
    headers = api_headers(client, admin)

    response = client.post("/api/v1/enterprises", json=firm_body(uscc=PASTED), headers=headers)

    assert response.status_code == 201
    assert response.json["uscc"] == NEW_USCC
