"""The owner who orders gets a confirmation email (through a real SMTP server on loopback) with the lines
and the HT/TVA/TTC totals, and the order is in the audit log."""

import pytest

from core.auth.tables import AuditEntry
from core.testing.fixtures import api_token, deliver_outbox, smtp_to
from tests.core.modules.helpers import order_modules


@pytest.fixture
def smtp_settings(smtp_server):
    return smtp_to(smtp_server)


async def test_order_confirmation_email_and_audit_entry(client, make_org, smtp_server, settings):
    org = await make_org("Mairie Courriel")
    headers = await api_token(client, org.owner_email)
    order = await order_modules(client, headers, (org.office_id, "alpha", "activate"),
                                (org.office_id, "beta", "activate"))
    assert smtp_server.messages == []  # queued with the order, sent by the worker
    await deliver_outbox(settings)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == org.owner_email and message["Subject"] == f"Votre commande n° {order['number']}"
    body = message.get_content()
    assert "Activation « Module alpha » — Mairie Courriel" in body
    assert "Total HT : 171,00\u00a0€" in body and "TVA : 34,20\u00a0€" in body and "Total TTC : 205,20\u00a0€" in body
    entries = await AuditEntry.select(AuditEntry.action, AuditEntry.target).where(
        AuditEntry.action == "order.placed")
    assert entries == [{"action": "order.placed", "target": f"order:{order['id']}"}]
