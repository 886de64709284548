"""Login and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from crm.forms_base import CheckedForm


class LoginForm(CheckedForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class ChangePasswordForm(CheckedForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=128)]
    )
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", _l("The two entries differ."))],
    )
