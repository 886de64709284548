"""Request forms: raise, edit, take a workflow step, edit a route. Shape of the input only."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from crm.errors import seen_version
from crm.forms_base import CheckedForm
from crm.requests.labels import choices
from crm.requests.services import RequestEdit, RequestInput
from crm.requests.workflow import TEXT_MAX_LENGTH, StepInput
from models import RequestCategory, RequestUrgency


class RequestForm(CheckedForm):
    enterprise_id = SelectField(_l("Firm"), coerce=int, validators=[DataRequired()])
    category = SelectField(_l("Category"), validators=[DataRequired()])
    description = TextAreaField(
        _l("What the firm needs"), validators=[DataRequired(), Length(max=TEXT_MAX_LENGTH)]
    )
    urgency = SelectField(_l("Urgency"), default=RequestUrgency.NORMAL.value)
    department = SelectField(_l("Routed to"), validators=[DataRequired()])
    due_on = DateField(_l("Due on"), validators=[DataRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = choices(RequestCategory)
        self.urgency.choices = choices(RequestUrgency)
        # static/js/firm_search.js turns the select into a search box; the select stays the
        # value posted, and the whole control without JavaScript.
        self.enterprise_id.render_kw = {
            "data-firm-search": url_for("enterprises.search_enterprises"),
            "data-firm-placeholder": _("Type part of the name or credit code"),
            "data-firm-none": _("No firm found"),
        }

    def to_input(self) -> RequestInput:
        return RequestInput(
            enterprise_id=self.enterprise_id.data or 0,
            category=self.category.data or "",
            description=self.description.data or "",
            urgency=self.urgency.data or "",
            department=self.department.data or None,
            due_on=self.due_on.data,
        )


class EditRequestForm(CheckedForm):
    description = TextAreaField(
        _l("What the firm needs"), validators=[DataRequired(), Length(max=TEXT_MAX_LENGTH)]
    )
    urgency = SelectField(_l("Urgency"))
    due_on = DateField(_l("Due on"), validators=[DataRequired()])
    version_id = HiddenField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.urgency.choices = choices(RequestUrgency)

    def to_edit(self) -> RequestEdit:
        return RequestEdit(
            description=self.description.data or "",
            urgency=self.urgency.data or "",
            due_on=self.due_on.data,  # type: ignore[arg-type]  # DataRequired ran
        )


class StepForm(CheckedForm):
    action = HiddenField(validators=[DataRequired()])
    version_id = HiddenField()
    answer = TextAreaField(_l("Answer to the firm"), validators=[Length(max=TEXT_MAX_LENGTH)])
    satisfaction = IntegerField(
        _l("Firm's satisfaction (1-5)"), validators=[Optional(), NumberRange(1, 5)]
    )
    department = SelectField(_l("Transfer to"), validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[Length(max=TEXT_MAX_LENGTH)])
    note = TextAreaField(_l("Note"), validators=[Length(max=TEXT_MAX_LENGTH)])

    def to_input(self) -> StepInput:
        return StepInput(
            note=self.note.data,
            answer=self.answer.data,
            satisfaction=self.satisfaction.data,
            department=self.department.data or None,
            reason=self.reason.data,
        )

    def seen_version(self) -> int | None:
        """None when the form sent none (no check); 0, never a real version, when tampered with:
        refused as a stale edit."""
        raw = (self.version_id.data or "").strip()
        return seen_version(raw) if raw else None


class RouteForm(CheckedForm):
    department = SelectField(_l("Default department"), validators=[DataRequired()])
    due_days = IntegerField(_l("Days to answer"), validators=[DataRequired(), NumberRange(1, 365)])
