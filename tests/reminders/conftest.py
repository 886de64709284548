"""Helpers of the reminder tests: records with dates, a scan on a chosen day, what it stored."""

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from flask import current_app
from sqlalchemy import select

from crm.reminders.rules import ReminderSettings
from crm.reminders.scan import ScanSummary, scan
from models import (
    Enterprise,
    FollowUpAction,
    Reminder,
    ReminderState,
    Tier,
    User,
    Visit,
    VisitKind,
    db,
)
from tests import factories


def settings() -> ReminderSettings:
    return ReminderSettings.from_config(current_app.config)


def scan_on(day: date) -> ScanSummary:
    """One scan as the scheduler would run it on `day` (the clock is the argument)."""
    return scan(day, datetime.combine(day, time(9, 0)), settings())


def stored(
    rule: str | None = None, state: ReminderState | None = ReminderState.OPEN
) -> list[tuple]:
    """(rule, record_id, due_on, recipient username) of the stored reminders, sorted."""
    query = select(Reminder)
    if rule is not None:
        query = query.where(Reminder.rule == rule)
    if state is not None:
        query = query.where(Reminder.state == state)
    return sorted(
        (r.rule, r.record_id, r.due_on, r.recipient.username) for r in db.session.scalars(query)
    )


def log_visit(firm: Enterprise, on: date, author: User, next_visit_on: date | None = None) -> Visit:
    visit = Visit(
        enterprise=firm,
        visited_on=on,
        kind=VisitKind.ON_SITE,
        summary="走访",
        next_visit_on=next_visit_on,
        created_by=author,
        created_at=datetime.combine(on, time(10, 0)),
        updated_at=datetime.combine(on, time(10, 0)),
    )
    db.session.add(visit)
    db.session.flush()
    return visit


def add_follow_up(visit: Visit, owner: User, due_on: date) -> FollowUpAction:
    action = FollowUpAction(visit=visit, description="提交人才落户材料", owner=owner, due_on=due_on)
    db.session.add(action)
    db.session.flush()
    return action


@pytest.fixture
def candidate(app, manager) -> Enterprise:
    """A unicorn candidate of the manager's sub-district (visited monthly), 2025 figures in."""
    firm = factories.EnterpriseFactory(
        name="上海候选独角兽科技有限公司", tier=Tier.CANDIDATE, manager=manager
    )
    factories.YearlyFiguresFactory(enterprise=firm, year=2025)
    return firm


@dataclass
class Received:
    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, _server: object, _session: object, envelope: Envelope) -> str:  # noqa: N802 -- aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[misc]
            for envelope in self.envelopes
        ]


@pytest.fixture
def smtp_server(app) -> Iterator[Received]:
    """A real SMTP server on 127.0.0.1, and the app configured to send through it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    received = Received()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield received
    controller.stop()
