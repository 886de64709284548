import html
import re
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from crm.clock import today
from models import Contact, Enterprise, YearlyFigures, db
from tests.factories import (
    PASSWORD,
    ContactFactory,
    EnterpriseFactory,
    UserFactory,
    VisitFactory,
    YearlyFiguresFactory,
    valid_uscc,
)
from tests.helpers import log_in

STALE_MESSAGE = "Someone else saved this firm after you opened it."
CHECK_MESSAGE = "The check character does not match"


class FormReader(HTMLParser):
    """What a browser submits from the page's main form (the POST form posting to its own URL)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: MultiDict[str, str] = MultiDict()
        self.found = False
        self._inside = False
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and not self.found:
            self._inside = attributes.get("method") == "post" and "action" not in attributes
            self.found = self._inside
        if not self._inside or not attributes.get("name"):
            if tag == "option" and self._select is not None:
                self._options.append((attributes.get("value") or "", "selected" in attributes))
            return
        name = str(attributes["name"])
        kind = attributes.get("type") or "text"
        if tag == "input" and kind not in {"submit", "button", "checkbox"}:
            self.fields.add(name, attributes.get("value") or "")
        elif tag == "input" and "checked" in attributes:
            self.fields.add(name, attributes.get("value") or "on")
        elif tag == "select":
            self._select, self._options = (name, "multiple" in attributes), []
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self.fields.add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.add(self._textarea, self._text.removeprefix("\r\n").removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data


def form_on(html: str) -> MultiDict[str, str]:
    reader = FormReader()
    reader.feed(html)
    assert reader.found, "the page has no form posting to itself"
    return reader.fields


def filled(form: MultiDict[str, str], **values: str) -> MultiDict[str, str]:
    for name, value in values.items():
        form[name] = value
    return form


def field_errors(html: str) -> list[str]:
    return [error.strip() for error in re.findall(r'class="invalid-feedback">([^<]*)<', html)]


@pytest.fixture
def logged_in(client, manager, firm):
    """The daninglu manager's client; `firm` is in their sub-district."""
    log_in(client, manager)
    return client


# The list and the firm's page


def test_the_list_shows_firms_with_their_latest_revenue(logged_in, firm):
    YearlyFiguresFactory(enterprise=firm, year=2025, revenue=12345)
    db.session.commit()

    response = logged_in.get("/enterprises/")

    assert response.status_code == 200
    assert "上海大宁智算科技有限公司" in response.text
    assert "12,345" in response.text
    assert '<html lang="en">' in response.text


def test_the_list_searches_by_name(logged_in, firm):
    EnterpriseFactory(name="上海大宁生物医药有限公司")
    db.session.commit()

    response = logged_in.get("/enterprises/?q=生物")

    assert "上海大宁生物医药有限公司" in response.text
    assert "上海大宁智算科技有限公司" not in response.text


def page_links(text: str) -> dict[str, str]:
    return {
        rel: html.unescape(href)
        for href, rel in re.findall(r'class="page-link" href="([^"#]+)" rel="(prev|next)"', text)
    }


def names_on(text: str) -> list[str]:
    return re.findall(r">(Firm \d+)</a>", text)


def test_the_list_pages_forward_and_back_through_many_firms(app, logged_in):
    app.config["CRM_PAGE_SIZE"] = 2
    for n in (3, 0, 4, 1, 2):
        EnterpriseFactory(name=f"Firm {n}")
    db.session.commit()

    first = logged_in.get("/enterprises/?sort=name")
    second = logged_in.get(page_links(first.text)["next"])
    third = logged_in.get(page_links(second.text)["next"])
    back = logged_in.get(page_links(third.text)["prev"])

    assert [names_on(page.text) for page in (first, second, third, back)] == [
        ["Firm 0", "Firm 1"],
        ["Firm 2", "Firm 3"],
        ["Firm 4"],
        ["Firm 2", "Firm 3"],
    ]
    assert "next" not in page_links(third.text)
    assert "prev" not in page_links(first.text)


@pytest.mark.parametrize("sort", ["founded_on", "registered_capital", "tier", "updated_at"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_paging_visits_every_firm_once_whatever_the_sort(app, logged_in, sort, direction):
    app.config["CRM_PAGE_SIZE"] = 2
    for n, tier in enumerate(["candidate", "reservoir", "candidate", "achieved", "reservoir"]):
        EnterpriseFactory(
            name=f"Firm {n}",
            tier=tier,
            founded_on=None if n % 2 else date(2018, 1, 1 + n % 3),
            registered_capital=None if n == 4 else Decimal(100 * (n % 2)),
        )
    db.session.commit()

    seen: list[str] = []
    page = logged_in.get(f"/enterprises/?sort={sort}&direction={direction}")
    while True:
        seen += names_on(page.text)
        if "next" not in page_links(page.text):
            break
        page = logged_in.get(page_links(page.text)["next"])

    assert sorted(seen) == [f"Firm {n}" for n in range(5)]


def test_a_forged_cursor_shows_the_first_page(logged_in, firm):
    response = logged_in.get("/enterprises/?cursor=not-a-cursor")

    assert response.status_code == 200
    assert firm.name in response.text


@pytest.mark.parametrize(
    "query",
    ["_method=DELETE", "_external=1&_anchor=%0Aalert(1)", "page=-3", "page=999999999999999999999"],
)
def test_the_list_builds_its_links_only_from_known_filters(logged_in, query):
    response = logged_in.get(f"/enterprises/?{query}&zone=daning")

    links = re.findall(r'href="([^"]*)"', response.text)
    assert response.status_code == 200
    assert [link for link in links if "alert" in link or link.startswith("http")] == []
    assert any("zone=daning" in link for link in links)


def test_the_firm_page_shows_figures_and_contacts(logged_in, firm):
    YearlyFiguresFactory(enterprise=firm, year=2025, revenue=5000, employees=80)
    ContactFactory(enterprise=firm, name="张伟", phone="13812345678")
    db.session.commit()

    response = logged_in.get(f"/enterprises/{firm.id}")

    assert response.status_code == 200
    assert firm.uscc in response.text
    assert "5,000" in response.text
    assert "张伟" in response.text
    assert "figures-data" in response.text


def test_an_unknown_firm_is_a_404_page(logged_in):
    response = logged_in.get("/enterprises/999999")

    assert response.status_code == 404
    assert "Not found." in response.text


# Creating and editing


def test_a_manager_adds_a_firm_through_the_form(logged_in, manager):
    form = form_on(logged_in.get("/enterprises/new").text)
    filled(form, name="上海大宁量子计算有限公司", uscc=valid_uscc(600001), track="quantum")

    response = logged_in.post("/enterprises/new", data=form)

    firm = db.session.scalar(
        select(Enterprise).where(Enterprise.name == "上海大宁量子计算有限公司")
    )
    assert firm is not None
    assert response.status_code == 302
    assert response.location == f"/enterprises/{firm.id}"
    assert firm.manager == manager
    assert "Firm added to the reservoir." in logged_in.get(response.location).text


def test_the_new_firm_form_shows_a_bad_credit_code_under_its_field(logged_in):
    form = form_on(logged_in.get("/enterprises/new").text)
    filled(form, name="上海大宁量子计算有限公司", uscc="91310106MA0000000Q")

    response = logged_in.post("/enterprises/new", data=form)

    assert response.status_code == 200
    assert any(CHECK_MESSAGE in error for error in field_errors(response.text))
    assert form_on(response.text)["uscc"] == "91310106MA0000000Q"


def test_the_edit_form_shows_a_bad_credit_code_and_changes_nothing(logged_in, firm):
    form = form_on(logged_in.get(f"/enterprises/{firm.id}/edit").text)
    original = firm.uscc
    form["uscc"] = original[:17] + ("0" if original[17] != "0" else "1")

    response = logged_in.post(f"/enterprises/{firm.id}/edit", data=form)

    assert response.status_code == 200
    assert any(CHECK_MESSAGE in error for error in field_errors(response.text))
    assert db.session.get(Enterprise, firm.id).uscc == original


def test_the_edit_form_refuses_a_founding_date_in_the_future(logged_in, firm):
    form = form_on(logged_in.get(f"/enterprises/{firm.id}/edit").text)
    form["founded_on"] = (today() + timedelta(days=2)).isoformat()

    response = logged_in.post(f"/enterprises/{firm.id}/edit", data=form)

    assert "Cannot be in the future." in field_errors(response.text)
    assert db.session.get(Enterprise, firm.id).founded_on.year == 2018


def test_the_edit_form_saves_a_change_and_shows_the_firm(logged_in, firm):
    form = form_on(logged_in.get(f"/enterprises/{firm.id}/edit").text)
    form["notes"] = "Met the CFO."
    form.setlist("designations", ["gazelle", "high_tech"])

    response = logged_in.post(f"/enterprises/{firm.id}/edit", data=form)

    assert response.status_code == 302
    saved = db.session.get(Enterprise, firm.id)
    assert saved.notes == "Met the CFO."
    assert [d.value for d in saved.designations] == ["gazelle", "high_tech"]
    assert saved.version_id == 2


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_is_kept(
    app, client, manager, firm
):
    first_tab, second_tab = client, app.test_client()
    for tab in (first_tab, second_tab):
        log_in(tab, manager)
    first_form = form_on(first_tab.get(f"/enterprises/{firm.id}/edit").text)
    second_form = form_on(second_tab.get(f"/enterprises/{firm.id}/edit").text)
    first_form["name"] = "上海大宁算力科技有限公司"
    second_form["notes"] = "Second tab's note"

    first = first_tab.post(f"/enterprises/{firm.id}/edit", data=first_form)
    second = second_tab.post(f"/enterprises/{firm.id}/edit", data=second_form)

    assert first.status_code == 302
    assert second.status_code == 409  # as a stale visit, request or target edit answers
    assert STALE_MESSAGE in second.text
    saved = db.session.get(Enterprise, firm.id)
    assert (saved.name, saved.notes, saved.version_id) == ("上海大宁算力科技有限公司", None, 2)


# Yearly figures and contacts


def test_yearly_figures_are_saved_from_the_firm_page(logged_in, firm):
    response = logged_in.post(
        f"/enterprises/{firm.id}/figures",
        data={"year": "2025", "revenue": "5000", "employees": "80"},
    )

    assert response.status_code == 302
    assert response.location == f"/enterprises/{firm.id}#figures"
    row = db.session.scalar(select(YearlyFigures).where(YearlyFigures.enterprise_id == firm.id))
    assert (row.year, row.revenue, row.employees) == (2025, 5000, 80)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "1900"}, "Number must be between 1980 and 2100."),
        ({"year": "2099"}, "Between 1980 and"),
        ({"year": "2025", "revenue": "-5"}, "Cannot be negative."),
        ({"year": "2025", "blockchain_scenarios": "-1"}, "Number must be at least 0."),
    ],
)
def test_impossible_figures_are_shown_under_their_field(logged_in, firm, data, message):
    response = logged_in.post(f"/enterprises/{firm.id}/figures", data=data)

    assert response.status_code == 422
    assert any(message in error for error in field_errors(response.text))
    assert db.session.scalar(select(YearlyFigures)) is None


def test_a_contact_is_added_from_the_firm_page(logged_in, firm):
    response = logged_in.post(
        f"/enterprises/{firm.id}/contacts", data={"name": "王芳", "email": "wang.fang@example.com"}
    )

    assert response.status_code == 302
    contact = db.session.scalar(select(Contact))
    assert (contact.name, contact.email) == ("王芳", "wang.fang@example.com")


def test_a_contact_with_a_bad_email_is_shown_under_its_field(logged_in, firm):
    response = logged_in.post(
        f"/enterprises/{firm.id}/contacts", data={"name": "王芳", "email": "not-an-address"}
    )

    assert response.status_code == 422
    assert field_errors(response.text) == ["Invalid email address."]
    assert db.session.scalar(select(Contact)) is None


# CSRF protection of the pages


@pytest.fixture
def csrf_client(csrf_app):
    """Logged in as a daninglu manager through the real login form, token included."""
    client = csrf_app.test_client()
    manager = UserFactory(role="manager", sub_district_slug="daninglu")
    db.session.commit()
    login = form_on(client.get("/login").text)
    filled(login, username=manager.username, password=PASSWORD)
    assert client.post("/login", data=login).status_code == 302
    return client


def test_an_edit_posted_without_the_csrf_token_is_rejected_and_changes_nothing(csrf_client):
    firm = EnterpriseFactory(name="上海大宁智算科技有限公司")
    db.session.commit()
    form = form_on(csrf_client.get(f"/enterprises/{firm.id}/edit").text)
    form["name"] = "Forged name"
    del form["csrf_token"]

    response = csrf_client.post(f"/enterprises/{firm.id}/edit", data=form)

    assert response.status_code == 400
    saved = db.session.get(Enterprise, firm.id)
    assert (saved.name, saved.version_id) == ("上海大宁智算科技有限公司", 1)


def test_an_edit_posted_with_the_forms_csrf_token_is_saved(csrf_client):
    firm = EnterpriseFactory(name="上海大宁智算科技有限公司")
    db.session.commit()
    form = form_on(csrf_client.get(f"/enterprises/{firm.id}/edit").text)
    form["name"] = "上海大宁算力科技有限公司"

    response = csrf_client.post(f"/enterprises/{firm.id}/edit", data=form)

    assert response.status_code == 302
    assert db.session.get(Enterprise, firm.id).name == "上海大宁算力科技有限公司"


def test_the_firm_page_lists_the_latest_thirty_visits_requests_and_packages(
    logged_in, firm, manager
):
    for day in range(35):
        on = today() - timedelta(days=day)
        VisitFactory(enterprise=firm, visited_on=on, summary=f"Call {day}", created_by=manager)
    db.session.commit()

    page = logged_in.get(f"/enterprises/{firm.id}").text

    assert "Call 29<" in page
    assert "Call 30<" not in page
    assert "The 30 latest entries; older ones are in the lists" in page
