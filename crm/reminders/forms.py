"""The snooze form: a few presets a thumb can hit on a phone."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

SNOOZE_PRESETS = (
    ("1", _l("Until tomorrow")),
    ("3", _l("For 3 days")),
    ("7", _l("For a week")),
    ("30", _l("For a month")),
)


class SnoozeForm(FlaskForm):
    days = SelectField(_l("Snooze"), choices=SNOOZE_PRESETS, default="7")
