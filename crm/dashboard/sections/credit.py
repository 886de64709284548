"""The white-list section: per bank, zone and track, the banks' decisions within the period, and
where the lists stand today: the quota in force and the loans drawn on it not yet repaid.

A quarter's grants beside a quarter's drawdowns set this quarter's loans against quotas granted in
another (granted 0, drawn 900); quotas and loans are stocks, so they are read as of the day.

Two group-by queries (decisions, loans) keyed by bank, zone and track; the three tables roll
those few hundred groups up, so the cost does not grow with the firms in view.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVarTuple

from flask_babel import gettext as _
from sqlalchemy import Result, Select, and_, case, func, or_, select

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.report import Section, Table, bar_chart
from models import (
    CreditDrawdown,
    Enterprise,
    IndustryTrack,
    Nomination,
    NominationBatch,
    NominationDecision,
    PartnerBank,
    Zone,
    db,
)

ZERO = Decimal(0)
Key = tuple[int, int, int]  # bank, zone, track
Columns = TypeVarTuple("Columns")
KEY_COLUMNS = (NominationBatch.bank_id, Enterprise.zone_id, Enterprise.track_id)


@dataclass
class CreditTotals:
    listed: int = 0
    refused: int = 0
    pending: int = 0
    granted: Decimal = ZERO
    drawn: Decimal = ZERO

    def add(self, other: "CreditTotals") -> None:
        self.listed += other.listed
        self.refused += other.refused
        self.pending += other.pending
        self.granted += other.granted
        self.drawn += other.drawn

    @property
    def drawn_share(self) -> float | None:
        return float(self.drawn / self.granted) if self.granted else None


def credit_groups(filters: DashboardFilter) -> dict[Key, CreditTotals]:
    """Decided within the period (listed, refused), pending today, the quota in force today (on
    the list, renewal not lapsed) and the loans outstanding today, for the firms in view, by bank,
    zone and track."""
    in_period = Nomination.decided_on.between(filters.start, filters.end)
    in_force = and_(
        _is(NominationDecision.LISTED),
        Nomination.decided_on <= filters.today,
        or_(Nomination.renewal_on.is_(None), Nomination.renewal_on >= filters.today),
    )
    decided = select(
        *KEY_COLUMNS,
        func.sum(case((and_(_is(NominationDecision.LISTED), in_period), 1), else_=0)),
        func.sum(case((and_(_is(NominationDecision.REFUSED), in_period), 1), else_=0)),
        func.sum(case((_is(NominationDecision.PENDING), 1), else_=0)),
        func.coalesce(func.sum(case((in_force, Nomination.quota_granted), else_=0)), 0),
    ).select_from(Nomination)
    drawn = (
        select(*KEY_COLUMNS, func.sum(CreditDrawdown.amount))
        .select_from(CreditDrawdown)
        .join(Nomination, Nomination.id == CreditDrawdown.nomination_id)
        .where(
            CreditDrawdown.drawn_on <= filters.today,
            or_(CreditDrawdown.repaid_on.is_(None), CreditDrawdown.repaid_on > filters.today),
        )
    )
    groups: dict[Key, CreditTotals] = {}
    for bank, zone, track, listed, refused, pending, granted in _in_view(decided, filters):
        groups[(bank, zone, track)] = CreditTotals(
            int(listed or 0), int(refused or 0), int(pending or 0), Decimal(granted or 0)
        )
    for bank, zone, track, total in _in_view(drawn, filters):
        groups.setdefault((bank, zone, track), CreditTotals()).drawn = Decimal(total or 0)
    return groups


def _in_view(query: Select[*Columns], filters: DashboardFilter) -> Result[*Columns]:
    """Rows of the live nominations of the firms in view, by bank, zone and track."""
    return db.session.execute(
        query.join(NominationBatch, NominationBatch.id == Nomination.batch_id)
        .join(Enterprise, Enterprise.id == Nomination.enterprise_id)
        .where(
            Nomination.deleted_at.is_(None),
            NominationBatch.deleted_at.is_(None),
            *filters.firm_clauses(),
        )
        .group_by(*KEY_COLUMNS)
    )


def _is(decision: NominationDecision) -> Any:
    return Nomination.decision == decision


def _rolled(groups: dict[Key, CreditTotals], part: Callable[[Key], int]) -> dict[int, CreditTotals]:
    rolled: dict[int, CreditTotals] = {}
    for key, totals in groups.items():
        rolled.setdefault(part(key), CreditTotals()).add(totals)
    return rolled


def credit_section(filters: DashboardFilter, locale: str) -> Section:
    groups = credit_groups(filters)
    banks = db.session.scalars(select(PartnerBank).order_by(PartnerBank.id)).all()
    zones = db.session.scalars(select(Zone).order_by(Zone.position, Zone.id)).all()
    tracks = db.session.scalars(select(IndustryTrack).order_by(IndustryTrack.position)).all()
    by_bank = _rolled(groups, lambda key: key[0])
    by_zone = _rolled(groups, lambda key: key[1])
    by_track = _rolled(groups, lambda key: key[2])
    tables = [
        _table(
            "credit_by_bank",
            _("White-list quotas by bank"),
            _("Bank"),
            [(bank.name_for(locale), by_bank[bank.id]) for bank in banks if bank.id in by_bank],
            _(
                "On the list and refused count the banks' decisions recorded within the period, "
                "for the firms in view; the rest is as of today: nominations awaiting the bank, "
                "the quota in force (firms on a list whose renewal has not lapsed) and the loans "
                "drawn on it not yet repaid (10,000 yuan)."
            ),
        ),
        _table(
            "credit_by_zone",
            _("White-list quotas by zone"),
            _("Zone"),
            [(zone.name_for(locale), by_zone[zone.id]) for zone in zones if zone.id in by_zone],
            _("The same figures by the zone of the firm."),
        ),
        _table(
            "credit_by_track",
            _("White-list quotas by track"),
            _("Track"),
            [(t.name_for(locale), by_track[t.id]) for t in tracks if t.id in by_track],
            _("The same figures by the firm's industry track."),
        ),
    ]
    return Section(key="credit", title=_("Bank credit white lists"), tables=tables)


def _table(
    key: str, title: str, group: str, rows: list[tuple[str, CreditTotals]], note: str
) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[
            group,
            _("On the white list"),
            _("Refused"),
            _("Awaiting the bank"),
            _("Quota in force (10,000 yuan)"),
            _("Drawn, not repaid (10,000 yuan)"),
            _("Drawn share"),
        ],
        rows=[
            [
                name,
                row.listed,
                row.refused,
                row.pending,
                float(row.granted),
                float(row.drawn),
                row.drawn_share,
            ]
            for name, row in rows
        ],
        chart=bar_chart(
            rows,
            [
                (_("Quota in force (10,000 yuan)"), lambda row: float(row.granted)),
                (_("Drawn, not repaid (10,000 yuan)"), lambda row: float(row.drawn)),
            ],
        ),
        note=note,
        percent_columns=frozenset({6}),
    )
