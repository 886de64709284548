"""Candidate, screening, decision, assignment, event and intake forms: shape of the input only."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from crm.discovery.candidate_input import CandidateInput
from crm.forms_base import CheckedForm


class CandidateForm(CheckedForm):
    name = StringField(_l("Firm name"), validators=[DataRequired(), Length(max=200)])
    uscc = StringField(_l("Unified social credit code"), validators=[Optional(), Length(max=40)])
    track = SelectField(_l("Industry track"), validators=[DataRequired()])
    zone = SelectField(_l("Functional zone"), validators=[Optional()])
    sub_district = SelectField(_l("Sub-district"), validators=[Optional()])
    source_kind = SelectField(_l("Source"), validators=[DataRequired()])
    source_name = StringField(
        _l("Investor, department or big firm"), validators=[Optional(), Length(max=200)]
    )
    event_id = SelectField(_l("Discovery event"), coerce=int, validators=[Optional()])
    award = StringField(_l("Award"), validators=[Optional(), Length(max=100)])
    profile = TextAreaField(_l("Short profile"), validators=[Optional(), Length(max=2000)])
    duplicates_checked = BooleanField(_l("I have checked the possible duplicates"))
    version_id = HiddenField()  # when editing

    def to_input(self) -> CandidateInput:
        return CandidateInput(
            name=self.name.data or "",
            uscc=self.uscc.data,
            track=self.track.data or "",
            zone=self.zone.data or None,
            sub_district=self.sub_district.data or None,
            source_kind=self.source_kind.data or "",
            source_name=self.source_name.data,
            event_id=self.event_id.data or None,
            award=self.award.data,
            profile=self.profile.data,
        )


class ScreeningForm(CheckedForm):
    screened_on = DateField(_l("Screening visit on"), validators=[InputRequired()])
    score = SelectField(
        _l("Score"),
        coerce=int,
        choices=[SelectChoice(value, str(value)) for value in range(1, 6)],
        validators=[InputRequired()],
    )
    rationale = StringField(_l("Why this score"), validators=[Optional(), Length(max=500)])
    notes = TextAreaField(_l("Screening notes"), validators=[Optional(), Length(max=5000)])
    version_id = HiddenField()


class DecisionForm(CheckedForm):
    decision = RadioField(
        _l("Screening decision"),
        choices=[
            SelectChoice("admit", _l("Admit to the reservoir")),
            SelectChoice("watch", _l("Keep watching")),
            SelectChoice("decline", _l("Decline")),
            SelectChoice("link", _l("Already in the reservoir: link to that firm")),
        ],
        validators=[InputRequired()],
    )
    tier = SelectField(_l("Tier on admission"), validators=[Optional()])
    uscc = StringField(_l("Unified social credit code"), validators=[Optional(), Length(max=40)])
    zone = SelectField(_l("Functional zone"), validators=[Optional()])
    watch_until = DateField(_l("Watch until"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])
    version_id = HiddenField()


class AssignForm(CheckedForm):
    sub_district = SelectField(_l("Sub-district"), validators=[DataRequired()])
    version_id = HiddenField()


class EventForm(CheckedForm):
    kind = SelectField(_l("Event kind"), validators=[DataRequired()])
    name = StringField(_l("Event name"), validators=[DataRequired(), Length(max=200)])
    organiser = StringField(_l("Organiser"), validators=[Optional(), Length(max=200)])
    round = StringField(_l("Round"), validators=[Optional(), Length(max=40)])
    held_on = DateField(_l("Held on"), validators=[InputRequired()])
    place = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    version_id = HiddenField()


class ParticipantForm(CheckedForm):
    uscc = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(max=40)]
    )
    award = StringField(_l("Award"), validators=[Optional(), Length(max=100)])
    rank = IntegerField(_l("Rank"), validators=[Optional(), NumberRange(min=1, max=100_000)])


class IntakeForm(CheckedForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
        render_kw={"accept": ".csv,.xlsx"},
    )
    source_kind = SelectField(_l("Source"), validators=[DataRequired()])
    source_name = StringField(
        _l("Investor, department or big firm"), validators=[Optional(), Length(max=200)]
    )
    event_id = SelectField(_l("Discovery event"), coerce=int, validators=[Optional()])


class ConfirmIntakeForm(CheckedForm):
    token = HiddenField()
    source_kind = HiddenField()
    source_name = HiddenField()
    event_id = HiddenField()
