"""Out-of-range and hostile input answers a clear 4xx, never a stack trace."""

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select

from crm.forms_base import CheckedForm
from models import Enterprise, EnterpriseRequest, db
from tests.factories import EnterpriseFactory, EnterpriseRequestFactory, UserFactory, valid_uscc
from tests.helpers import api_headers, firm_form_fields, log_in
from tests.test_bad_json import stored_rows

HUGE = "99999999999999999999999"


def test_an_id_too_large_for_any_table_is_simply_not_found(client, manager):
    log_in(client, manager)

    pages = [client.get(f"/{kind}/{HUGE}") for kind in ("enterprises", "visits", "requests")]

    assert [page.status_code for page in pages] == [404, 404, 404]


def test_a_huge_figure_is_a_field_error(client, manager):
    firm = EnterpriseFactory()
    log_in(client, manager)

    response = client.post(
        f"/enterprises/{firm.id}/figures", data={"year": "2024", "revenue": "1e30"}
    )

    assert response.status_code == 422
    assert "Too large" in response.text


def test_a_huge_query_number_in_the_api_names_the_field(client, manager):
    headers = api_headers(client, manager)

    response = client.get(f"/api/v1/visits?enterprise_id={HUGE}", headers=headers)

    assert response.status_code == 422
    assert "enterprise_id" in response.json["errors"]


def test_a_tampered_version_is_refused_as_a_conflict_and_changes_nothing(client, manager):
    firm = EnterpriseFactory(name="上海原名科技有限公司")
    log_in(client, manager)
    form = firm_form_fields("上海篡改科技有限公司", firm.uscc, version_id="abc")

    response = client.post(f"/enterprises/{firm.id}/edit", data=form)

    db.session.expire_all()
    assert response.status_code == 409
    assert "Someone else saved this firm" in response.text
    assert firm.name == "上海原名科技有限公司"


def test_a_request_cannot_be_raised_in_the_future(client, manager):
    firm = EnterpriseFactory()
    UserFactory(role="department", department_slug="finance")
    headers = api_headers(client, manager)

    response = client.post(
        "/api/v1/requests",
        json={
            "enterprise_id": firm.id,
            "category": "financing",
            "description": "贷款贴息",
            "raised_on": "2099-01-01",
        },
        headers=headers,
    )

    assert response.status_code == 422
    assert "raised_on" in response.json["errors"]
    assert db.session.query(EnterpriseRequest).count() == 0


# The bad-input corpus of URLs and forms (issue 14); the API's is in test_bad_json.py.


@pytest.mark.parametrize(
    "query", ["q=%00", "q=a%1Bb", "sub_district=%00", "%00=x", "after=%00", "q=%ED%A0%80"]
)
def test_a_control_character_in_a_query_string_is_a_4xx_naming_the_parameter(
    client, manager, query
):
    headers = api_headers(client, manager)
    log_in(client, manager)

    api = client.get(f"/api/v1/enterprises?{query}", headers=headers)
    page = client.get(f"/enterprises/?{query}")

    if "ED%A0" in query:  # Werkzeug keeps invalid UTF-8 percent-quoted: nothing to refuse
        assert (api.status_code, page.status_code) == (200, 200)
    else:
        name = query.split("=")[0].replace("%00", "") or "query"
        assert (api.status_code, list(api.json["errors"])) == (422, [name])
        assert page.status_code == 422


FORM_CASES = {  # the value typed into the field: the words the field's error must hold
    "NUL": ("上海\x00科技", "U+0000"),
    "bell": ("上海\x07科技", "U+0007"),
    "line break in a one-line field": ("上海\n科技", "U+000A"),
}


def form_posts(firm: Enterprise) -> list[tuple[str, dict[str, Any], str]]:
    """(url, a valid form, the one-line field the bad value goes in) for forms of three domains."""
    firm_form = firm_form_fields("上海新名科技有限公司", valid_uscc(900002))
    request_form = {
        "enterprise_id": firm.id,
        "category": "permits",
        "description": "消防验收排期",
        "urgency": "high",
        "department": "drc",
        "due_on": (date.today() + timedelta(days=30)).isoformat(),
    }
    return [
        ("/enterprises/new", firm_form, "name"),
        ("/enterprises/new", firm_form, "address"),
        ("/requests/new", request_form, "description"),
    ]


@pytest.mark.parametrize("case", FORM_CASES)
def test_a_control_character_in_a_form_field_is_an_error_on_that_field(client, manager, case):
    firm = EnterpriseFactory(sub_district_slug="daninglu", manager=manager)
    log_in(client, manager)
    value, words = FORM_CASES[case]
    before = stored_rows()

    answers = [
        client.post(url, data={**form, field: value}) for url, form, field in form_posts(firm)
    ]

    one_line_only = "\n" in value
    for (_url, _form, field), answer in zip(form_posts(firm), answers, strict=True):
        if one_line_only and field == "description":  # a textarea: line breaks belong there
            assert answer.status_code == 302
            continue
        assert answer.status_code in (200, 422)  # the form again, with the error on the field
        assert words in answer.text
    if not one_line_only:
        assert stored_rows() == before


def test_the_login_form_refuses_a_nul_without_asking_the_database(client, manager):
    db.session.commit()

    response = client.post("/login", data={"username": "admin\x00", "password": "x"})

    assert response.status_code in (200, 422)
    assert "U+0000" in response.text


FORM_ERRORS = [  # (form, field, value typed, words of the error shown on the field)
    ("firm", "name", "", "This field is required."),
    ("firm", "name", "x" * 100_000, "Field cannot be longer than 200 characters."),
    ("firm", "registered_capital", "a lot", "Not a valid decimal value."),
    ("firm", "founded_on", "2024-02-30", "Not a valid date value."),
    ("firm", "notes", "上海\x00科技", "U+0000"),
    ("request", "description", "", "This field is required."),
    ("request", "due_on", "next week", "This field is required."),  # DataRequired speaks last
    ("request", "enterprise_id", "abc", "This field is required."),
    ("request", "description", "消防\x1b验收", "U+001B"),
]


@pytest.mark.parametrize(("form", "field", "value", "words"), FORM_ERRORS)
def test_empty_huge_or_mistyped_form_input_is_an_error_on_its_field_and_writes_nothing(
    client, manager, form, field, value, words
):
    firm = EnterpriseFactory(sub_district_slug="daninglu", manager=manager)
    log_in(client, manager)
    url, valid, _field = {"firm": form_posts(firm)[0], "request": form_posts(firm)[2]}[form]
    before = stored_rows()

    response = client.post(url, data={**valid, field: value})

    assert response.status_code in (200, 422)  # the form again, with the error on the field
    assert words in response.text
    assert stored_rows() == before


def test_invalid_utf8_in_a_form_is_kept_as_its_percent_text_never_as_a_surrogate(client, manager):
    firm = EnterpriseFactory(sub_district_slug="daninglu", manager=manager)
    log_in(client, manager)
    url, valid, _field = form_posts(firm)[0]
    encoded = urlencode({**valid, "address": "@@"}).replace("%40%40", "%ED%A0%80")

    response = client.post(url, data=encoded, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 302
    created = db.session.scalar(select(Enterprise).where(Enterprise.uscc == valid["uscc"]))
    assert created is not None
    assert created.address == "%ED%A0%80"  # Werkzeug keeps bytes it cannot decode quoted


def test_every_form_of_the_app_refuses_control_characters(app):
    def subclasses(cls: type) -> list[type]:
        return [cls, *(found for sub in cls.__subclasses__() for found in subclasses(sub))]

    ours = [form for form in subclasses(FlaskForm) if form.__module__.startswith("crm.")]

    assert len(ours) > 20
    assert [form.__qualname__ for form in ours if not issubclass(form, CheckedForm)] == []


@pytest.mark.parametrize("number", ["²", "①", "9" * 40])
def test_a_number_that_only_looks_like_digits_is_no_id_not_a_crash(client, manager, number):
    # str.isdigit() passes "²" and "①", which int() refuses; forty nines overflow any id column.
    firm = EnterpriseFactory(name="上海数字测试科技有限公司")
    request = EnterpriseRequestFactory(enterprise=firm)
    log_in(client, UserFactory(role="department", department_slug="finance"))

    step = client.post(
        f"/requests/{request.id}/steps", data={"action": "accept", "version_id": number}
    )
    log_in(client, manager)
    search = client.get(f"/enterprises/search?q=数字&after_name=x&after_id={number}")

    assert step.status_code == 409
    assert search.status_code == 200
