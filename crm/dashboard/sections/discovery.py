"""The discovery section: candidates taken in during the period, by source, and how far they
converted (screened, admitted, and later a higher tier or a designation). One GROUP BY."""

from flask_babel import gettext as _
from sqlalchemy import ColumnElement

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.report import Chart, Section, Series, Table
from crm.discovery import stats
from crm.discovery.labels import label
from models import DiscoveryCandidate, IndustryTrack, SubDistrict, Zone


def _clauses(filters: DashboardFilter) -> list[ColumnElement[bool]]:
    """Candidates received in the period, in the zone, sub-district and track chosen (their
    own places: a candidate is not a firm of the reservoir yet)."""
    clauses: list[ColumnElement[bool]] = [
        DiscoveryCandidate.received_on.between(filters.start, filters.end)
    ]
    if filters.zone:
        clauses.append(DiscoveryCandidate.zone.has(Zone.slug == filters.zone))
    if filters.sub_district:
        clauses.append(
            DiscoveryCandidate.sub_district.has(SubDistrict.slug == filters.sub_district)
        )
    if filters.track:
        clauses.append(DiscoveryCandidate.track.has(IndustryTrack.slug == filters.track))
    return clauses


def discovery_section(filters: DashboardFilter, locale: str) -> Section:
    rows = stats.by_source_kind(*_clauses(filters))
    named = [(label(row.key), row) for row in rows]
    if rows:
        named.append((_("Total"), stats.total(rows)))
    chart = Chart(
        "bar",
        [name for name, _row in named[: len(rows)]],
        [
            Series(_("Candidates"), [row.candidates for _name, row in named[: len(rows)]]),
            Series(_("Admitted"), [row.admitted for _name, row in named[: len(rows)]]),
        ],
    )
    table = Table(
        key="discovery_by_source",
        title=_("Discovery conversion by source"),
        columns=[
            _("Source"),
            _("Candidates"),
            _("Screened"),
            _("Admitted"),
            _("Declined"),
            _("Watching"),
            _("Already in the reservoir"),
            _("Advanced since admission"),
            _("Admission rate"),
        ],
        rows=[
            [
                name,
                row.candidates,
                row.screened,
                row.admitted,
                row.declined,
                row.watching,
                row.duplicates,
                row.advanced,
                row.admission_rate,
            ]
            for name, row in named
        ],
        chart=chart,
        note=_(
            "Candidates taken in within the period, by their own zone, sub-district and track. "
            "Advanced: admitted, and since then a higher tier or a designation awarded after "
            "admission. Already in the reservoir: linked to an existing firm, not admitted."
        ),
        percent_columns=frozenset({8}),
    )
    return Section(key="discovery", title=_("Active discovery"), tables=[table])
