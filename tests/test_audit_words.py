"""Every audit entry the code writes can be read in words: its action and its kind of record."""

import ast
from datetime import date
from pathlib import Path

from crm.audit_words import ACTIONS, RECORDS
from crm.listings import services
from models import db
from tests.helpers import log_in
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
