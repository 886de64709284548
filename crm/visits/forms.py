"""The visit form (few fields first, details folded), follow-ups and the contact-leader form."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from crm.forms_base import CheckedForm
from crm.visits.labels import LABELS, choices
from crm.visits.services import FollowUpInput, VisitInput
from crm.visits.validation import FlagAnswer
from models import MoveOutReason, RedFlag, VisitKind
from models.visit import FINDING_AREAS

FOLLOW_UP_ROWS = 3
YES, NO = "yes", "no"


class FollowUpForm(Form):
    description = StringField(_l("Follow-up action"), validators=[Optional(), Length(max=300)])
    owner = SelectField(_l("Owner"), validators=[Optional()])
    due_on = DateField(_l("Due on"), validators=[Optional()])


class VisitForm(CheckedForm):
    default_owner: str | None = None
    visited_on = DateField(_l("Date of the visit"), validators=[DataRequired()])
    kind = RadioField(_l("Kind"), validators=[DataRequired()])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=5000)])
    move_out_reason = SelectField(_l("Why might it move out?"), validators=[Optional()])
    participants = SelectMultipleField(_l("Who went"), validators=[Optional()])
    people_met = StringField(_l("People met"), validators=[Optional(), Length(max=300)])
    findings_operations = TextAreaField(_l("Operations"), validators=[Optional()])
    findings_financing = TextAreaField(_l("Financing"), validators=[Optional()])
    findings_space = TextAreaField(_l("Space"), validators=[Optional()])
    findings_talent = TextAreaField(_l("Talent"), validators=[Optional()])
    findings_market = TextAreaField(_l("Market"), validators=[Optional()])
    findings_risks = TextAreaField(_l("Risks"), validators=[Optional()])
    follow_ups = FieldList(FormField(FollowUpForm), min_entries=FOLLOW_UP_ROWS)
    next_visit_on = DateField(_l("Next planned visit"), validators=[Optional()])
    version_id = HiddenField()
    confirm_duplicate = HiddenField()

    def prepare(self, people: list[SelectChoice], default_owner: str) -> "VisitForm":
        """Fill the choices; a new follow-up is owned by `default_owner` unless changed."""
        self.kind.choices = choices(VisitKind)
        self.move_out_reason.choices = [("", "—"), *choices(MoveOutReason)]
        self.participants.choices = people
        for flag_field in self.flag_fields():
            flag_field.choices = [(NO, _("No")), (YES, _("Yes"))]
        self.default_owner = default_owner
        for row in self.follow_ups:
            row.form.owner.choices = [SelectChoice("", "—"), *people]
            if not self.is_submitted() and not row.form.owner.data:
                row.form.owner.data = default_owner
        return self

    def flag_fields(self) -> list[RadioField]:
        return [getattr(self, f"flag_{flag.value}") for flag in RedFlag]

    def to_input(self) -> VisitInput:
        answers = {flag.value: getattr(self, f"flag_{flag.value}").data for flag in RedFlag}
        asked = any(answer in {YES, NO} for answer in answers.values())
        return VisitInput(
            visited_on=self.visited_on.data,
            kind=self.kind.data or "",
            summary=self.summary.data or "",
            people_met=self.people_met.data,
            findings={area: getattr(self, f"findings_{area}").data for area in FINDING_AREAS},
            red_flags_asked=asked,
            red_flags={
                flag: FlagAnswer(
                    raised=answer == YES,
                    move_out_reason=self.move_out_reason.data if flag == "move_out" else None,
                )
                for flag, answer in answers.items()
                if answer in {YES, NO}
            },
            participants=list(self.participants.data or []),
            follow_ups=[
                FollowUpInput(
                    description=row.form.description.data or "",
                    owner=self._chosen_owner(row.form),
                    due_on=row.form.due_on.data,
                )
                for row in self.follow_ups
            ],
            next_visit_on=self.next_visit_on.data,
        )

    def _chosen_owner(self, row: FollowUpForm) -> str | None:
        # Every row shows the default owner: a row left at that and nothing else is unused,
        # not a follow-up missing its description.
        owner = row.owner.data or None
        if not row.description.data and row.due_on.data is None and owner == self.default_owner:
            return None
        return owner


for _flag in RedFlag:  # one yes/no question per red flag, named flag_<value>
    setattr(
        VisitForm,
        f"flag_{_flag.value}",
        RadioField(LABELS[_flag], validators=[Optional()]),
    )


class ContactLeaderForm(CheckedForm):
    leader = SelectField(_l("Contact leader"), validators=[Optional()])
