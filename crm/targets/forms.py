"""The target form of the admin's target table."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from crm.forms_base import CheckedForm


class TargetForm(CheckedForm):
    key = StringField(_l("Key"), validators=[Optional(), Length(max=40)])
    title_zh = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=120)])
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=160)])
    goal = IntegerField(_l("Goal"), validators=[InputRequired(), NumberRange(max=10_000_000)])
    deadline = DateField(_l("Deadline"), validators=[DataRequired()])
    owner = SelectField(_l("Owner"), validators=[Optional()])
    measure = SelectField(_l("Counts"), validators=[DataRequired()])
    tier_at_least = SelectField(_l("Firms at this tier or above"), validators=[Optional()])
    designations = SelectMultipleField(_l("Firms holding any of"), validators=[Optional()])
    figure = SelectField(_l("Yearly figure summed"), validators=[Optional()])
    is_per_year = BooleanField(_l("Per year (the last complete year)"))
    since_year = IntegerField(
        _l("Cumulated since the year"), validators=[Optional(), NumberRange(2000, 2100)]
    )
    version_id = HiddenField()
