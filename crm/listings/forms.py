"""Track, step, blocker and support forms: shape of the input only."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from crm.errors import record_id
from crm.forms_base import CheckedForm
from crm.listings.blockers import BlockerInput
from crm.listings.services import MoveInput, TrackInput


class TrackForm(CheckedForm):
    board = SelectField(_l("Target board"), validators=[InputRequired()])
    stage = SelectField(_l("Stage"), validators=[InputRequired()])
    stage_since = DateField(_l("In this stage since"), validators=[Optional()])
    sponsor = StringField(_l("Sponsor"), validators=[Optional(), Length(max=100)])
    planned_listing_on = DateField(_l("Planned listing date"), validators=[Optional()])

    def to_input(self) -> TrackInput:
        return TrackInput(
            board=self.board.data or "",
            stage=self.stage.data or "",
            stage_since=self.stage_since.data,
            sponsor=self.sponsor.data,
            planned_listing_on=self.planned_listing_on.data,
        )


class EditTrackForm(CheckedForm):
    board = SelectField(_l("Target board"), validators=[InputRequired()])
    sponsor = StringField(_l("Sponsor"), validators=[Optional(), Length(max=100)])
    planned_listing_on = DateField(_l("Planned listing date"), validators=[Optional()])
    version_id = HiddenField()

    def to_input(self) -> TrackInput:
        return TrackInput(
            board=self.board.data or "",
            sponsor=self.sponsor.data,
            planned_listing_on=self.planned_listing_on.data,
        )


class AdvanceForm(CheckedForm):
    stage = SelectField(_l("Move to"), validators=[InputRequired()])
    on = DateField(_l("On"), validators=[InputRequired()])
    stock_code = StringField(_l("Stock code"), validators=[Optional(), Length(max=20)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    version_id = HiddenField()

    def to_input(self) -> MoveInput:
        return MoveInput(
            stage=self.stage.data or "",
            on=self.on.data,
            note=self.note.data,
            stock_code=self.stock_code.data,
        )


class HaltForm(CheckedForm):
    """Pause, withdraw or resume: the day and the reason (the reason is a note on resuming)."""

    on = DateField(_l("On"), validators=[InputRequired()])
    note = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])
    version_id = HiddenField()

    def to_input(self) -> MoveInput:
        return MoveInput(stage="", on=self.on.data, note=self.note.data)


class BlockerForm(CheckedForm):
    description = StringField(_l("Blocker"), validators=[DataRequired(), Length(max=200)])
    category = SelectField(_l("Category"), validators=[InputRequired()])
    department = SelectField(_l("Owning department"), validators=[InputRequired()])
    due_on = DateField(_l("To clear by"), validators=[InputRequired()])

    def to_input(self) -> BlockerInput:
        return BlockerInput(
            description=self.description.data or "",
            department=self.department.data or None,
            due_on=self.due_on.data,
            category=self.category.data or "",
        )


def _posted_id(value: object) -> int | None:
    """A posted package id, or None when it is none (the service then names the field): int()
    takes "99999999999999999999", which overflows in the database driver (a bare 422 page)."""
    if isinstance(value, int):
        return value  # the choices, which are ids already
    return record_id(value if isinstance(value, str) else None)


class AttachForm(CheckedForm):
    package_id = SelectField(_l("Policy package"), coerce=_posted_id, validate_choice=False)
