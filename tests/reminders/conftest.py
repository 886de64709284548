"""Fixtures of the reminder tests: a candidate firm and a real SMTP server."""

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from models import Enterprise, Tier
from tests import factories


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
