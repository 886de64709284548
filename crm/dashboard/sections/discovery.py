"""The discovery section: candidates taken in during the period, by source, and how far they
converted (screened, admitted, and later a higher tier or a designation). One GROUP BY."""

from flask_babel import gettext as _

from crm.dashboard.filters import DashboardFilter
from crm.dashboard.report import Section, Table, bar_chart
from crm.discovery import stats
from crm.discovery.labels import label
from models import DiscoveryCandidate


def discovery_section(filters: DashboardFilter, locale: str) -> Section:
    rows = stats.by_source_kind(
        DiscoveryCandidate.received_on.between(filters.start, filters.end),
        *filters.place_clauses(DiscoveryCandidate),
    )
    named = [(label(row.key), row) for row in rows]
    if rows:
        named.append((_("Total"), stats.total(rows)))
    chart = bar_chart(
        named[: len(rows)],
        [(_("Candidates"), lambda row: row.candidates), (_("Admitted"), lambda row: row.admitted)],
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
