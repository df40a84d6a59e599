"""Monthly billing: proration by day, idempotent rerun, gap-free numbers under concurrency, CSV export."""

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.commerce.tables import Order
from core.modules.catalog import Catalog, ModuleInfo
from core.operators import accounts, billing, direct
from core.operators.tables import Invoice, InvoiceLine
from core.plugin_api.manifest import Billing
from core.plugins.records import PluginStatus


def _catalog() -> Catalog:
    return Catalog([ModuleInfo("alpha", "Alpha", "", "1", Decimal("31.00"), Billing.monthly, PluginStatus.ok, ()),
                    ModuleInfo("beta", "Beta", "", "1", Decimal("100.00"), Billing.one_off, PluginStatus.ok, ())])


@pytest.mark.nodb
def test_active_days_across_a_month():
    first, following, days = billing.month_bounds("2026-10")
    assert days == 31
    events = [(date(2026, 10, 10), True), (date(2026, 10, 20), False)]
    assert billing.active_days(events, first, following) == 10
    assert billing.active_days([(date(2026, 9, 3), True)], first, following) == 31
    assert billing.active_days([(date(2026, 9, 3), True), (date(2026, 9, 9), False)], first, following) == 0


async def _change(app, org, operator, module, active, day, catalog):
    order = await direct.apply(app.state.plugins, catalog, operator, org.organisation_id,
                               direct.DirectChange(org.office_id, module, active, "test"), "",
                               today=date(2026, 9, 1))
    await Order.update({Order.created_at: datetime(day.year, day.month, day.day, 9, tzinfo=UTC)}).where(
        Order.id == order.id)


async def test_proration_idempotent_rerun_and_csv(app, make_org):
    catalog = _catalog()
    org = await make_org("Auto-école des Tilleuls")
    operator = (await accounts.create_operator("ops@socle.test", "operateur-secret-1"))
    op = await accounts.Operator.objects().where(accounts.Operator.email == operator.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 10, 10), catalog)
    await _change(app, org, op, "alpha", False, date(2026, 10, 20), catalog)
    await _change(app, org, op, "beta", True, date(2026, 10, 1), catalog)  # one-off: invoiced when applied (n° 1)
    created = await billing.run(catalog, "2026-10")
    assert len(created) == 1
    invoice = await Invoice.objects().where(Invoice.id == created[0]).first()
    assert invoice.number == 2 and Decimal(str(invoice.total_ht)) == Decimal("10.00")
    lines = await InvoiceLine.objects().where(InvoiceLine.invoice == invoice.id)
    assert [(line.module, line.days) for line in lines] == [("alpha", 10)]
    assert await billing.run(catalog, "2026-10") == []  # rerun: nothing new
    assert await billing.run(catalog, "2026-11") == []  # deactivated: nothing to bill
    text = await billing.csv_export("2026-10")
    assert "Auto-école des Tilleuls;2;2026-10;to_pay;10,00;2,00;12,00;facture;" in text
    everything = await billing.csv_export()  # beta's order n° 3, invoiced the day it was applied (not backdated)
    assert "Auto-école des Tilleuls;1;" in everything and ";to_pay;100,00;20,00;120,00;facture;" in everything
    assert everything.strip().endswith(";commande 3") or ";commande 3\r\n" in everything


async def test_numbers_without_gaps_under_concurrency(app, make_org):
    catalog = _catalog()
    org = await make_org()
    operator = (await accounts.create_operator("ops@socle.test", "operateur-secret-1"))
    op = await accounts.Operator.objects().where(accounts.Operator.email == operator.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 1, 5), catalog)
    months = [f"2026-{n:02d}" for n in range(1, 7)]
    await asyncio.gather(*[billing.run(catalog, m) for m in months * 2])
    numbers = sorted(i.number for i in await Invoice.objects().where(Invoice.organisation == org.organisation_id))
    assert numbers == [1, 2, 3, 4, 5, 6]


async def test_numbers_without_gaps_mixed_one_off_and_monthly_under_concurrency(app, make_org):
    """Monthly runs of six months (each twice), the one-off invoices of six orders (each twice) and a direct
    activation of a one-off module, all at once: every number 1…13 once, one invoice per month and per order."""
    from core import db
    from core.commerce.orders import OrderLineIn, place_order
    from core.operators import invoicing

    catalog = _catalog()
    org = await make_org()
    operator = (await accounts.create_operator("ops@socle.test", "operateur-secret-1"))
    op = await accounts.Operator.objects().where(accounts.Operator.email == operator.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 1, 5), catalog)
    months = [f"2026-{n:02d}" for n in range(1, 7)]
    one_off = []
    for n in range(1, 7):
        async with db.write_transaction():
            order = await place_order(org.organisation_id, None, [OrderLineIn(label=f"Codes {n}",
                                                                              unit_ht=Decimal("10"))])
        await Order.update({Order.created_at: datetime(2026, n, 15, tzinfo=UTC)}).where(Order.id == order.id)
        one_off.append(order.id)
    activation = direct.apply(app.state.plugins, catalog, op, org.organisation_id,
                              direct.DirectChange(org.office_id, "beta", True, "test"), "")
    await asyncio.gather(*[billing.run(catalog, m) for m in months * 2],
                         *[invoicing.invoice_order(catalog, o) for o in one_off * 2], activation)
    invoices = await Invoice.objects().where(Invoice.organisation == org.organisation_id)
    assert sorted(i.number for i in invoices) == list(range(1, 14))
    assert sorted(i.slot for i in invoices if i.kind == "monthly") == months
    assert len([i for i in invoices if i.kind == "order"]) == 7
    assert {i.order for i in invoices if i.kind == "order"} >= set(one_off)


async def test_owner_sees_invoices_and_downloads_the_pdf(app, client, make_org, add_member):
    import io

    from pypdf import PdfReader

    from core.testing.fixtures import login

    catalog = _catalog()
    org = await make_org("Auto-école des Tilleuls")
    other = await make_org("Autre", "autre@socle.test")
    new = await accounts.create_operator("ops@socle.test", "operateur-secret-1")
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 10, 10), catalog)
    [invoice_id] = await billing.run(catalog, "2026-10")
    await login(client, org.owner_email)
    page = await client.get("/config/factures")
    assert page.status_code == 200 and "Télécharger la facture n° 1" in page.text
    pdf = await client.get(f"/config/factures/{invoice_id}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Facture n° 1" in text and "Alpha" in text and "22/31" in text
    client.cookies.clear()
    await login(client, other.owner_email)
    assert (await client.get(f"/config/factures/{invoice_id}/pdf")).status_code == 404
    _, admin = await add_member(org, "admin")
    client.cookies.clear()
    await login(client, admin)
    assert (await client.get("/config/factures")).status_code == 403
