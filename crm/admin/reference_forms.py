"""The reference data form."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from crm.forms_base import CheckedForm


class ReferenceForm(CheckedForm):
    slug = StringField(
        _l("Slug (used in imports and the API)"), validators=[Optional(), Length(max=40)]
    )
    name_zh = StringField(_l("Chinese name"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("English name"), validators=[DataRequired(), Length(max=120)])
    version_id = HiddenField()
