"""Field checks shared by logging and editing a visit: kind, red-flag answers, people."""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from models import MoveOutReason, RedFlag, User, VisitKind, VisitRedFlag, db

Fail = Callable[[str, str], None]
NOTE_MAX_LENGTH = 300


@dataclass
class FlagAnswer:
    raised: bool
    move_out_reason: str | None = None  # only for RedFlag.MOVE_OUT
    note: str | None = None


def checked_kind(value: str, fail: Fail) -> VisitKind | None:
    try:
        return VisitKind(value)
    except ValueError:
        fail("kind", _("Choose how the visit took place."))
        return None


def checked_red_flags(
    kind: VisitKind | None, asked: bool, answers: dict[str, FlagAnswer], fail: Fail
) -> list[VisitRedFlag]:
    """The raised flags as rows; every on-site visit must answer every question."""
    unknown = sorted(set(answers) - {flag.value for flag in RedFlag})
    for name in unknown:
        fail("red_flags", _("Unknown red flag “%(value)s”.", value=name))
    if kind != VisitKind.ON_SITE:
        if any(answer.raised for answer in answers.values()):
            fail("red_flags", _("Red flags are recorded on on-site visits."))
        return []
    if not asked or any(flag.value not in answers for flag in RedFlag):
        fail("red_flags", _("On an on-site visit, answer every red-flag question."))
        return []
    rows = []
    for flag in RedFlag:
        answer = answers[flag.value]
        if not answer.raised:
            continue
        note = (answer.note or "").strip() or None
        if note is not None and len(note) > NOTE_MAX_LENGTH:
            fail("red_flags", _("At most %(count)d characters.", count=NOTE_MAX_LENGTH))
        reason = _move_out_reason(flag, answer.move_out_reason, fail)
        rows.append(VisitRedFlag(flag=flag, move_out_reason=reason, note=note))
    return rows


def _move_out_reason(flag: RedFlag, value: str | None, fail: Fail) -> MoveOutReason | None:
    if flag != RedFlag.MOVE_OUT:
        return None
    try:
        return MoveOutReason(value or "")
    except ValueError:
        fail("move_out_reason", _("Say why the firm may move out."))
        return None


def checked_users(usernames: list[str], field_name: str, fail: Fail) -> list[User]:
    wanted = [name for name in dict.fromkeys(usernames) if name]
    if not wanted:
        return []
    found = {
        user.username: user
        for user in db.session.scalars(select(User).where(User.username.in_(wanted)))
        if user.is_active
    }
    for name in wanted:
        if name not in found:
            fail(field_name, _("No active user is called “%(name)s”.", name=name))
    return [found[name] for name in wanted if name in found]
