"""End to end over the console with a real module billed by the month (« delta », 31 € HT per month): enabled
from the console (no invoice yet: it is billed by the month), October billed from the console, its invoice
cancelled (credit note), then November's run from the console bills November and October again, once."""

from datetime import UTC, datetime
from decimal import Decimal

import pyotp
import pytest

from core.commerce.tables import Order
from core.operators import accounts
from core.operators.tables import CreditNote, Invoice
from core.testing.fixtures import csrf_token
from tests.core.operators.test_operators import OP_PASSWORD, _op_login
from tests.core.plugins.sources import full_plugin


@pytest.fixture
def app_factory(settings, test_plugins, plugin_folder):
    full_plugin(plugin_folder, "delta", "31.00", billing="monthly")
    from core.web import create_app

    return lambda: create_app(settings)


async def test_monthly_module_billed_cancelled_and_billed_again_from_the_console(client, make_org):
    org = await make_org("Auto-école des Tilleuls")
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    token = await csrf_token(client, f"/operateur/organisations/{org.organisation_id}")
    done = await client.post(f"/operateur/organisations/{org.organisation_id}/modules", follow_redirects=False,
                             data={"office_id": org.office_id, "module": "delta", "action": "activate",
                                   "reason": "Contrat", "_csrf_token": token})
    assert done.status_code in (302, 303), done.text
    assert await Invoice.count() == 0  # billed by the month, not with the order
    await Order.update({Order.created_at: datetime(2026, 10, 10, 9, tzinfo=UTC)}).where(
        Order.organisation == org.organisation_id)

    billed = await client.post("/operateur/factures", follow_redirects=False,
                               data={"month": "2026-10", "_csrf_token": token})
    assert billed.status_code in (302, 303)
    [october] = await Invoice.objects()
    assert (october.number, october.kind, Decimal(str(october.total_ht))) == (1, "monthly", Decimal("22.00"))
    cancelled = await client.post(f"/operateur/factures/{october.id}/statut", follow_redirects=False,
                                  data={"status": "cancelled", "reason": "Remise oubliée", "_csrf_token": token})
    assert cancelled.status_code in (302, 303)
    assert (await CreditNote.objects().first()).number == 1

    november = await client.post("/operateur/factures", follow_redirects=True,
                                 data={"month": "2026-11", "_csrf_token": token})
    assert "Facturation de 2026-11 : 2 facture(s) créée(s)." in november.text
    standing = await Invoice.objects().where(Invoice.status == "to_pay").order_by(Invoice.number)
    assert [(i.number, i.month, Decimal(str(i.total_ht))) for i in standing] == [
        (2, "2026-11", Decimal("31.00")), (3, "2026-10", Decimal("22.00"))]
    again = await client.post("/operateur/factures", follow_redirects=True,
                              data={"month": "2026-11", "_csrf_token": token})
    assert "Facturation de 2026-11 : 0 facture(s) créée(s)." in again.text
    csv = (await client.get("/operateur/factures.csv", params={"month": "2026-10"})).text
    assert csv.count(";facture;") == 2 and ";emis;-22,00;-4,40;-26,40;avoir;" in csv
