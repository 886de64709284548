"""The dashboard computed ahead: one stored snapshot per filter, language and day.

Counting a district's reservoir takes seconds; a leader's view must take milliseconds. The
scheduler refreshes the snapshots (`refresh_dashboard`), and a view that finds none for its
filters computes one and stores it, so the page, print, workbook and API read the same figures.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlencode

from babel import Locale
from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from crm.dashboard.filters import DashboardFilter, Period
from crm.dashboard.memo import shared_counts
from crm.dashboard.report import Section, section_json, section_of
from crm.dashboard.sections import dashboard_sections
from crm.targets.definitions import definition_dict
from crm.targets.progress import TargetProgress
from models import (
    AuditEntry,
    DashboardSnapshot,
    Enterprise,
    EnterpriseRequest,
    PackageItem,
    ScoringRun,
    Visit,
    YearlyFigures,
    db,
)

DASHBOARD_PAGE = "dashboard"
QUALITY_PAGE = "quality"
# Tables whose highest id moves whenever the figures may change: edits are audited, new rows
# get new ids, and a scoring run is a row.
STAMPED = (AuditEntry, Enterprise, Visit, EnterpriseRequest, PackageItem, ScoringRun, YearlyFigures)


@dataclass(frozen=True)
class TargetCard:
    """A target's progress as the page, the API and the workbook show it."""

    key: str
    title: str
    definition: dict[str, Any]
    value: int
    goal: float
    district_goal: float
    deadline: date
    baseline: date
    projected: float
    on_pace: bool | None
    reached: float
    owner: str | None  # the owning department's slug
    trend: list[tuple[date, int]]


@dataclass(frozen=True)
class DashboardFigures:
    cards: list[TargetCard]
    section_data: list[dict[str, Any]]
    sections_html: dict[str, Markup]  # the sections rendered for the page and for print
    computed_at: datetime

    @property
    def sections(self) -> list[Section]:
        """The tables as data, for the workbook (the page shows `sections_html`)."""
        return [section_of(section) for section in self.section_data]


def data_stamp() -> str:
    return ".".join(str(db.session.scalar(select(func.max(m.id))) or 0) for m in STAMPED)


def filter_key(filters: DashboardFilter) -> str:
    return urlencode(sorted(filters.as_args().items()))


def _card(row: TargetProgress, locale: str) -> TargetCard:
    target = row.target
    return TargetCard(
        key=target.key,
        title=target.title_for(locale),
        definition=definition_dict(target),
        value=row.value,
        goal=row.goal,
        district_goal=target.goal,
        deadline=target.deadline,
        baseline=row.baseline,
        projected=row.projected,
        on_pace=row.on_pace,
        reached=row.reached,
        owner=target.owner.slug if target.owner else None,
        trend=row.trend,
    )


def compute_figures(
    filters: DashboardFilter, locale: str
) -> tuple[list[TargetCard], list[Section]]:
    with force_locale(locale):
        progress, sections = dashboard_sections(filters, locale)
        return [_card(row, locale) for row in progress], sections


def locale_key(locale: str) -> str:
    """The reader's language as Flask-Babel names it ("zh_CN" in the settings is "zh_Hans_CN")."""
    return str(Locale.parse(locale))


def dashboard_figures(filters: DashboardFilter, locale: str, now: datetime) -> DashboardFigures:
    """The stored figures for these filters today, computed and stored first if missing."""
    key, locale = filter_key(filters), locale_key(locale)
    snapshot = stored_snapshot(DASHBOARD_PAGE, key, locale, filters.today)
    if snapshot is None:
        snapshot = store_snapshot(
            DASHBOARD_PAGE,
            key,
            locale,
            filters.today,
            now,
            lambda: _dashboard_payload(filters, locale),
        )
    return _decode(snapshot)


def _dashboard_payload(filters: DashboardFilter, locale: str) -> dict[str, Any]:
    cards, sections = compute_figures(filters, locale)
    with force_locale(locale):
        html = sections_html(sections)
    return {
        "cards": [card_json(card) for card in cards],
        "sections": [section_json(section) for section in sections],
        "html": html,
    }


def stored_snapshot(page: str, key: str, locale: str, as_of: date) -> DashboardSnapshot | None:
    return db.session.scalar(
        select(DashboardSnapshot).where(
            DashboardSnapshot.page == page,
            DashboardSnapshot.filter_key == key,
            DashboardSnapshot.locale == locale,
            DashboardSnapshot.as_of == as_of,
        )
    )


def store_snapshot(
    page: str,
    key: str,
    locale: str,
    as_of: date,
    now: datetime,
    compute: Callable[[], dict[str, Any]],
) -> DashboardSnapshot:
    """Compute and store (or overwrite) one snapshot; flushes, the caller commits."""
    stamp = data_stamp()
    payload = compute()
    snapshot = stored_snapshot(page, key, locale, as_of)
    if snapshot is not None:
        snapshot.payload, snapshot.computed_at, snapshot.data_stamp = payload, now, stamp
        db.session.flush()
        return snapshot
    snapshot = DashboardSnapshot(
        page=page,
        filter_key=key,
        locale=locale,
        as_of=as_of,
        payload=payload,
        computed_at=now,
        data_stamp=stamp,
    )
    try:
        with db.session.begin_nested():  # another worker may have stored it meanwhile
            db.session.add(snapshot)
    except IntegrityError:
        return stored_snapshot(page, key, locale, as_of) or snapshot
    return snapshot


def refresh_dashboard(today: date, now: datetime, locales: tuple[str, ...]) -> int:
    """Recompute today's snapshots whose data moved: the whole district in every period and
    language, and every filter someone viewed today. Older days' snapshots are dropped.
    Returns how many were computed."""
    db.session.execute(delete(DashboardSnapshot).where(DashboardSnapshot.as_of < today))
    stamp = data_stamp()
    stored = {
        (row.page, row.filter_key, row.locale): row
        for row in db.session.scalars(
            select(DashboardSnapshot).where(DashboardSnapshot.as_of == today)
        )
    }
    wanted = {
        (DASHBOARD_PAGE, filter_key(DashboardFilter(today, period)), locale)
        for period in Period
        for locale in map(locale_key, locales)
    } | {key for key in stored if key[0] == DASHBOARD_PAGE}
    due = [
        (page, key, locale)
        for page, key, locale in sorted(wanted)
        if (known := stored.get((page, key, locale))) is None or known.data_stamp != stamp
    ]
    with shared_counts():
        for page, key, locale in due:
            compute = partial(_dashboard_payload, filters_of(key, today), locale)
            store_snapshot(page, key, locale, today, now, compute)
    return len(due)


def filters_of(key: str, today: date) -> DashboardFilter:
    return DashboardFilter.from_args(dict(parse_qsl(key)), today)[0]


def forget_dashboard() -> None:
    """Drop the stored figures, so the next view recounts (a target was edited, say)."""
    db.session.execute(delete(DashboardSnapshot).where(DashboardSnapshot.page == DASHBOARD_PAGE))


def _decode(snapshot: DashboardSnapshot) -> DashboardFigures:
    payload = snapshot.payload
    return DashboardFigures(
        cards=[card_of(card) for card in payload["cards"]],
        section_data=payload["sections"],
        # Rendered by our own autoescaping templates when the snapshot was stored.
        sections_html={layout: Markup(html) for layout, html in payload["html"].items()},  # noqa: S704
        computed_at=snapshot.computed_at,
    )


def card_json(card: TargetCard) -> dict[str, Any]:
    return {
        **card.__dict__,
        "deadline": card.deadline.isoformat(),
        "baseline": card.baseline.isoformat(),
        "trend": [[day.isoformat(), value] for day, value in card.trend],
    }


def card_of(data: dict[str, Any]) -> TargetCard:
    return TargetCard(
        **{
            **data,
            "deadline": date.fromisoformat(data["deadline"]),
            "baseline": date.fromisoformat(data["baseline"]),
            "trend": [(date.fromisoformat(day), value) for day, value in data["trend"]],
        }
    )


# Formatting a few thousand numbers in the reader's language costs more than reading the figures:
# the snapshot keeps the page's and the printable report's HTML beside the data.
LAYOUTS = ("page", "print")


def sections_html(sections: list[Section]) -> dict[str, str]:
    """HTML of the sections in each layout, in the current language."""

    def render() -> dict[str, str]:
        return {
            layout: render_template(
                "dashboard/_sections.html", sections=sections, printing=layout == "print"
            )
            for layout in LAYOUTS
        }

    if has_request_context():
        return render()
    # A scheduled refresh has no request; the links in the tables are paths, host-free.
    with current_app.test_request_context():
        return render()
