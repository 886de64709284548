"""The audit log in Chromium, in Chinese and in English: words, labels and Beijing times."""

from datetime import datetime

import pytest

from models import db
from tests.factories import PASSWORD, AuditEntryFactory, UserFactory
from tests.helpers import ARTIFACTS, log_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def logged_changes(live_server: str) -> str:
    UserFactory(username="audit.admin", role="admin")
    changes = {
        "tier": ["tech_based", "candidate"],
        "in_hundred_enterprises_plan": [False, True],
        "sub_district": ["daninglu", "jingansi"],
        "designations": [["high_tech"], ["high_tech", "little_giant"]],
    }
    at = datetime(2026, 3, 3, 2, 30)  # 10:30 in Beijing
    AuditEntryFactory(at=at, action="update", entity_type="enterprise", changes=changes)
    db.session.commit()
    return live_server


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "zh-CN",
            [
                "修改",
                "培育层级",
                "独角兽/隐形冠军培育对象",
                "静安寺街道",
                "专精特新“小巨人”",
                "10:30",
            ],
        ),
        (
            "en-US",
            [
                "Record changed",
                "Cultivation tier",
                "Unicorn / hidden-champion",
                "SRDI “little giant”",
                "10:30",
            ],
        ),
    ],
)
def test_the_audit_log_reads_as_words_in_either_language(chromium, logged_changes, locale, words):
    ARTIFACTS.mkdir(exist_ok=True)
    page = chromium.new_page(locale=locale, viewport={"width": 1280, "height": 900})
    log_in_page(page, logged_changes, "audit.admin", PASSWORD)

    page.goto(f"{logged_changes}/admin/audit")
    text = page.inner_text("main")

    missing = [word for word in words if word not in text]
    assert missing == []
    assert "tech_based" not in text
    assert page.locator("select[name=entity_type] option:checked").inner_text() != ""
    page.screenshot(path=str(ARTIFACTS / f"audit-log-{locale}.png"), full_page=True)
    page.close()
