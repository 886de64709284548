"""A firm's yearly figures and contacts."""

from dataclasses import asdict, dataclass, fields
from decimal import Decimal

from flask_babel import gettext as _

from crm.audit import record_change, record_created
from crm.errors import InvalidInputError
from models import AuditEntry, Contact, Enterprise, User, YearlyFigures, db

EARLIEST_YEAR = 1980


@dataclass
class FiguresInput:
    year: int
    revenue: Decimal | None = None
    revenue_growth_pct: Decimal | None = None
    employees: int | None = None
    rd_spend: Decimal | None = None
    patents: int | None = None
    pct_applications: int | None = None
    blockchain_scenarios: int | None = None  # launched in the year: an action plan target
    funding_raised: Decimal | None = None
    valuation: Decimal | None = None
    tax_paid: Decimal | None = None


FIGURE_FIELDS = tuple(f.name for f in fields(FiguresInput) if f.name != "year")
# Growth may be negative; every other figure is a count or an amount.
# Larger than any firm's figure in 10,000 yuan or in people, and inside the columns' range.
LARGEST_FIGURE = 10**12
NON_NEGATIVE_FIELDS = tuple(name for name in FIGURE_FIELDS if name != "revenue_growth_pct")


def figures_problems(data: FiguresInput, latest_year: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not EARLIEST_YEAR <= data.year <= latest_year:
        errors["year"] = [
            _("Between %(first)d and %(last)d.", first=EARLIEST_YEAR, last=latest_year)
        ]
    for name in FIGURE_FIELDS:
        value = getattr(data, name)
        if value is not None and name in NON_NEGATIVE_FIELDS and value < 0:
            errors[name] = [_("Cannot be negative.")]
        elif value is not None and abs(value) > LARGEST_FIGURE:
            errors[name] = [_("Too large: at most %(max)s.", max=f"{LARGEST_FIGURE:,}")]
    return errors


def upsert_yearly_figures(
    actor: User | None, enterprise: Enterprise, data: FiguresInput, latest_year: int
) -> YearlyFigures:
    staged = stage_yearly_figures(enterprise, data, latest_year)
    db.session.flush()
    record_figures_change(actor, staged)
    return staged.row


@dataclass(frozen=True)
class StagedFigures:
    """A year's figures set on the firm but not flushed yet: imports flush many at once."""

    row: YearlyFigures
    action: str  # create or update
    before: dict[str, object]


def stage_yearly_figures(
    enterprise: Enterprise, data: FiguresInput, latest_year: int
) -> StagedFigures:
    if errors := figures_problems(data, latest_year):
        raise InvalidInputError(errors)
    by_year = {row.year: row for row in enterprise.yearly_figures}
    row = by_year.get(data.year)
    action = "update" if row else "create"
    if row is None:
        row = YearlyFigures(year=data.year)
        enterprise.yearly_figures.append(row)
    before = {name: getattr(row, name) for name in FIGURE_FIELDS}
    for name in FIGURE_FIELDS:
        setattr(row, name, getattr(data, name))
    previous = by_year.get(data.year - 1)
    if row.revenue_growth_pct is None and previous and previous.revenue and row.revenue is not None:
        row.revenue_growth_pct = round((row.revenue / previous.revenue - 1) * 100, 2)
    enterprise.yearly_figures.sort(key=lambda figures: figures.year)
    return StagedFigures(row, action, before)


def record_figures_change(actor: User | None, staged: StagedFigures) -> AuditEntry | None:
    """The audit entry of flushed figures (it names the row by its id)."""
    row = staged.row
    changes = {
        name: [_plain(staged.before[name]), _plain(getattr(row, name))]
        for name in FIGURE_FIELDS
        if staged.before[name] != getattr(row, name)
    }
    if not changes:
        return None
    changes["year"] = [row.year, row.year]
    return record_change(actor, staged.action, "yearly_figures", row.id, changes)


@dataclass
class ContactInput:
    name: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None


def add_contact(actor: User | None, enterprise: Enterprise, data: ContactInput) -> Contact:
    if not data.name.strip():
        raise InvalidInputError({"name": [_("Enter the contact's name.")]})
    contact = Contact(**{key: (value or None) for key, value in asdict(data).items()})
    enterprise.contacts.append(contact)
    db.session.flush()
    record_created(actor, "contact", contact.id, asdict(data))
    return contact


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value
