"""Package, decision, item-step and catalogue forms: shape of the input only."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from crm.forms_base import CheckedForm
from crm.policies.services import ItemInput

ITEM_ROWS = 5  # a fixed set of rows works without JavaScript; empty ones are ignored


class ItemForm(Form):
    instrument_id = SelectField(_l("Instrument"), coerce=int, validate_choice=False)
    amount = DecimalField(_l("Amount"), validators=[Optional()])
    conditions = StringField(_l("Conditions"), validators=[Optional(), Length(max=2000)])
    disburse_by = DateField(_l("Disburse by"), validators=[Optional()])
    review_on = DateField(_l("Review on"), validators=[Optional()])

    def is_empty(self) -> bool:
        return not self.instrument_id.data and self.amount.data is None and not self.conditions.data

    def to_input(self) -> ItemInput:
        return ItemInput(
            instrument_id=self.instrument_id.data or None,
            amount=self.amount.data,
            conditions=self.conditions.data,
            disburse_by=self.disburse_by.data,
            review_on=self.review_on.data,
        )


class PackageForm(CheckedForm):
    title = StringField(_l("Package title"), validators=[DataRequired(), Length(max=200)])
    rationale = TextAreaField(_l("Rationale"), validators=[Optional(), Length(max=5000)])
    items = FieldList(FormField(ItemForm), min_entries=ITEM_ROWS, max_entries=ITEM_ROWS)


class DecisionForm(CheckedForm):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))],
        validators=[InputRequired()],
    )
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    version_id = HiddenField()


class GrantForm(CheckedForm):
    granted_on = DateField(_l("Granted on"), validators=[InputRequired()])
    version_id = HiddenField()


class DisburseForm(CheckedForm):
    disbursed_amount = DecimalField(_l("Amount disbursed"), validators=[InputRequired()])
    disbursed_on = DateField(_l("Disbursed on"), validators=[InputRequired()])
    version_id = HiddenField()


class ReviewForm(CheckedForm):
    goal_met = BooleanField(_l("The goal was met"))
    review_note = TextAreaField(_l("Review note"), validators=[Optional(), Length(max=5000)])
    reviewed_on = DateField(_l("Reviewed on"), validators=[InputRequired()])
    version_id = HiddenField()


class InstrumentForm(CheckedForm):
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=120)])
    department_id = SelectField(_l("Department"), coerce=int)
    ceiling = DecimalField(_l("Ceiling per firm"), validators=[Optional()])
    is_active = BooleanField(_l("Offered in new packages"))
