"""The user account form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from crm.forms_base import CheckedForm


class UserForm(CheckedForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=120)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    sub_district = SelectField(_l("Sub-district (account managers)"))
    department = SelectField(_l("Department (department staff)"))
    is_department_head = BooleanField(_l("Head of the department"))
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=128)])
    is_active = BooleanField(_l("Active"), default=True)
    version_id = HiddenField()
