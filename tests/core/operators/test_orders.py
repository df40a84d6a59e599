"""Orders across the organisations with their billing status; invoices marked paid or cancelled (audited)."""

from datetime import date

import pyotp

from core.auth.tables import AuditEntry
from core.commerce.tables import Order
from core.operators import accounts, billing
from core.operators.tables import Invoice, OrderState
from core.testing.fixtures import csrf_token
from tests.core.operators.test_billing import _catalog, _change
from tests.core.operators.test_operators import OP_PASSWORD, _op_login


async def _setup(app, client, make_org):
    catalog = _catalog()
    tilleuls = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    brive = await make_org("Mairie de Brive", "maire@brive.test")
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()
    await _change(app, tilleuls, op, "alpha", True, date(2026, 10, 10), catalog)
    await _change(app, brive, op, "alpha", True, date(2026, 10, 12), catalog)
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    return catalog, tilleuls, brive


async def test_orders_statuses_filters_and_invoice_paid(app, client, make_org):
    catalog, tilleuls, brive = await _setup(app, client, make_org)
    page = await client.get("/operateur/commandes")
    assert page.status_code == 200 and page.text.count("À facturer</strong>") == 2
    assert "Auto-école des Tilleuls" in page.text and "Mairie de Brive" in page.text
    only = await client.get("/operateur/commandes", params={"q": "brive"})
    assert "Mairie de Brive" in only.text and "Auto-école des Tilleuls" not in only.text
    assert "Aucune commande" in (await client.get("/operateur/commandes", params={"month": "2026-09"})).text
    assert "Mairie de Brive" in (await client.get("/operateur/commandes", params={"month": "2026-10"})).text
    bad = await client.get("/operateur/commandes", params={"month": "octobre"})
    assert bad.status_code == 422 and 'aria-describedby="month-error"' in bad.text

    created = await billing.run(catalog, "2026-10")
    assert len(created) == 2
    invoiced = await client.get("/operateur/commandes", params={"status": "invoiced"})
    assert invoiced.text.count("Facturée</strong>") == 2 and "facture n° 1" in invoiced.text
    assert "Aucune commande" in (await client.get("/operateur/commandes", params={"status": "to_invoice"})).text

    invoice = await Invoice.objects().where(Invoice.organisation == tilleuls.organisation_id).first()
    token = await csrf_token(client, "/operateur/factures")
    wrong = await client.post(f"/operateur/factures/{invoice.id}/statut", data={"status": "rembourse",
                                                                               "_csrf_token": token})
    assert wrong.status_code == 422 and f'aria-describedby="status-{invoice.id}-error"' in wrong.text
    paid = await client.post(f"/operateur/factures/{invoice.id}/statut", follow_redirects=False,
                             data={"status": "paid", "_csrf_token": token})
    assert paid.status_code in (302, 303)
    assert (await Invoice.objects().where(Invoice.id == invoice.id).first()).status == "paid"
    assert "Payée</strong>" in (await client.get("/operateur/commandes", params={"q": "tilleuls"})).text
    again = await client.post(f"/operateur/factures/{invoice.id}/statut", data={"status": "paid",
                                                                               "_csrf_token": token})
    assert again.status_code == 422 and "déjà « payée »" in again.text
    entry = await AuditEntry.objects().where(AuditEntry.action == "invoice.paid").first()
    assert entry.organisation == tilleuls.organisation_id and "ops@socle.test" in entry.summary
    filtered = await client.get("/operateur/factures", params={"status": "paid"})
    assert "Auto-école des Tilleuls" in filtered.text and "Mairie de Brive" not in filtered.text
    assert (await client.post("/operateur/factures/99999/statut",
                              data={"status": "paid", "_csrf_token": token})).status_code == 404

    # Cancelling Brive's invoice keeps its number and puts its order back to invoice.
    other = await Invoice.objects().where(Invoice.organisation == brive.organisation_id).first()
    await client.post(f"/operateur/factures/{other.id}/statut", data={"status": "cancelled", "_csrf_token": token})
    assert (await Invoice.objects().where(Invoice.id == other.id).first()).status == "cancelled"
    assert "À facturer</strong>" in (await client.get("/operateur/commandes", params={"q": "brive"})).text
    assert await AuditEntry.exists().where((AuditEntry.action == "invoice.cancelled")
                                           & (AuditEntry.organisation == brive.organisation_id))


async def test_cancelled_order_is_not_billed_and_is_audited(app, client, make_org):
    catalog, tilleuls, brive = await _setup(app, client, make_org)
    order = await Order.objects().where(Order.organisation == brive.organisation_id).first()
    token = await csrf_token(client, "/operateur/commandes")
    missing = await client.post(f"/operateur/commandes/{order.id}/annulation", data={"reason": " ",
                                                                                    "_csrf_token": token})
    assert missing.status_code == 422 and f'aria-describedby="reason-{order.id}-error"' in missing.text
    assert not await OrderState.exists().where(OrderState.order == order.id)
    done = await client.post(f"/operateur/commandes/{order.id}/annulation", follow_redirects=False,
                             data={"reason": "Commande en double", "_csrf_token": token})
    assert done.status_code in (302, 303)
    page = await client.get("/operateur/commandes", params={"status": "cancelled"})
    assert "Mairie de Brive" in page.text and "Annulée</strong>" in page.text
    entry = await AuditEntry.objects().where(AuditEntry.action == "order.cancelled").first()
    assert entry.organisation == brive.organisation_id
    created = await billing.run(catalog, "2026-10")
    assert [i.organisation for i in await Invoice.objects().where(Invoice.id.is_in(created))] == [
        tilleuls.organisation_id]
    twice = await client.post(f"/operateur/commandes/{order.id}/annulation",
                              data={"reason": "encore", "_csrf_token": token})
    assert twice.status_code == 422 and "Seule une commande à facturer" in twice.text
    assert (await client.post("/operateur/commandes/99999/annulation",
                              data={"reason": "x", "_csrf_token": token})).status_code == 404
