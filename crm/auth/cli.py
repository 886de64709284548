"""`flask crm unlock-user` and `flask crm end-sessions`: for when no admin can log in, or an
account is known to be compromised."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from crm.auth import lockout
from crm.auth.services import end_sessions_and_tokens, normalised_username
from crm.clock import utcnow
from models import User, db


def _user(username: str) -> User:
    wanted = normalised_username(username)
    user = db.session.scalar(select(User).where(func.lower(User.username) == wanted))
    if user is None:
        message = _("no account '%(username)s'", username=username)
        raise click.BadParameter(message, param_hint="USERNAME")
    return user


@click.command("unlock-user")
@click.argument("username")
@with_appcontext
def unlock_user_command(username: str) -> None:
    """Lift a lock-out after failed logins (audited, with no actor)."""
    user = _user(username)
    lockout.unlock(None, user)
    db.session.commit()
    click.echo(_("%(username)s can log in again.", username=user.username))


@click.command("end-sessions")
@click.argument("username")
@with_appcontext
def end_sessions_command(username: str) -> None:
    """Log the user out everywhere and revoke all their API tokens (audited)."""
    user = _user(username)
    revoked = end_sessions_and_tokens(None, user, utcnow(), "ended from the command line")
    db.session.commit()
    click.echo(
        ngettext(
            "Every session of %(username)s has ended; %(num)d API token revoked.",
            "Every session of %(username)s has ended; %(num)d API tokens revoked.",
            revoked,
            username=user.username,
        )
    )
