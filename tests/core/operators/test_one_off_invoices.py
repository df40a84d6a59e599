"""One-off charges are invoiced once per order: with the order (checkout, direct activation), or by the monthly
run for an order placed by another path; never twice, never a cancelled order, never an order with nothing to pay."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pyotp
from pypdf import PdfReader

from core import db
from core.commerce.orders import OrderLineIn, place_order
from core.commerce.tables import Order
from core.jobs.tables import OutboxMessage
from core.modules.catalog import Catalog
from core.operators import accounts, billing, invoicing, orders
from core.operators.tables import Invoice, InvoiceLine, OrderState
from core.testing.fixtures import api_token, csrf_token, login
from tests.core.modules.helpers import order_modules
from tests.core.operators.test_billing import _catalog
from tests.core.operators.test_operators import OP_PASSWORD, _op_login


async def test_checkout_of_a_one_off_module_is_invoiced_once(app, client, make_org):
    org = await make_org("Auto-école des Tilleuls")
    headers = await api_token(client, org.owner_email)
    order = await order_modules(client, headers, (org.office_id, "beta", "activate"))  # beta: 100 € HT, one-off
    [invoice] = await Invoice.objects().where(Invoice.organisation == org.organisation_id)
    assert (invoice.number, invoice.kind, invoice.order, invoice.status) == (1, "order", order["id"], "to_pay")
    assert Decimal(str(invoice.total_ttc)) == Decimal("120.00")
    [line] = await InvoiceLine.objects().where(InvoiceLine.invoice == invoice.id)
    assert line.module == "beta" and Decimal(str(line.ht)) == Decimal("100.00")
    state = await OrderState.objects().where(OrderState.order == order["id"]).first()
    assert state.status == "invoiced" and state.invoice == invoice.id
    assert await OutboxMessage.exists().where(OutboxMessage.idempotency_key == f"invoice-pdf:{invoice.id}")

    month = f"{datetime.now(UTC):%Y-%m}"
    assert await billing.run(Catalog.of(app.state.plugins), month) == []  # the monthly run does not invoice it again
    assert await Invoice.count().where(Invoice.organisation == org.organisation_id) == 1
    assert ";1;" + month + ";to_pay;100,00;20,00;120,00;facture;" in await billing.csv_export(month)
    assert f";commande {order['number']}" in await billing.csv_export(month)

    await login(client, org.owner_email)
    page = await client.get("/config/factures")
    assert page.status_code == 200 and f"Commande n° {order['number']}" in page.text
    pdf = await client.get(f"/config/factures/{invoice.id}/pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Facture n° 1" in text and f"Commande n° {order['number']} du" in text and "120,00" in text
    rows = await orders.orders(order_id=order["id"])
    assert rows[0]["state"] == "invoiced" and rows[0]["invoice_number"] == 1


async def test_direct_activation_of_a_one_off_module_is_invoiced_unless_free(app, client, make_org):
    org = await make_org("Mairie de Brive")
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    token = await csrf_token(client, f"/operateur/organisations/{org.organisation_id}")
    path = f"/operateur/organisations/{org.organisation_id}/modules"
    free = await client.post(path, follow_redirects=False, data={
        "office_id": org.office_id, "module": "beta", "action": "activate", "reason": "Geste", "free": "on",
        "_csrf_token": token})
    assert free.status_code in (302, 303), free.text
    assert await Invoice.count().where(Invoice.organisation == org.organisation_id) == 0  # nothing to pay
    paid = await client.post(path, follow_redirects=False, data={
        "office_id": org.office_id, "module": "alpha", "action": "activate", "reason": "Contrat",
        "_csrf_token": token})
    assert paid.status_code in (302, 303), paid.text
    [invoice] = await Invoice.objects().where(Invoice.organisation == org.organisation_id)
    assert invoice.kind == "order" and Decimal(str(invoice.total_ht)) == Decimal("71.00")
    page = await client.get("/operateur/commandes", params={"q": "brive"})
    assert "Facturée</strong>" in page.text and "facture n° 1" in page.text
    assert page.text.count("Rien à facturer</strong>") == 1 and "Annuler la commande" not in page.text  # the free one
    pdf = await client.get(f"/operateur/factures/{invoice.id}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert (await client.get("/operateur/factures/99999/pdf")).status_code == 404


async def test_monthly_run_invoices_orders_placed_elsewhere_once(app, make_org):
    """An order placed through `place_order` (the plugin API) is invoiced by the next monthly run; a mixed order
    is invoiced for its one-off lines only (its monthly lines go to the monthly invoice); a cancelled order and
    an order with nothing to pay get no invoice."""
    catalog = _catalog()  # alpha monthly (31 € / month), beta one-off (100 €)
    org = await make_org("Centre de langues Molière")
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()

    async def placed(day: date, *lines: OrderLineIn) -> Order:
        async with db.write_transaction():
            order = await place_order(org.organisation_id, None, list(lines))
        await Order.update({Order.created_at: datetime(day.year, day.month, day.day, 9, tzinfo=UTC)}).where(
            Order.id == order.id)
        return order

    codes = await placed(date(2026, 10, 3), OrderLineIn(label="50 codes", unit_ht=Decimal("2.50"), quantity=50,
                                                        source="certification", reference="codes"))
    nothing = await placed(date(2026, 10, 4), OrderLineIn(label="Désactivation", unit_ht=Decimal("0"),
                                                          office_id=org.office_id, source="beta",
                                                          reference="deactivate"))
    cancelled = await placed(date(2026, 10, 5), OrderLineIn(label="Erreur", unit_ht=Decimal("9")))
    await orders.cancel_order(op, cancelled.id, "Doublon")
    mixed = await placed(date(2026, 10, 10),
                         OrderLineIn(label="Alpha", unit_ht=Decimal("31"), office_id=org.office_id, source="alpha",
                                     reference="activate"),
                         OrderLineIn(label="Beta", unit_ht=Decimal("100"), office_id=org.office_id, source="beta",
                                     reference="activate"))
    later = await placed(date(2026, 11, 2), OrderLineIn(label="Novembre", unit_ht=Decimal("5")))

    created = await billing.run(catalog, "2026-10")
    invoices = {i.id: i for i in await Invoice.objects().where(Invoice.organisation == org.organisation_id)}
    assert sorted(invoices) == sorted(created) and len(created) == 3
    by_order = {i.order: i for i in invoices.values() if i.kind == "order"}
    assert set(by_order) == {codes.id, mixed.id}  # not `nothing`, not `cancelled`, not November's
    assert Decimal(str(by_order[codes.id].total_ht)) == Decimal("125.00")
    assert Decimal(str(by_order[mixed.id].total_ht)) == Decimal("100.00")  # beta only
    [monthly] = [i for i in invoices.values() if i.kind == "monthly"]
    assert monthly.slot == "2026-10" and Decimal(str(monthly.total_ht)) == Decimal("22.00")  # 22/31 days
    assert sorted(i.number for i in invoices.values()) == [1, 2, 3]
    assert (await OrderState.objects().where(OrderState.order == mixed.id).first()).invoice == by_order[mixed.id].id

    assert await billing.run(catalog, "2026-10") == []  # rerun: nothing new
    assert await invoicing.invoice_order(catalog, codes.id) is None  # never twice
    november = await billing.run(catalog, "2026-11")
    kinds = sorted((await Invoice.objects().where(Invoice.id.is_in(november))), key=lambda i: i.number)
    assert [(i.kind, i.order, i.number) for i in kinds] == [("order", later.id, 4), ("monthly", None, 5)]
    assert not await OrderState.exists().where(OrderState.order == nothing.id)  # nothing to pay: no invoice


async def test_an_order_with_nothing_to_pay_is_listed_as_such_not_to_invoice(app, make_org):
    """A free order, or one whose only charge is a module billed by the month, never gets an invoice of its
    own: the operator's list says « Rien à facturer » (it said « À facturer » for ever)."""
    catalog = _catalog()  # alpha monthly, beta one-off
    org = await make_org("Mairie de Tulle")
    async with db.write_transaction():
        free = await place_order(org.organisation_id, None, [OrderLineIn(
            label="Geste", unit_ht=Decimal("0"), office_id=org.office_id, source="beta", reference="activate")])
        monthly = await place_order(org.organisation_id, None, [OrderLineIn(
            label="Alpha", unit_ht=Decimal("31"), office_id=org.office_id, source="alpha", reference="activate")])
        due = await place_order(org.organisation_id, None, [OrderLineIn(label="50 codes", unit_ht=Decimal("2.50"),
                                                                        quantity=50, source="certification")])
    ids = invoicing.monthly_modules(catalog)
    states = {r["id"]: (r["state"], r["state_label"]) for r in await orders.orders("tulle", monthly=ids)}
    assert states == {free.id: ("nothing_due", "Rien à facturer"), monthly.id: ("nothing_due", "Rien à facturer"),
                      due.id: ("to_invoice", "À facturer")}
    assert [r["id"] for r in await orders.orders("tulle", "to_invoice", monthly=ids)] == [due.id]
    assert {r["id"] for r in await orders.orders("tulle", "nothing_due", monthly=ids)} == {free.id, monthly.id}
    # without the monthly modules, alpha's line is a charge like any other
    assert {r["id"] for r in await orders.orders("tulle", "to_invoice")} == {monthly.id, due.id}
    await invoicing.invoice_order(catalog, due.id)
    assert [r["id"] for r in await orders.orders("tulle", "invoiced", monthly=ids)] == [due.id]
