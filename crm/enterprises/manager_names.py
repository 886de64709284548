"""An account manager named in a file by login or, when no one else has it, by name."""

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from crm.enterprises.cells import CellError, word
from models import Role, User, db


class ManagerNames:
    """The active managers a file may name: the actor's sub-district's for a manager, else all.

    The service still takes a login and checks the manager against the firm's sub-district."""

    def __init__(self, actor: User | None = None) -> None:
        query = select(User.username, User.display_name).where(
            User.role == Role.MANAGER, User.is_active_account.is_(True)
        )
        if actor is not None and actor.role == Role.MANAGER:
            query = query.where(User.sub_district_id == actor.sub_district_id)
        self.logins: set[str] = set()
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for username, display_name in db.session.execute(query):
            self.logins.add(username)
            self.by_name[word(display_name)].append(username)

    def login(self, text: str) -> tuple[str, str | None]:
        """The login `text` names, and a note when it named a person; an unknown text is kept
        for the service to refuse in its own words."""
        if text in self.logins:
            return text, None
        logins = sorted(self.by_name.get(word(text), []))
        if len(logins) == 1:
            return logins[0], f"{text} → {logins[0]}"
        if logins:
            raise CellError(
                _(
                    "Several account managers are called “%(name)s”. Write the login of the one "
                    "you mean: %(logins)s.",
                    name=text,
                    logins=", ".join(logins),
                )
            )
        return text, None
