"""The leader's override form. Shape of the input only; the rules live in overrides.py."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from crm.forms_base import CheckedForm
from crm.pipeline.overrides import MAX_REASON_LENGTH, OverrideInput


class OverrideForm(CheckedForm):
    tier = SelectField(_l("Tier"), validate_choice=False)
    watch = BooleanField(_l("Put the firm on watch"))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=MAX_REASON_LENGTH)])
    version_id = HiddenField()

    def to_input(self) -> OverrideInput:
        return OverrideInput(
            tier=self.tier.data or "", watch=bool(self.watch.data), reason=self.reason.data or ""
        )
