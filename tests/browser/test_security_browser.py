"""Every role's main pages work in headless Chromium with the Content-Security-Policy enforced:
no violation reported, no script error, and the scripts moved out of the templates still act."""

import pytest
from sqlalchemy import select

from crm.pipeline.rescoring import rescore
from crm.seeding import seed_demo
from models import Enterprise, SubDistrict, db
from tests.factories import PASSWORD, UserFactory
from tests.helpers import ARTIFACTS, log_in_page
from tests.helpers import PIPELINE_AS_OF as AS_OF
from tests.helpers import PIPELINE_NOW as NOW

pytestmark = pytest.mark.browser
DEMO_FIRMS, DEMO_SEED = 60, 5

# Collected in the page itself: Playwright's init scripts are not subject to the page's CSP.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


class Watched:
    """A logged-in page that remembers every CSP violation, console error and script error."""

    def __init__(self, chromium, base_url: str, username: str) -> None:
        self.base_url = base_url
        self.page = chromium.new_page(locale="en-US", viewport={"width": 1280, "height": 900})
        self.problems: list[str] = []
        self.page.add_init_script(WATCH_VIOLATIONS)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        log_in_page(self.page, base_url, username, PASSWORD)

    def _console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            where = message.location.get("url", "")
            self.problems.append(f"console {message.type}: {message.text} {where}")

    def visit(self, path: str, ready: str = "main") -> None:
        response = self.page.goto(f"{self.base_url}{path}")
        assert response is not None
        assert response.status == 200, (path, response.status)
        self.page.wait_for_selector(ready)
        self.collect(path)

    def collect(self, where: str) -> None:
        for violation in self.page.evaluate("window.__violations"):
            self.problems.append(f"{where}: CSP violation {violation}")
        self.page.evaluate("window.__violations = []")


@pytest.fixture
def district(live_server: str, quick_password_hashes: None) -> dict[str, object]:
    seed_demo(DEMO_FIRMS, DEMO_SEED, AS_OF)
    manager = UserFactory(username="csp.manager", role="manager", sub_district_slug="daninglu")
    UserFactory(username="csp.leader", role="leader")  # not this firm's contact leader
    contact_leader = UserFactory(username="csp.contact", role="leader")
    UserFactory(username="csp.admin", role="admin")
    UserFactory(username="csp.finance", role="department", department_slug="finance")
    daninglu = select(SubDistrict.id).where(SubDistrict.slug == "daninglu").scalar_subquery()
    firms = db.session.scalars(
        select(Enterprise).where(Enterprise.sub_district_id == daninglu).order_by(Enterprise.id)
    ).all()
    firm = next(f for f in firms if f.contacts and f.yearly_figures)
    firm.manager, firm.contact_leader = manager, contact_leader
    db.session.commit()
    rescore(AS_OF, NOW)
    db.session.commit()  # the live server reads through connections of its own
    db.session.commit()
    return {"url": live_server, "firm": firm.id}


def test_every_roles_main_pages_run_under_the_policy(district, chromium):
    base, firm = district["url"], district["firm"]
    problems: list[str] = []

    leader = Watched(chromium, base, "csp.leader")
    leader.visit("/dashboard/", "canvas[data-rendered=true]")
    leader.visit("/dashboard/print")
    leader.visit("/pipeline/", "[data-testid=pipeline-row]")
    leader.visit(f"/enterprises/{firm}", "#contacts")
    leader.page.screenshot(path=str(ARTIFACTS / "csp-firm-leader.png"), full_page=True)
    leader_contacts = leader.page.inner_text("#contacts + div")
    leader.visit("/reminders/digest")
    problems += leader.problems

    manager = Watched(chromium, base, "csp.manager")
    manager.visit("/enterprises/")
    manager.visit(f"/enterprises/{firm}", "#contacts")
    manager.page.screenshot(path=str(ARTIFACTS / "csp-firm-manager.png"), full_page=True)
    manager_contacts = manager.page.inner_text("#contacts + div")
    manager.page.once("dialog", lambda dialog: dialog.dismiss())  # page.js asks before deleting
    manager.page.click("form[data-confirm] button[type=submit]")
    still_on_firm = manager.page.url.endswith(f"/enterprises/{firm}")
    manager.visit(f"/visits/new/{firm}", "form.visit-form")
    manager.visit("/visits/")
    manager.visit("/requests/new", "#request-form")
    manager.page.select_option("#category", index=1)
    suggestion_shown = manager.page.is_visible("#route-suggestion")
    suggested_days = manager.page.inner_text("#route-days")
    manager.collect("request form")
    problems += manager.problems

    admin = Watched(chromium, base, "csp.admin")
    for path in ("/admin/users", "/admin/audit", "/pipeline/model", "/admin/jobs/", "/quality/"):
        admin.visit(path)
    problems += admin.problems

    staff = Watched(chromium, base, "csp.finance")
    staff.visit("/requests/")
    staff.visit("/packages/")
    problems += staff.problems

    assert problems == []
    assert still_on_firm  # the dismissed question kept the firm
    assert suggestion_shown
    assert suggested_days.strip().isdigit()
    assert "****" in leader_contacts  # another leader reads the contacts masked
    assert "****" not in manager_contacts  # the firm's manager reads them in full
