"""Demo firms before they become rows: traits, their simulated history, the tier pyramid."""

import math
from dataclasses import dataclass
from datetime import date

from crm.demo.awards import award
from crm.demo.figures import Round, draft_figures, draft_rounds, record_rounds
from crm.demo.growth import REVENUE_MEDIAN, REVENUE_SIGMA, Firm, simulate
from crm.demo.parts import DemoParts
from crm.demo.randomness import day_within, stream
from models import Designation, EnterpriseStatus, IndustryTrack, Tier, YearlyFigures

FOUNDING_SPAN_YEARS = 30
FOUNDING_SKEW = 1.09  # each founding year 9% likelier than the one before: a young reservoir
# The district's statistics reach this many years back: older figures were never collected.
FIGURES_SPAN_YEARS = 15
# A firm holding one of these has arrived: the office counts it in the achieved tier.
ARRIVED = frozenset(
    {
        Designation.UNICORN,
        Designation.LISTED,
        Designation.HIDDEN_CHAMPION,
        Designation.SINGLE_ITEM_CHAMPION,
        Designation.CHAIN_LEADER,
    }
)
CULTIVATION = (
    Designation.HIGH_TECH,
    Designation.TECH_SME,
    Designation.SRDI_SME,
    Designation.GAZELLE,
)
# Below the achieved firms, the office's ranking is cut into a pyramid (shares of all firms).
TIER_SHARES = ((Tier.CANDIDATE, 0.025), (Tier.NEW_TRACK, 0.12), (Tier.TECH_BASED, 0.22))
MOVED_OUT_CHANCE = 0.03  # firms lured to other districts by rent or subsidies
CLOSED_CHANCE = 0.01
SHRINKING_CLOSED_CHANCE = 0.05  # a firm whose revenue fell by a fifth closes five times as often


@dataclass
class FirmDraft:
    ordinal: int
    track: IndustryTrack
    firm: Firm  # the hidden traits stay in memory and are never stored
    figures: list[YearlyFigures]  # the years the statistics hold
    rounds: list[Round]
    awards: dict[Designation, date]
    tier: Tier = Tier.RESERVOIR
    status: EnterpriseStatus = EnterpriseStatus.ACTIVE

    @property
    def latest(self) -> YearlyFigures:
        return self.figures[-1]

    @property
    def designations(self) -> set[Designation]:
        return set(self.awards)


def draft_firm(
    seed: int,
    ordinal: int,
    tracks: list[IndustryTrack],
    parts: DemoParts,
    last_year: int,
    today: date,
) -> FirmDraft:
    rng = stream(seed, "traits", ordinal)
    track = rng.choices(tracks, [parts.track(track.slug).weight for track in tracks])[0]
    founding_years = range(last_year - FOUNDING_SPAN_YEARS, last_year)
    year = rng.choices(founding_years, [FOUNDING_SKEW**i for i in range(FOUNDING_SPAN_YEARS)])[0]
    profile = parts.track(track.slug)
    firm = Firm(
        founded_on=day_within(rng, date(year, 1, 1), 365),
        quality=rng.gauss(0, 1),
        size=rng.gauss(0, 1),
        track_rd_share=profile.rd_share,
        is_frontier=profile.is_frontier,
    )
    latent = simulate(stream(seed, "growth", ordinal), firm, last_year)
    figures = draft_figures(stream(seed, "figures", ordinal), firm, latent)
    rounds = draft_rounds(stream(seed, "funding", ordinal), firm, latent)
    record_rounds(figures, rounds)
    awards = award(stream(seed, "awards", ordinal), firm, latent, figures, rounds, today)
    stored = figures[-FIGURES_SPAN_YEARS:]
    stored[0].revenue_growth_pct = None  # growth is read from the years stored, as the app does
    return FirmDraft(ordinal, track, firm, stored, rounds, awards)


def assign_tiers(drafts: list[FirmDraft], seed: int, parts: DemoParts) -> None:
    """Firms that arrived are achieved; the office ranks the others on what it sees, with noise,
    and cuts the ranking into the pyramid."""

    def score(draft: FirmDraft) -> float:
        latest = draft.latest
        revenue_z = math.log(float(latest.revenue or 1) / REVENUE_MEDIAN) / REVENUE_SIGMA
        growth = min(1.0, max(-0.5, float(latest.revenue_growth_pct or 0) / 100))
        held = sum(designation in draft.awards for designation in CULTIVATION)
        giant = 1.0 if Designation.LITTLE_GIANT in draft.awards else 0.0
        frontier = 0.25 if parts.track(draft.track.slug).is_frontier else 0.0
        # Investors' money marks a firm for promotion: a valuation of 1 billion yuan adds 0.35.
        valuation = float(latest.valuation or 0)
        backed = 0.15 * math.log(valuation / 10_000) if valuation > 10_000 else 0.0
        noise = stream(seed, "tier", draft.ordinal).gauss(0, 0.35)
        return 0.4 * revenue_z + 0.5 * growth + 0.3 * held + giant + frontier + backed + noise

    others = []
    for draft in drafts:
        if ARRIVED & draft.designations:
            draft.tier = Tier.ACHIEVED
        else:
            others.append(draft)
    ranked = sorted(others, key=lambda draft: (-score(draft), draft.ordinal))
    start = 0
    for tier, share in TIER_SHARES:
        end = start + round(len(drafts) * share)
        for draft in ranked[start:end]:
            draft.tier = tier
        start = end


def assign_status(draft: FirmDraft, seed: int, today: date) -> None:
    """A few firms of the lower tiers left the district or closed; the promoted ones are active."""
    if draft.tier not in {Tier.RESERVOIR, Tier.TECH_BASED}:
        return
    draw = stream(seed, "status", draft.ordinal).random()
    shrinking = float(draft.latest.revenue_growth_pct or 0) < -20
    closed_chance = SHRINKING_CLOSED_CHANCE if shrinking else CLOSED_CHANCE
    if draw < closed_chance:
        draft.status = EnterpriseStatus.CLOSED
        if len(draft.figures) > 1:  # a closed firm filed nothing for its last year
            draft.figures.pop()
        # ... and was named nothing this year
        draft.awards = {key: day for key, day in draft.awards.items() if day.year < today.year}
    elif draw < closed_chance + MOVED_OUT_CHANCE:
        draft.status = EnterpriseStatus.MOVED_OUT
