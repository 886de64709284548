"""Every post_button refuses a post without its token with the friendly page, and lets a post with
the page's token through; form errors and help are tied to their inputs for screen readers."""

import re
from html.parser import HTMLParser
from pathlib import Path

from flask import Flask, render_template_string, url_for
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from wtforms import DateField

from models import User, db
from tests.factories import PASSWORD, UserFactory

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
POST_BUTTON_ENDPOINT = re.compile(r"""post_button\(\s*url_for\(\s*['"]([\w.]+)['"]""")
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
EXPIRED = "This form has expired. Reload the page and try again."

# Every endpoint a post_button posts to, with the URL's arguments. The records need not exist:
# the token is checked before the view runs, and after it the view answers 404 or 403 for them.
POST_BUTTON_ROUTES: dict[str, dict[str, object]] = {
    "admin.restore_record": {"kind": "visit", "record_id": 1},
    "admin.unlock_user": {"user_id": 1},
    "auth.logout": {},
    "auth.logout_everywhere": {},
    "auth.revoke_token": {"token_id": 1},
    "auth.switch_language": {"locale": "zh_CN"},
    "credit.change_nomination": {"nomination_id": 1, "step": "withdraw"},
    "credit.delete_batch": {"batch_id": 1},
    "credit.submit_batch": {"batch_id": 1},
    "discovery.delete_candidate": {"candidate_id": 1},
    "discovery.delete_event": {"event_id": 1},
    "enterprises.delete_enterprise": {"enterprise_id": 1},
    "pipeline.publish_model": {"version_id": 1},
    "pipeline.rescore_now": {},
    "pipeline.roll_back_model": {},
    "pipeline.train_model": {},
    "pipeline.withdraw_override": {"enterprise_id": 1},
    "policies.delete_package": {"package_id": 1},
    "quality.dismiss_import_issue": {"issue_id": 1},
    "reminders.mark_done": {"reminder_id": 1},
    "requests.delete_request": {"request_id": 1},
    "scheduling.run_now": {"key": "backup"},
    "targets.archive_target": {"target_id": 1},
    "targets.restore_target": {"target_id": 1},
    "visits.complete_follow_up": {"follow_up_id": 1},
    "visits.delete_visit": {"visit_id": 1},
    "visits.file_flag_request": {"visit_id": 1, "flag": "move_out"},
}


def post_button_endpoints() -> set[str]:
    """The endpoints the templates' post_button calls post to; a relative '.name' belongs to the
    blueprint named after the template's folder."""
    found = set()
    for template in TEMPLATES.rglob("*.html"):
        blueprint = template.relative_to(TEMPLATES).parts[0]
        for endpoint in POST_BUTTON_ENDPOINT.findall(template.read_text(encoding="utf-8")):
            found.add(f"{blueprint}{endpoint}" if endpoint.startswith(".") else endpoint)
    return found


def logged_in_manager(app: Flask) -> FlaskClient:
    """A manager who logged in through the real form, token included. A manager may do few of
    these actions, so a post that passes the token check changes nothing: the view says 403/404."""
    client = app.test_client()
    manager: User = UserFactory(role="manager")
    db.session.commit()
    token = TOKEN.search(client.get("/login").text)
    assert token is not None
    login = {"username": manager.username, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=login).status_code == 302
    return client


def action_url(app: Flask, endpoint: str) -> str:
    with app.test_request_context():
        return url_for(endpoint, **POST_BUTTON_ROUTES[endpoint])


def test_the_table_names_every_endpoint_a_post_button_posts_to(csrf_app):
    endpoints = post_button_endpoints()

    assert endpoints == set(POST_BUTTON_ROUTES)
    for rule in csrf_app.url_map.iter_rules():
        if rule.endpoint in endpoints:
            assert rule.methods is not None
            assert "POST" in rule.methods, rule.endpoint
            assert "GET" not in rule.methods, rule.endpoint
    assert endpoints <= set(csrf_app.view_functions)


def test_a_post_button_posted_without_its_token_gets_the_expired_page_with_a_way_back(csrf_app):
    client = logged_in_manager(csrf_app)
    # One app for all routes: nothing is written, since the token is checked before any view.
    answers = {
        endpoint: client.post(
            action_url(csrf_app, endpoint), headers={"Referer": "http://localhost/account?tab=1"}
        )
        for endpoint in POST_BUTTON_ROUTES
    }

    for endpoint, response in answers.items():
        assert response.status_code == 400, endpoint
        assert EXPIRED in response.text, endpoint
        assert 'href="/account?tab=1" data-testid="back"' in response.text, endpoint
        assert "Traceback" not in response.text, endpoint
    assert client.get("/account").status_code == 200  # refused before the view: still logged in


def test_a_post_button_posted_with_the_pages_token_passes_the_check(csrf_app):
    statuses = {}
    client = logged_in_manager(csrf_app)
    for endpoint in POST_BUTTON_ROUTES:
        page = client.get("/account")  # its Log out everywhere and Log out are post_buttons
        if page.status_code != 200:  # the last post logged out
            client = logged_in_manager(csrf_app)
            page = client.get("/account")
        token = TOKEN.search(page.text)
        assert token is not None

        response = client.post(action_url(csrf_app, endpoint), data={"csrf_token": token.group(1)})

        statuses[endpoint] = response.status_code
        assert EXPIRED not in response.text, endpoint
    assert {code for code in statuses.values() if code == 400 or code >= 500} == set(), statuses


class InputReader(HTMLParser):
    """The ids of a page's elements, and the attributes of its inputs by name."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.inputs: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag in {"input", "select", "textarea"} and attributes.get("name"):
            self.inputs[str(attributes["name"])] = attributes


def test_field_errors_and_help_are_tied_to_their_inputs(client, manager):
    db.session.commit()
    client.post("/login", data={"username": manager.username, "password": PASSWORD})

    page = client.post("/account/password", data={"current_password": PASSWORD})

    reader = InputReader()
    reader.feed(page.text)
    new_password = reader.inputs["new_password"]
    described_by = str(new_password["aria-describedby"]).split()
    assert new_password["aria-invalid"] == "true"
    assert described_by == ["new_password-error-1", "new_password-help"]
    assert set(described_by) <= reader.ids
    current_password = reader.inputs["current_password"]
    assert "aria-invalid" not in current_password
    assert "aria-describedby" not in current_password


def test_a_date_field_with_help_still_translates_its_placeholder(app):
    class DayForm(FlaskForm):
        held_on = DateField("Held on")

    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_forms.html" import field %}{{ field(form.held_on, help="When it ran.") }}',
            form=DayForm(meta={"csrf": False}),
        )

    reader = InputReader()
    reader.feed(html)
    assert reader.inputs["held_on"]["placeholder"] == "YYYY-MM-DD"
    assert reader.inputs["held_on"]["aria-describedby"] == "held_on-help"
