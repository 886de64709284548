"""The snooze form: a few presets a thumb can hit on a phone."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from crm.forms_base import CheckedForm

DEFAULT_SNOOZE = "7"


def snooze_presets() -> list[SelectChoice]:
    return [
        SelectChoice("1", _l("Until tomorrow")),
        SelectChoice("3", _l("For 3 days")),
        SelectChoice(DEFAULT_SNOOZE, _l("For a week")),
        SelectChoice("30", _l("For a month")),
    ]


class SnoozeForm(CheckedForm):
    days = SelectField(_l("Snooze"), choices=snooze_presets, default=DEFAULT_SNOOZE)
