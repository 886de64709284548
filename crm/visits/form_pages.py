"""What the visit form pages need: choices for selects, the edit form filled, errors shown."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import case, false, or_, select
from wtforms.fields.choices import SelectChoice

from crm.errors import InvalidInputError
from crm.form_views import attach_errors as attach_field_errors
from crm.i18n import current_locale
from crm.visits.forms import NO, YES, VisitForm
from models import RedFlag, Role, SubDistrict, User, Visit, db
from models.visit import FINDING_AREAS

# The session key telling the page after a save to drop the browser's draft of that firm.
DRAFT_SAVED_KEY = "visit_draft_saved"


def people_choices(user: User) -> list[SelectChoice]:
    """Everyone who may go on a visit or own a follow-up: `user` and the colleagues of their
    sub-district or department first (whom they most often pick), then the others, by name."""
    colleague = or_(
        User.id == user.id,
        User.sub_district_id == user.sub_district_id if user.sub_district_id else false(),
        User.department_id == user.department_id if user.department_id else false(),
    )
    is_colleague = case((colleague, 0), else_=1)
    query = (
        select(User, is_colleague)
        .where(User.is_active_account.is_(True))
        .order_by(is_colleague, User.display_name, User.id)
    )
    groups = {0: _colleagues_label(user), 1: _("Everyone else")}
    return [
        SelectChoice(person.username, person.display_name, optgroup=groups[rank])
        for person, rank in db.session.execute(query)
    ]


def _colleagues_label(user: User) -> str:
    if user.sub_district_id:
        return _("Your sub-district")
    if user.department_id:
        return _("Your department")
    return _("You")


def leader_choices() -> list[tuple[str, str]]:
    query = select(User).where(User.role == Role.LEADER, User.is_active_account.is_(True))
    leaders = db.session.scalars(query.order_by(User.display_name))
    return [(user.username, user.display_name) for user in leaders]


def sub_district_choices() -> list[tuple[str, str]]:
    locale = current_locale()
    rows = db.session.scalars(select(SubDistrict).order_by(SubDistrict.slug))
    return [(row.slug, row.name_for(locale)) for row in rows]


def form_for_visit(visit: Visit, user: User) -> VisitForm:
    """The edit form, filled from the visit on GET; follow-ups are added, never rewritten."""
    form = VisitForm()
    if not form.is_submitted():
        form.process(
            data={
                "visited_on": visit.visited_on,
                "kind": visit.kind.value,
                "summary": visit.summary,
                "people_met": visit.people_met,
                "participants": [user.username for user in visit.participants],
                "next_visit_on": visit.next_visit_on,
                "version_id": str(visit.version_id),
                **{
                    f"findings_{area}": getattr(visit, f"findings_{area}") for area in FINDING_AREAS
                },
            }
        )
        raised = {row.flag: row for row in visit.red_flags}
        if visit.red_flags_asked:
            for flag in RedFlag:
                getattr(form, f"flag_{flag.value}").data = YES if flag in raised else NO
        if (move_out := raised.get(RedFlag.MOVE_OUT)) is not None:
            form.move_out_reason.data = move_out.move_out_reason
    return form.prepare(people_choices(user), user.username)


FIELDSET_ERRORS = ("red_flags", "follow_ups")


def attach_errors(form: FlaskForm, invalid: InvalidInputError) -> None:
    """As everywhere, but red flags and follow-ups are shown by their fieldsets."""
    sections = {name: m for name, m in invalid.errors.items() if name in FIELDSET_ERRORS}
    if sections:
        form.section_errors = {**getattr(form, "section_errors", {}), **sections}
    fields = {name: m for name, m in invalid.errors.items() if name not in FIELDSET_ERRORS}
    attach_field_errors(form, InvalidInputError(fields))
