"""When the firms in view began to count for a firms target, counted by SQL per day and place.

A firm never edited has had today's tier since it entered the reservoir, so it counts from one
day on: its entry, or its first award of a designation the target asks for if later. The edited
firms (whose tier may have changed) are read one by one instead (facts.load_facts).
"""

from typing import Any

from sqlalchemy import ColumnElement, Date, Select, case, func, select, type_coerce

from crm.targets.progress import TIER_RANK, TIERS_UPWARD, StartRow
from models import AuditEntry, Designation, Enterprise, EnterpriseDesignation, Target, Tier, db


def edited_firm_ids() -> Select[Any]:
    return select(AuditEntry.entity_id).where(
        AuditEntry.entity_type == "enterprise", AuditEntry.action == "update"
    )


def start_rows(target: Target, clauses: list[ColumnElement[bool]]) -> list[StartRow]:
    """`clauses`: the never-edited firms in view."""
    entered = func.date(Enterprise.created_at)
    where = list(clauses)
    if target.tier_at_least:
        where.append(Enterprise.tier.in_(TIERS_UPWARD[TIER_RANK[Tier(target.tier_at_least)] :]))
    if not target.designations:
        start = type_coerce(entered, Date)
        grouped = (
            select(Enterprise.zone_id, Enterprise.sub_district_id, start, func.count())
            .where(*where)
            .group_by(Enterprise.zone_id, Enterprise.sub_district_id, start)
        )
    else:
        award = func.min(func.coalesce(EnterpriseDesignation.awarded_on, entered))
        per_firm = (
            select(
                Enterprise.zone_id,
                Enterprise.sub_district_id,
                entered.label("entered_on"),
                award.label("awarded_on"),
            )
            .join(EnterpriseDesignation, EnterpriseDesignation.enterprise_id == Enterprise.id)
            .where(
                *where,
                EnterpriseDesignation.designation.in_(
                    [Designation(d) for d in target.designations]
                ),
            )
            .group_by(
                Enterprise.id, Enterprise.zone_id, Enterprise.sub_district_id, Enterprise.created_at
            )
            .subquery()
        )
        later = case(
            (per_firm.c.awarded_on > per_firm.c.entered_on, per_firm.c.awarded_on),
            else_=per_firm.c.entered_on,
        )
        start = type_coerce(later, Date)
        grouped = select(
            per_firm.c.zone_id, per_firm.c.sub_district_id, start, func.count()
        ).group_by(per_firm.c.zone_id, per_firm.c.sub_district_id, start)
    return [(zone, sub, day, count) for zone, sub, day, count in db.session.execute(grouped)]
