"""Bank, product, batch, nomination, decision, renewal and loan forms: shape of the input only."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from crm.forms_base import CheckedForm


class BankForm(CheckedForm):
    slug = StringField(_l("Short name"), validators=[DataRequired(), Length(max=40)])
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=120)])
    is_active = BooleanField(_l("A partner now"), default=True)
    columns = TextAreaField(
        _l("Nomination format"),
        validators=[DataRequired(), Length(max=5000)],
        description=_l("One column a line, in the bank's order: field = header."),
    )
    version_id = HiddenField()


class ProductForm(CheckedForm):
    name = StringField(_l("Product"), validators=[DataRequired(), Length(max=120)])
    max_quota = DecimalField(_l("Highest quota (10,000 yuan)"), validators=[InputRequired()])
    rate_min = DecimalField(_l("Lowest rate (annual %)"), validators=[InputRequired()])
    rate_max = DecimalField(_l("Highest rate (annual %)"), validators=[InputRequired()])
    term_months = IntegerField(_l("Term (months)"), validators=[InputRequired()])
    is_active = BooleanField(_l("Offered now"), default=True)
    zone_id = SelectField(_l("Only for the zone"), coerce=int, validate_choice=False)
    track_id = SelectField(_l("Only for the track"), coerce=int, validate_choice=False)
    version_id = HiddenField()


class BatchForm(CheckedForm):
    product_id = SelectField(_l("Bank and product"), coerce=int, validate_choice=False)
    title = StringField(_l("Batch title"), validators=[DataRequired(), Length(max=200)])
    version_id = HiddenField()


class NominationForm(CheckedForm):
    batch_id = SelectField(_l("Batch"), coerce=int, validate_choice=False)
    uscc = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(max=18)]
    )
    quota_asked = DecimalField(_l("Quota asked (10,000 yuan)"), validators=[InputRequired()])
    request_id = HiddenField()
    version_id = HiddenField()


class VersionForm(CheckedForm):
    """A button that changes a record: it posts the version it was shown."""

    version_id = HiddenField()


class DecisionForm(CheckedForm):
    decision = RadioField(
        _l("The bank's decision"),
        choices=[
            SelectChoice("listed", _l("On the white list")),
            SelectChoice("refused", _l("Refused")),
        ],
        validators=[InputRequired()],
    )
    decided_on = DateField(_l("Decided on"), validators=[InputRequired()])
    quota_granted = DecimalField(_l("Quota granted (10,000 yuan)"), validators=[Optional()])
    rate = DecimalField(_l("Rate (annual %)"), validators=[Optional()])
    term_months = IntegerField(_l("Term (months)"), validators=[Optional()])
    renewal_on = DateField(
        _l("Renewal on"),
        validators=[Optional()],
        description=_l("Empty: the decision day plus the term."),
    )
    refusal_reason = TextAreaField(_l("Reason refused"), validators=[Optional(), Length(max=2000)])
    version_id = HiddenField()


class RenewalForm(CheckedForm):
    renewal_on = DateField(_l("Next renewal on"), validators=[InputRequired()])
    version_id = HiddenField()


class DrawdownForm(CheckedForm):
    drawn_on = DateField(_l("Drawn on"), validators=[InputRequired()])
    amount = DecimalField(_l("Amount (10,000 yuan)"), validators=[InputRequired()])
    repaid_on = DateField(_l("Repaid on"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class RepaymentForm(CheckedForm):
    """The day a recorded loan was repaid; the version is the nomination's."""

    repaid_on = DateField(_l("Repaid on"), validators=[InputRequired()])
    drawdown_id = HiddenField()
    version_id = HiddenField()


class AnswerForm(CheckedForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=5000)])
    version_id = HiddenField()
