"""Demo firms before they become rows: traits, figures, the tier pyramid and designations."""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from crm.demo.figures import (
    REVENUE_MEDIAN,
    REVENUE_SIGMA,
    Firm,
    draft_figures,
    keep_below_unicorn,
    lift_to_unicorn,
)
from crm.demo.parts import DemoParts
from crm.demo.randomness import stream
from models import Designation, EnterpriseStatus, IndustryTrack, Tier, YearlyFigures

FOUNDING_SPAN_YEARS = 30
FOUNDING_SKEW = 1.09  # each founding year 9% likelier than the one before: a young reservoir
# Top of the pyramid first; whatever is left stays in the reservoir.
TIER_SHARES = (
    (Tier.ACHIEVED, 0.004),
    (Tier.CANDIDATE, 0.025),
    (Tier.NEW_TRACK, 0.12),
    (Tier.TECH_BASED, 0.22),
)
TIERS = list(Tier)  # the order of the chance tuples below: reservoir ... achieved
# Chance of each designation by tier, for firms that meet its conditions (see _qualifies).
CHANCES = {
    Designation.HIGH_TECH: (0.12, 0.60, 0.75, 0.92, 0.95),
    Designation.TECH_SME: (0.30, 0.65, 0.55, 0.35, 0.05),
    Designation.SRDI_SME: (0.04, 0.30, 0.55, 0.80, 0.50),
    Designation.LITTLE_GIANT: (0.0, 0.08, 0.30, 0.60, 0.40),
    Designation.GAZELLE: (0.0, 0.05, 0.25, 0.45, 0.20),
}
# An achieved firm reached one milestone; the weights say which is how common.
MILESTONES = {
    Designation.UNICORN: 3.0,
    Designation.LISTED: 3.0,
    Designation.HIDDEN_CHAMPION: 2.0,
    Designation.SINGLE_ITEM_CHAMPION: 0.6,
    Designation.CHAIN_LEADER: 0.8,
}
SME_MAX_EMPLOYEES = 500
SME_MAX_REVENUE = 20_000  # 200 million yuan
GAZELLE_MIN_GROWTH_PCT = 20
MOVED_OUT_CHANCE = 0.03  # firms lured to other districts by rent or subsidies
CLOSED_CHANCE = 0.01
WEAK_FIRM_CLOSED_CHANCE = 0.04  # quality below -0.5: weak firms close four times as often


@dataclass
class FirmDraft:
    ordinal: int
    track: IndustryTrack
    firm: Firm  # holds the hidden traits; they stay in memory and are never stored
    figures: list[YearlyFigures]
    tier: Tier = Tier.RESERVOIR
    status: EnterpriseStatus = EnterpriseStatus.ACTIVE
    designations: set[Designation] = field(default_factory=set)

    @property
    def latest(self) -> YearlyFigures:
        return self.figures[-1]


def draft_firm(
    seed: int, ordinal: int, tracks: list[IndustryTrack], parts: DemoParts, last_year: int
) -> FirmDraft:
    rng = stream(seed, "traits", ordinal)
    track = rng.choices(tracks, [parts.track(track.slug).weight for track in tracks])[0]
    founding_years = range(last_year - FOUNDING_SPAN_YEARS, last_year)
    year = rng.choices(founding_years, [FOUNDING_SKEW**i for i in range(FOUNDING_SPAN_YEARS)])[0]
    firm = Firm(
        founded_on=date(year, 1, 1) + timedelta(days=rng.randrange(365)),
        quality=rng.gauss(0, 1),
        size=rng.gauss(0, 1),
        rd_share=parts.track(track.slug).rd_share,
    )
    figures = draft_figures(stream(seed, "figures", ordinal), firm, last_year)
    return FirmDraft(ordinal, track, firm, figures)


def assign_tiers(drafts: list[FirmDraft], seed: int, parts: DemoParts) -> None:
    """Rank by quality, revenue and track, with noise, and cut the ranking into the pyramid."""

    def score(draft: FirmDraft) -> float:
        revenue = float(draft.latest.revenue or 1)
        revenue_z = math.log(revenue / REVENUE_MEDIAN) / REVENUE_SIGMA
        frontier = 0.25 if parts.track(draft.track.slug).is_frontier else 0.0
        # Investors' money marks a firm for promotion: a valuation of 1 billion yuan adds 0.35.
        valuation = float(draft.latest.valuation or 0)
        backed = 0.15 * math.log(valuation / 10_000) if valuation > 10_000 else 0.0
        noise = stream(seed, "tier", draft.ordinal).gauss(0, 0.35)
        return 0.6 * draft.firm.quality + 0.4 * revenue_z + frontier + backed + noise

    ranked = sorted(drafts, key=lambda draft: (-score(draft), draft.ordinal))
    start = 0
    for tier, share in TIER_SHARES:
        end = start + round(len(drafts) * share)
        for draft in ranked[start:end]:
            draft.tier = tier
        start = end


def assign_status(draft: FirmDraft, seed: int) -> None:
    """A few firms of the lower tiers left the district or closed; the promoted ones are active."""
    if draft.tier not in {Tier.RESERVOIR, Tier.TECH_BASED}:
        return
    draw = stream(seed, "status", draft.ordinal).random()
    closed_chance = WEAK_FIRM_CLOSED_CHANCE if draft.firm.quality < -0.5 else CLOSED_CHANCE
    if draw < closed_chance:
        draft.status = EnterpriseStatus.CLOSED
        if len(draft.figures) > 1:  # a closed firm filed nothing for its last year
            draft.figures.pop()
    elif draw < closed_chance + MOVED_OUT_CHANCE:
        draft.status = EnterpriseStatus.MOVED_OUT


def assign_designations(draft: FirmDraft, seed: int) -> None:
    rng = stream(seed, "designations", draft.ordinal)
    column = TIERS.index(draft.tier)
    for designation, chances in CHANCES.items():  # in order: little giant needs SRDI first
        if _qualifies(draft, designation) and rng.random() < chances[column]:
            draft.designations.add(designation)
    if draft.tier != Tier.ACHIEVED:
        keep_below_unicorn(rng, draft.figures)
        return
    weights = dict(MILESTONES)
    if draft.latest.valuation is None:  # a unicorn is valued by its investors
        weights[Designation.UNICORN] = 0.0
    if (draft.latest.revenue or 0) < SME_MAX_REVENUE:  # a chain leader is a large firm
        weights[Designation.CHAIN_LEADER] = 0.0
    milestone = rng.choices(list(weights), list(weights.values()))[0]
    draft.designations.add(milestone)
    if milestone == Designation.UNICORN:
        lift_to_unicorn(rng, draft.figures)
    elif milestone != Designation.LISTED:  # a listed firm's valuation is its market value
        keep_below_unicorn(rng, draft.figures)


def _qualifies(draft: FirmDraft, designation: Designation) -> bool:
    latest, age = draft.latest, latest_age(draft)
    revenue, employees = float(latest.revenue or 0), latest.employees or 0
    if designation == Designation.HIGH_TECH:  # the recognition asks for 3%+ R&D intensity
        return age >= 1 and float(latest.rd_spend or 0) >= 0.03 * revenue
    if designation == Designation.TECH_SME:
        return employees <= SME_MAX_EMPLOYEES and revenue <= SME_MAX_REVENUE
    if designation == Designation.SRDI_SME:
        return age >= 2 and employees <= 2 * SME_MAX_EMPLOYEES
    if designation == Designation.LITTLE_GIANT:
        return Designation.SRDI_SME in draft.designations
    if designation == Designation.GAZELLE:  # fast, sustained growth of a young firm
        growths = [
            row.revenue_growth_pct
            for row in draft.figures[-3:]
            if row.revenue_growth_pct is not None
        ]
        return age <= 10 and bool(growths) and min(growths) >= GAZELLE_MIN_GROWTH_PCT
    return False


def latest_age(draft: FirmDraft) -> int:
    return draft.latest.year - draft.firm.founded_on.year
