"""`flask crm seed-demo`: a deterministic demo reservoir and demo accounts for every role."""

from dataclasses import dataclass
from datetime import date, datetime, time

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from crm import clock
from crm.audit import record_change
from crm.demo.accounts import (
    ADMIN_USERNAME,
    LEADER_USERNAME,
    MANAGER_PREFIX,
    STAFF_PREFIX,
    create_demo_users,
)
from crm.demo.action_plan import incubate, launch_blockchain_scenarios
from crm.demo.activity import seed_activity
from crm.demo.credit import seed_credit
from crm.demo.discovery import seed_discovery
from crm.demo.firms import assign_status, assign_tiers, draft_firm
from crm.demo.identity import Places, TakenKeys, build_enterprise
from crm.demo.listings import seed_listings
from crm.demo.parts import load_demo_parts
from crm.errors import DomainError
from crm.reference import all_of
from models import Department, Enterprise, IndustryTrack, Role, SubDistrict, User, Zone, db

DEMO_PASSWORD = "demo1234"  # noqa: S105 -- documented demo password, only with demo data


class ReferenceDataMissingError(DomainError):
    """Sub-districts, zones or tracks are missing: `flask crm load-reference` loads them."""


@dataclass(frozen=True)
class SeedSummary:
    firm_count: int
    figures_count: int
    contact_count: int
    created_user_count: int
    last_year: int  # the latest year with figures
    visit_count: int = 0
    request_count: int = 0
    package_count: int = 0


def seed_demo(firm_count: int, seed: int, today: date | None = None) -> SeedSummary | None:
    """Add the demo accounts and `firm_count` firms; None, changing nothing, when firms exist.

    Everything follows from (firm_count, seed, today): `today` fixes the years of the figures
    and the dates firms entered the reservoir. Flushes; the caller commits.
    """
    if db.session.scalar(select(func.count()).select_from(Enterprise)):
        return None
    today = today or clock.today()
    last_year = today.year - 1  # the last complete year: this year's figures are not in yet
    tracks, sub_districts = all_of(IndustryTrack), all_of(SubDistrict)
    zones = {zone.slug: zone for zone in all_of(Zone)}
    if not (tracks and sub_districts and zones):
        raise ReferenceDataMissingError("Load the reference data first: flask crm load-reference")
    parts = load_demo_parts()
    seeded_at = datetime.combine(today, time())
    managers, created_user_count = create_demo_users(seed, parts, DEMO_PASSWORD, seeded_at)

    drafts = [
        draft_firm(seed, n, tracks, parts, last_year, today) for n in range(1, firm_count + 1)
    ]
    assign_tiers(drafts, seed, parts)
    for draft in drafts:
        assign_status(draft, seed, today)
        launch_blockchain_scenarios(draft, seed, parts)
    places, taken = Places(sub_districts, zones, managers), TakenKeys()
    firms = [build_enterprise(draft, seed, parts, places, taken, today) for draft in drafts]
    for draft, firm in zip(drafts, firms, strict=True):
        incubate(seed, draft.ordinal, firm, last_year, today)
    db.session.add_all(firms)
    db.session.flush()
    activity = seed_activity(seed, firms, today)
    seed_listings(seed, firms, today)
    seed_discovery(seed, firms, today)
    seed_credit(seed, firms, today)
    summary = SeedSummary(
        firm_count=len(firms),
        figures_count=sum(len(firm.yearly_figures) for firm in firms),
        contact_count=sum(len(firm.contacts) for firm in firms),
        created_user_count=created_user_count,
        last_year=last_year,
        visit_count=activity["visits"],
        request_count=activity["requests"],
        package_count=activity["packages"],
    )
    record_change(None, "seed", "reservoir", 0, _summary_changes(summary, seed, today))
    db.session.flush()
    return summary


def _summary_changes(summary: SeedSummary, seed: int, today: date) -> dict[str, list[object]]:
    return {
        "seed": [None, seed],
        "as_of": [None, today.isoformat()],
        "firms": [0, summary.firm_count],
        "yearly_figures": [0, summary.figures_count],
        "contacts": [0, summary.contact_count],
        "demo_users": [0, summary.created_user_count],
        "visits": [0, summary.visit_count],
        "requests": [0, summary.request_count],
        "packages": [0, summary.package_count],
    }


def demo_logins() -> list[str]:
    """One line per kind of demo account present in the database (empty without them)."""
    users = db.session.scalars(
        select(User).where(
            User.username.in_((ADMIN_USERNAME, LEADER_USERNAME))
            | User.username.startswith(MANAGER_PREFIX, autoescape=True)
            | User.username.startswith(STAFF_PREFIX, autoescape=True)
        )
    ).all()
    by_name = {user.username: user for user in users}
    lines = []
    if (admin := by_name.get(ADMIN_USERNAME)) and admin.role == Role.ADMIN:
        lines.append(f"{ADMIN_USERNAME}  (administrator)")
    if (leader := by_name.get(LEADER_USERNAME)) and leader.role == Role.LEADER:
        lines.append(f"{LEADER_USERNAME}  (district leader)")
    managers = [MANAGER_PREFIX + sub.slug for sub in all_of(SubDistrict)]
    if present := [name for name in managers if name in by_name]:
        kind = f"account manager, one per sub-district: {len(present)}"
        lines.append(f"{_span(present)}  ({kind})")
    staff = [STAFF_PREFIX + department.slug for department in all_of(Department)]
    if present := [name for name in staff if name in by_name]:
        lines.append(f"{_span(present)}  (department staff, one per department: {len(present)})")
    return lines


def _span(usernames: list[str]) -> str:
    return usernames[0] if len(usernames) == 1 else f"{usernames[0]} ... {usernames[-1]}"


@click.command("seed-demo")
@click.option(
    "--firms",
    "firm_count",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="How many firms to generate.",
)
@click.option("--seed", type=int, default=2025, show_default=True, help="Same seed, same data.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Reference date (default: today); figures run to the year before it.",
)
@with_appcontext
def seed_demo_command(firm_count: int, seed: int, as_of: datetime | None) -> None:
    """Fill an empty reservoir with demo firms, figures, contacts and demo accounts."""
    try:
        summary = seed_demo(firm_count, seed, as_of.date() if as_of else None)
    except ReferenceDataMissingError as error:
        raise click.ClickException(error.message) from error
    if summary is None:
        raise click.ClickException(
            _(
                "The database already holds firms. seed-demo only fills an empty reservoir, "
                "so demo firms never mix with real ones."
            )
        )
    db.session.commit()
    click.echo(
        _(
            "Seeded %(firms)d firms with %(figures)d yearly figures (up to %(year)s), "
            "%(contacts)d contacts, %(visits)d visits, %(requests)d requests and "
            "%(packages)d policy packages; %(accounts)d demo accounts created.",
            firms=summary.firm_count,
            figures=summary.figures_count,
            year=summary.last_year,
            contacts=summary.contact_count,
            visits=summary.visit_count,
            requests=summary.request_count,
            packages=summary.package_count,
            accounts=summary.created_user_count,
        )
    )
    click.echo(_("Demo logins, all with the password %(password)s:", password=DEMO_PASSWORD))
    for line in demo_logins():
        click.echo(f"  {line}")
