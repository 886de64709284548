"""The firm's create/edit form, yearly figures and contact forms: shape of the input only."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from crm.enterprises.services import EnterpriseInput
from crm.enterprises.uscc import normalise_uscc
from crm.forms_base import CheckedForm


class EnterpriseForm(CheckedForm):
    name = StringField(_l("Registered name"), validators=[DataRequired(), Length(max=200)])
    uscc = StringField(
        _l("Unified social credit code"),
        # A pasted code brings spaces and full-width characters along: fold them before the
        # length is checked, as imports and the API do.
        filters=[lambda code: normalise_uscc(code) if code else code],
        validators=[DataRequired(), Length(min=18, max=18)],
    )
    sub_district = SelectField(_l("Sub-district"), validators=[DataRequired()])
    zone = SelectField(_l("Functional zone"), validators=[DataRequired()])
    track = SelectField(_l("Industry track"), validators=[DataRequired()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    founded_on = DateField(_l("Founded on"), validators=[Optional()])
    registered_capital = DecimalField(
        _l("Registered capital (10,000 yuan)"), places=2, validators=[Optional(), NumberRange(0)]
    )
    tier = SelectField(_l("Cultivation tier"))
    designations = SelectMultipleField(_l("Designations"))
    in_hundred_enterprises_plan = BooleanField(_l("Member of the Hundred Enterprises Growth Plan"))
    manager = SelectField(_l("Account manager"))
    status = SelectField(_l("Status"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    version_id = HiddenField()

    def to_input(self) -> EnterpriseInput:
        return EnterpriseInput(
            name=self.name.data or "",
            uscc=self.uscc.data or "",
            sub_district=self.sub_district.data or "",
            zone=self.zone.data or "",
            track=self.track.data or "",
            address=self.address.data,
            founded_on=self.founded_on.data,
            registered_capital=self.registered_capital.data,
            tier=self.tier.data or "",
            designations=list(self.designations.data or []),
            in_hundred_enterprises_plan=bool(self.in_hundred_enterprises_plan.data),
            manager=self.manager.data or None,
            status=self.status.data or "",
            notes=self.notes.data,
        )


class FiguresForm(CheckedForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(1980, 2100)])
    revenue = DecimalField(_l("Revenue (10,000 yuan)"), places=2, validators=[Optional()])
    revenue_growth_pct = DecimalField(_l("Revenue growth (%)"), places=2, validators=[Optional()])
    employees = IntegerField(_l("Employees"), validators=[Optional(), NumberRange(0)])
    rd_spend = DecimalField(_l("R&D spend (10,000 yuan)"), places=2, validators=[Optional()])
    patents = IntegerField(_l("Patents"), validators=[Optional(), NumberRange(0)])
    pct_applications = IntegerField(_l("PCT applications"), validators=[Optional(), NumberRange(0)])
    blockchain_scenarios = IntegerField(
        _l("Blockchain application scenarios"), validators=[Optional(), NumberRange(0)]
    )
    funding_raised = DecimalField(
        _l("Funding raised (10,000 yuan)"), places=2, validators=[Optional()]
    )
    valuation = DecimalField(_l("Valuation (10,000 yuan)"), places=2, validators=[Optional()])
    tax_paid = DecimalField(_l("Tax paid (10,000 yuan)"), places=2, validators=[Optional()])


class ContactForm(CheckedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=80)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=120)])


class ImportForm(CheckedForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
        render_kw={"accept": ".csv,.xlsx"},
    )


class ConfirmImportForm(CheckedForm):
    # Asked only when the file renames firms (crm/enterprises/import_jobs.request_apply).
    accept_renames = BooleanField(_l("I have checked the new names of the renamed firms."))
