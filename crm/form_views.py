"""What every view that saves a form does with the service's answer: commit it, or show why not.

A view module by role (it commits), shared by the domains' views so that a refused or stale edit
answers the same on every page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from crm.errors import ConflictError, InvalidInputError
from models import db

T = TypeVar("T")


def attach_errors(form: FlaskForm, invalid: InvalidInputError) -> None:
    """Each message goes under its field; one about no field of the form is flashed."""
    for field_name, messages in invalid.errors.items():
        field = getattr(form, field_name, None)
        if field is not None:
            field.errors = [*field.errors, *messages]
        else:
            flash(" ".join(messages), "danger")


@dataclass(frozen=True)
class Saved(Generic[T]):
    done: bool
    value: T | None = None
    # The status to render the form again with: 409 when someone else saved the record first.
    status: int = 200
    conflict: ConflictError | None = None  # what refused it, when a conflict did

    @property
    def refused_status(self) -> int:
        """A page posted to answers 422 for a refused form, 409 for one that lost to a conflict."""
        return 409 if self.status == 409 else 422


def save(
    form: FlaskForm,
    write: Callable[[], T],
    done_message: str,
    show_errors: Callable[[FlaskForm, InvalidInputError], None] = attach_errors,
) -> Saved[T]:
    """Run the service call a form posted. Done: commit and flash `done_message`. Refused: roll
    back what it flushed; its field errors go on the form, a conflict's message (a stale edit, a
    step no longer allowed) is flashed and the page answers 409, the input kept for the user to
    compare and post again."""
    try:
        value = write()
    except InvalidInputError as invalid:
        db.session.rollback()
        show_errors(form, invalid)
        return Saved(done=False)
    except ConflictError as conflict:
        db.session.rollback()
        flash(conflict.message, "danger")
        return Saved(done=False, status=409, conflict=conflict)
    db.session.commit()
    flash(done_message, "success")
    return Saved(done=True, value=value)


def commit_and_redirect(message: str, target: str, category: str = "success") -> Response:
    """Commit what the view's service call flushed, say it was done, and go on to `target`."""
    db.session.commit()
    flash(message, category)
    return redirect(target)
