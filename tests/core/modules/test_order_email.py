"""The owner who orders gets a confirmation email (through a real SMTP server on loopback) with the lines
and the HT/TVA/TTC totals, and the order is in the audit log."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from core.auth.tables import AuditEntry
from core.config import SmtpSettings
from core.testing.fixtures import api_token, deliver_outbox
from tests.core.modules.helpers import order_modules


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def inbox():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture
def smtp_settings(inbox):
    return SmtpSettings(host="127.0.0.1", port=inbox.port)


async def test_order_confirmation_email_and_audit_entry(client, make_org, inbox, settings):
    org = await make_org("Mairie Courriel")
    headers = await api_token(client, org.owner_email)
    order = await order_modules(client, headers, (org.office_id, "alpha", "activate"),
                                (org.office_id, "beta", "activate"))
    assert inbox.messages == []  # queued with the order, sent by the worker
    await deliver_outbox(settings)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == org.owner_email and message["Subject"] == f"Votre commande n° {order['number']}"
    body = message.get_content()
    assert "Activation « Module alpha » — Mairie Courriel" in body
    assert "Total HT : 171,00\u00a0€" in body and "TVA : 34,20\u00a0€" in body and "Total TTC : 205,20\u00a0€" in body
    entries = await AuditEntry.select(AuditEntry.action, AuditEntry.target).where(
        AuditEntry.action == "order.placed")
    assert entries == [{"action": "order.placed", "target": f"order:{order['id']}"}]
