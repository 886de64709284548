"""Every audit entry the code writes can be read in words: its action and its kind of record."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from flask_babel import force_locale

from crm.audit_records import NAMERS, POINTS_AT, RECORD_POINTS_AT, RecordNames
from crm.audit_words import ACTIONS, RECORDS, field_words
from crm.credit import services as credit
from crm.listings import services
from models import AuditEntry, Department, IndustryTrack, SubDistrict, Zone, db
from tests.credit.conftest import make_bank, make_product, nominate
from tests.discovery import helpers as discovery
from tests.factories import (
    EnterpriseFactory,
    EnterpriseRequestFactory,
    VisitFactory,
    YearlyFiguresFactory,
    reference,
)
from tests.helpers import counted_queries, item, log_in, propose
from tests.listings.conftest import NOW, move, open_for

CRM = Path(__file__).resolve().parents[1] / "crm"


def _written() -> tuple[set[str], set[str]]:
    """The constant actions and record kinds passed to record_change and soft_delete."""
    actions: set[str] = set()
    kinds: set[str] = set()
    for path in CRM.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "record_change" and len(node.args) >= 3:
                action = node.args[1]
                for value in (
                    (action.body, action.orelse) if isinstance(action, ast.IfExp) else (action,)
                ):
                    if isinstance(value, ast.Constant):
                        actions.add(value.value)
                if isinstance(node.args[2], ast.Constant):
                    kinds.add(node.args[2].value)
            elif (
                name == "soft_delete"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                kinds.add(node.args[1].value)
    return actions, kinds


def test_every_action_and_record_kind_written_has_words():
    actions, kinds = _written()

    assert len(actions) > 20  # the scan found the calls
    assert len(kinds) > 20
    assert sorted(actions - set(ACTIONS)) == []
    assert sorted(kinds - set(RECORDS)) == []


def test_a_listing_tracks_history_names_the_step_and_the_stage_in_words(client, manager, firm):
    track = open_for(manager, firm, stage="sponsor_signed")
    services.advance_track(manager, track, move("inquiry", date(2026, 5, 1)), 1, NOW)
    db.session.commit()
    log_in(client, manager)

    page = client.get(f"/listings/{track.id}").text

    assert "Stage recorded" in page
    assert "Sponsor signed" in page
    assert "Inquiry" in page
    assert "move" not in page.split('id="history"')[1]


@pytest.mark.parametrize(("language", "label"), [("en", "Firm: "), ("zh_CN", "企业： ")])
def test_a_record_pages_history_names_the_firm_it_points_at(client, manager, firm, language, label):
    track = open_for(manager, firm)
    db.session.commit()
    log_in(client, manager)
    client.post(f"/language/{language}")

    page = client.get(f"/listings/{track.id}").text
    history = re.sub(r"<[^>]+>", "", " ".join(page.split('id="history"')[1].split()))

    assert f"{label}{firm.name}" in history


def test_every_kind_of_record_a_field_points_at_can_be_named():
    kinds = set(POINTS_AT.values()) | set(RECORD_POINTS_AT.values())

    assert sorted(kinds - set(NAMERS)) == []


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_each_kind_of_record_an_id_points_at_is_named_in_one_query_per_kind(
    app, manager, leader, firm, language
):
    track = open_for(manager, firm)
    package = propose(manager, firm, item("loan_interest_subsidy", "1000"))
    visit = VisitFactory(enterprise=firm)
    request = EnterpriseRequestFactory(enterprise=firm)
    product = make_product(make_bank())
    batch = credit.open_batch(leader, product.id, "2026年第四批数字经济白名单", NOW)
    YearlyFiguresFactory(enterprise=firm, year=2025)
    nomination = nominate(manager, batch, firm)
    event = discovery.event(leader)
    candidate = discovery.candidate(leader)
    expected = {  # (record kind, field, id): (English, Chinese)
        ("package", "enterprise_id", firm.id): (firm.name, firm.name),
        ("package", "enterprise_id", 999999): ("#999999", "#999999"),
        ("package_item", "instrument_id", package.items[0].instrument_id): (
            "Loan interest subsidy",
            "贷款贴息",
        ),
        ("target", "owner_id", leader.id): (leader.display_name, leader.display_name),
        ("request", "visit_id", visit.id): (
            f"Mar 2, 2026 · {firm.name}",
            f"2026年3月2日 · {firm.name}",
        ),
        ("nomination", "request_id", request.id): (
            f"Request #{request.id} · Financing",
            f"诉求 #{request.id} · 融资",
        ),
        ("nomination", "batch_id", batch.id): (batch.title, batch.title),
        ("nomination_batch", "product_id", product.id): (
            "Bank of Shanghai · 数字经济白名单贷",
            "上海银行 · 数字经济白名单贷",
        ),
        ("credit_drawdown", "nomination_id", nomination.id): (
            f"{firm.name} · {batch.title}",
            f"{firm.name} · {batch.title}",
        ),
        ("discovery_candidate", "event_id", event.id): (event.name, event.name),
        ("enterprise", "discovery_candidate_id", candidate.id): (candidate.name, candidate.name),
        ("listing_blocker", "track_id", track.id): (
            f"{firm.name} · Listing track",
            f"{firm.name} · 上市培育档案",
        ),
        ("listing_track", "packages", package.id): (package.title, package.title),
        ("discovery_candidate", "sub_district_id", reference(SubDistrict, "daninglu").id): (
            "Daning Road Sub-district",
            "大宁路街道",
        ),
        ("credit_product", "zone_id", reference(Zone, "daning").id): ("Daning Zone", "大宁功能区"),
        ("credit_product", "track_id", reference(IndustryTrack, "ai").id): (
            "Artificial intelligence",
            "人工智能",
        ),
        ("policy_instrument", "department_id", reference(Department, "finance").id): (
            "Finance Bureau",
            "区财政局",
        ),
    }
    entries = [
        AuditEntry(action="update", entity_type=kind, entity_id=1, changes={field: [[], [id_]]})
        for kind, field, id_ in expected
    ]

    with app.test_request_context(), force_locale(language), counted_queries() as statements:
        names = RecordNames(entries, language, leader)
        named = {key: names.words(*key) for key in expected}

    column = 0 if language == "en" else 1
    assert named == {key: words[column] for key, words in expected.items()}
    assert [key for key in expected if field_words(key[0], key[1]) == key[1]] == []  # labelled
    assert len(statements) == len(NAMERS)  # one query per kind, each kind named above


def test_a_firm_is_named_only_to_a_reader_who_may_read_it(app, manager, firm):
    elsewhere = EnterpriseFactory(name="上海外街道科技有限公司", sub_district_slug="jingansi")
    entry = AuditEntry(
        action="participants",
        entity_type="discovery_event",
        entity_id=1,
        changes={"enterprise_ids": [None, [firm.id, elsewhere.id]]},
    )

    names = RecordNames([entry], "en", manager)

    assert names.words("discovery_event", "enterprise_ids", firm.id) == firm.name
    assert names.words("discovery_event", "enterprise_ids", elsewhere.id) == f"#{elsewhere.id}"
