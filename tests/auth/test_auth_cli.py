"""`flask crm unlock-user` and `flask crm end-sessions`."""

from sqlalchemy import select

from models import AuditEntry, User, db
from tests.factories import PASSWORD
from tests.helpers import log_in


def test_unlock_user_lifts_a_lock_from_the_command_line(app, client, manager):
    db.session.commit()
    for _attempt in range(10):
        client.post("/login", data={"username": manager.username, "password": "wrong"})

    result = app.test_cli_runner().invoke(args=["crm", "unlock-user", manager.username.upper()])

    assert result.exit_code == 0, result.output
    assert db.session.get(User, manager.id).locked_until is None
    log_in(client, manager, PASSWORD)
    unlock = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unlock"))
    assert unlock is not None
    assert unlock.actor_id is None


def test_end_sessions_logs_the_user_out_everywhere(app, client, manager):
    log_in(client, manager)

    result = app.test_cli_runner().invoke(args=["crm", "end-sessions", manager.username])

    assert result.exit_code == 0, result.output
    assert client.get("/enterprises/").status_code == 302


def test_an_unknown_username_is_a_usage_error(app):
    result = app.test_cli_runner().invoke(args=["crm", "unlock-user", "nobody"])

    assert result.exit_code == 2
    assert "no account 'nobody'" in result.output
