"""Turning a drafted firm into an Enterprise: name, USCC, place, capital, tier, plan, contacts."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random

from crm.demo.awards import SME_MAX_REVENUE
from crm.demo.firms import FirmDraft
from crm.demo.history import designation_rows, funding_events
from crm.demo.parts import DemoParts
from crm.demo.people import draft_contacts
from crm.demo.randomness import day_within, money, stream, two_significant_digits
from crm.enterprises.uscc import USCC_ALPHABET, build_uscc
from models import (
    Designation,
    Enterprise,
    EnterpriseStatus,
    SubDistrict,
    Tier,
    User,
    Zone,
)

REGISTRATION_TYPE = "91"  # an enterprise registered with the market regulator
REGION_CODE = "310106"  # Jing'an District, Shanghai
# Since the 2015 reform new organisation codes start MA; older firms kept their numeric ones.
NEW_CODE_YEAR = 2015
USUAL_ZONE_SHARE = 0.9
GENERIC_INDUSTRY = "科技"
BRANCH_STYLE_SHARE = 0.12  # 智擎（上海）信息科技有限公司: a firm founded elsewhere
JOINT_STOCK_SHARE = 0.04  # large firms three times as often; listed firms always
CAPITAL_MEDIAN = 500.0  # 10,000 yuan
PLAN_CHANCE = dict(zip(Tier, (0.03, 0.10, 0.30, 0.60, 0.60), strict=True))
NOTE_CHANCE = 0.06
# The office has kept its reservoir since this many years before the seed date: firms older than
# that were entered in its first year, younger ones within a year of their founding.
RESERVOIR_YEARS = 13
ENTRY_DELAY_DAYS = 365


@dataclass
class Places:
    sub_districts: list[SubDistrict]
    zones: dict[str, Zone]
    managers: dict[str, User]  # sub-district slug -> its account manager


@dataclass
class TakenKeys:
    """Names and USCCs drawn so far: both must be unique across the reservoir."""

    names: set[str] = field(default_factory=set)
    usccs: set[str] = field(default_factory=set)


def build_enterprise(
    draft: FirmDraft, seed: int, parts: DemoParts, places: Places, taken: TakenKeys, today: date
) -> Enterprise:
    rng = stream(seed, "identity", draft.ordinal)
    weights = [parts.sub_district_weights.get(sub.slug, 1.0) for sub in places.sub_districts]
    sub_district = rng.choices(places.sub_districts, weights)[0]
    is_joint_stock = _is_joint_stock(rng, draft)
    created_at = _entered_reservoir_at(rng, draft.firm.founded_on, today)
    is_active = draft.status == EnterpriseStatus.ACTIVE
    return Enterprise(
        name=_unique_name(rng, parts, draft, is_joint_stock, taken.names),
        uscc=_unique_uscc(rng, draft.firm.founded_on, taken.usccs),
        sub_district=sub_district,
        zone=_zone(rng, parts.usual_zones.get(sub_district.slug), places.zones),
        track=draft.track,
        address=_address(rng, parts, sub_district.slug),
        founded_on=draft.firm.founded_on,
        registered_capital=money(_registered_capital(rng, draft.firm.size)),
        tier=draft.tier,
        in_hundred_enterprises_plan=is_active and rng.random() < PLAN_CHANCE[draft.tier],
        manager=places.managers.get(sub_district.slug),
        status=draft.status,
        notes=rng.choice(parts.notes) if parts.notes and rng.random() < NOTE_CHANCE else None,
        created_at=created_at,
        updated_at=created_at,
        designation_rows=designation_rows(draft),
        funding_events=funding_events(draft),
        yearly_figures=draft.figures,
        contacts=draft_contacts(
            stream(seed, "contacts", draft.ordinal), parts, draft.ordinal, is_joint_stock
        ),
    )


def _is_joint_stock(rng: Random, draft: FirmDraft) -> bool:
    if Designation.LISTED in draft.designations:  # only a joint-stock company can list
        return True
    is_large = (draft.latest.revenue or 0) > SME_MAX_REVENUE
    return rng.random() < JOINT_STOCK_SHARE * (3 if is_large else 1)


def _unique_name(
    rng: Random, parts: DemoParts, draft: FirmDraft, is_joint_stock: bool, taken: set[str]
) -> str:
    founded = draft.firm.founded_on.year
    phrases = parts.industries.get(draft.track.slug, ())
    industries = [item.phrase for item in phrases if item.since <= founded] or [GENERIC_INDUSTRY]
    suffix = "股份有限公司" if is_joint_stock else "有限公司"
    for attempt in range(1000):
        trade = _trade_name(rng, parts)
        industry = rng.choice(industries)
        if rng.random() < BRANCH_STYLE_SHARE:
            name = f"{trade}（上海）{industry}{suffix}"
        else:
            name = f"上海{trade}{industry}{suffix}"
        if attempt > 50:  # a very large run exhausts the word lists: number the trade name
            name = name.replace(trade, f"{trade}{attempt}", 1)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("demo name parts exhausted")


def _trade_name(rng: Random, parts: DemoParts) -> str:
    if parts.trade_names and rng.random() < 0.3:
        return rng.choice(parts.trade_names)
    first, second = rng.choice(parts.trade_first), rng.choice(parts.trade_second)
    return first + second if first != second else first + rng.choice(parts.trade_second)


def _unique_uscc(rng: Random, founded_on: date, taken: set[str]) -> str:
    while True:
        if founded_on.year >= NEW_CODE_YEAR:
            body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
        else:
            body = rng.choice("0567") + "".join(rng.choice("0123456789") for _ in range(7))
        uscc = build_uscc(REGISTRATION_TYPE, REGION_CODE, body)
        if uscc not in taken:
            taken.add(uscc)
            return uscc


def _zone(rng: Random, usual: str | None, zones: dict[str, Zone]) -> Zone:
    slugs = sorted(zones)
    if usual in zones and (rng.random() < USUAL_ZONE_SHARE or len(slugs) == 1):
        return zones[usual]
    return zones[rng.choice([slug for slug in slugs if slug != usual])]


def _address(rng: Random, parts: DemoParts, sub_district: str) -> str | None:
    roads = parts.roads.get(sub_district)
    if not roads:
        return None
    road = rng.choice(roads)
    address = f"上海市静安区{road.name}{rng.randint(1, road.highest_number)}号"
    floor = rng.randint(1, 28)
    shape = rng.random()
    if shape < 0.35:
        return f"{address}{floor}层"
    if shape < 0.75:
        return f"{address}{floor}{rng.randint(1, 30):02d}室"
    if shape < 0.85:
        return f"{address}{floor}层{floor}{rng.randint(1, 30):02d}室"
    return address


def _registered_capital(rng: Random, size: float) -> float:
    """Log-normal, correlated with size; half the firms pick a round figure such as 1,000."""
    capital = CAPITAL_MEDIAN * math.exp(0.6 * size + rng.gauss(0, 0.9))
    if rng.random() < 0.5:
        round_figures = (10, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000, 50000)
        return min(round_figures, key=lambda figure: abs(math.log(figure / capital)))
    return max(10.0, two_significant_digits(capital))


def _entered_reservoir_at(rng: Random, founded_on: date, today: date) -> datetime:
    opened = date(today.year - RESERVOIR_YEARS, 1, 1)
    latest = today - timedelta(days=1)
    earliest = min(latest, max(founded_on, opened))
    day = min(latest, day_within(rng, earliest, ENTRY_DELAY_DAYS))
    # 01:00-09:00 UTC is the Shanghai office day, when firms are entered.
    return datetime.combine(day, time(1)) + timedelta(minutes=rng.randrange(8 * 60))
