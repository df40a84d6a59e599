"""Cancelling an issued invoice issues a credit note (« avoir »): its own gap-free number, the invoice's amounts
negated, a PDF (a job, kept as a core document), a CSV line; the operator and the owner see it; the cancelled month
is billed again by the next run (once)."""

import asyncio
import io
from datetime import date
from decimal import Decimal

import pyotp
from pypdf import PdfReader

from core.auth.tables import AuditEntry
from core.documents.storage import storage_for
from core.documents.tables import Document
from core.jobs.tables import OutboxMessage
from core.operators import accounts, billing, billing_jobs, credit_notes, orders
from core.operators.tables import CreditNote, Invoice
from core.testing.fixtures import csrf_token, login
from tests.core.operators.test_billing import _catalog, _change
from tests.core.operators.test_operators import OP_PASSWORD, _op_login


async def _billed(app, client, make_org):
    catalog = _catalog()
    org = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    other = await make_org("Mairie de Brive", "maire@brive.test")
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 10, 10), catalog)
    [invoice_id] = await billing.run(catalog, "2026-10")
    return catalog, org, other, new, op, invoice_id


def _pdf_text(content: bytes) -> str:
    return PdfReader(io.BytesIO(content)).pages[0].extract_text()


async def test_console_cancellation_issues_a_credit_note_and_the_month_is_billed_again(app, client, make_org,
                                                                                        settings):
    catalog, org, other, new, _, invoice_id = await _billed(app, client, make_org)
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    token = await csrf_token(client, "/operateur/factures")
    done = await client.post(f"/operateur/factures/{invoice_id}/statut", follow_redirects=False,
                             data={"status": "cancelled", "reason": "Tarif erroné", "_csrf_token": token})
    assert done.status_code in (302, 303)
    page = await client.get("/operateur/factures")
    assert "avoir n° 1 émis" in page.text  # the flash
    assert "annulée par l'avoir n° 1" in page.text and "motif : Tarif erroné" in page.text
    assert "— 26,40\u00a0€ TTC" in page.text and "— -26,40\u00a0€ TTC" in page.text
    invoice = await Invoice.objects().where(Invoice.id == invoice_id).first()
    assert (invoice.number, invoice.status, invoice.slot) == (1, "cancelled", None)  # kept, never deleted
    [note] = await CreditNote.objects().where(CreditNote.organisation == org.organisation_id)
    assert (note.number, note.invoice, note.month) == (1, invoice_id, "2026-10")
    assert [Decimal(str(v)) for v in (note.total_ht, note.total_tva, note.total_ttc)] == [
        Decimal("-22.00"), Decimal("-4.40"), Decimal("-26.40")]
    entry = await AuditEntry.objects().where(AuditEntry.action == "invoice.cancelled").first()
    assert "avoir n° 1" in entry.summary and entry.organisation == org.organisation_id

    pdf = await client.get(f"/operateur/avoirs/{note.id}/pdf")
    text = _pdf_text(pdf.content)
    assert "Avoir n° 1" in text and "Annule la facture n° 1" in text and "-26,40" in text and "Tarif erroné" in text
    csv = (await client.get("/operateur/factures.csv", params={"month": "2026-10"})).text
    assert "Auto-école des Tilleuls;1;2026-10;cancelled;22,00;4,40;26,40;facture;" in csv
    assert "Auto-école des Tilleuls;1;2026-10;emis;-22,00;-4,40;-26,40;avoir;" in csv and ";facture 1" in csv
    again = await client.post(f"/operateur/factures/{invoice_id}/statut",
                              data={"status": "cancelled", "_csrf_token": token})
    assert again.status_code == 422 and "déjà « annulée »" in again.text
    assert await CreditNote.count() == 1

    # The PDF is a job, kept as a core document; the owner sees and downloads it, another owner gets 404.
    # (The job is run directly: the outbox would also run the periodic billing, with the app's own catalogue.)
    queued = await OutboxMessage.objects().where(OutboxMessage.idempotency_key == f"credit-note-pdf:{note.id}").first()
    assert queued is not None and queued.organisation == org.organisation_id
    assert "job:" + credit_notes.PDF_JOB in app.state.jobs.handlers
    document_id = await billing_jobs.render_credit_note_pdf(note.id, storage_for(settings))
    note = await CreditNote.objects().where(CreditNote.id == note.id).first()
    document = await Document.objects().where(Document.id == note.document).first()
    assert document.id == document_id and document.kind == "avoir" and document.organisation == org.organisation_id
    assert document.keep_until.year == date.today().year + 10
    assert await billing_jobs.render_credit_note_pdf(note.id) == document.id  # rendered once
    client.cookies.clear()
    await login(client, org.owner_email)
    mine = await client.get("/config/factures")
    assert "Télécharger l'avoir n° 1" in mine.text and "Facture n° 1 (2026-10)" in mine.text
    assert "Annulée (avoir n° 1)" in mine.text
    stored = await client.get(f"/config/avoirs/{note.id}/pdf")
    assert stored.status_code == 200 and stored.content.startswith(b"%PDF") and "Avoir n° 1" in _pdf_text(
        stored.content)
    client.cookies.clear()
    await login(client, other.owner_email)
    assert (await client.get(f"/config/avoirs/{note.id}/pdf")).status_code == 404
    assert "Télécharger l'avoir" not in (await client.get("/config/factures")).text

    # The next monthly run bills October again (the module was active), once, with the next number.
    created = await billing.run(catalog, "2026-11")
    rebilled = await Invoice.objects().where(Invoice.id.is_in(created)).order_by(Invoice.number)
    assert [(i.number, i.month, i.status) for i in rebilled] == [(2, "2026-11", "to_pay"), (3, "2026-10", "to_pay")]
    assert await billing.run(catalog, "2026-11") == []
    assert await billing.run(catalog, "2026-10") == []


async def test_a_paid_invoice_is_credited_and_its_credit_note_says_it_is_to_be_refunded(app, client, make_org):
    """French invoicing: a paid invoice is corrected by a credit note too (it was refused as « déjà payée »)."""
    catalog, org, _, new, _, invoice_id = await _billed(app, client, make_org)
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    token = await csrf_token(client, "/operateur/factures")
    paid = await client.post(f"/operateur/factures/{invoice_id}/statut", follow_redirects=False,
                             data={"status": "paid", "_csrf_token": token})
    assert paid.status_code in (302, 303)
    page = await client.get("/operateur/factures")
    assert "Annulée (avoir, à rembourser)" in page.text  # the paid invoice still offers its cancellation
    done = await client.post(f"/operateur/factures/{invoice_id}/statut", follow_redirects=False,
                             data={"status": "cancelled", "reason": "Module jamais utilisé", "_csrf_token": token})
    assert done.status_code in (302, 303), done.text
    page = await client.get("/operateur/factures")
    assert "avoir n° 1 émis. Elle était réglée : remboursez 26,40\u00a0€ TTC à l&#39;organisation." in page.text
    [note] = await CreditNote.objects().where(CreditNote.organisation == org.organisation_id)
    assert note.reason == "Module jamais utilisé — Facture déjà réglée : montant à rembourser"
    assert Decimal(str(note.total_ttc)) == Decimal("-26.40")
    assert (await Invoice.objects().where(Invoice.id == invoice_id).first()).status == "cancelled"
    text = _pdf_text((await client.get(f"/operateur/avoirs/{note.id}/pdf")).content)
    assert "Annule la facture n° 1" in text and "montant à rembourser" in text
    again = await client.post(f"/operateur/factures/{invoice_id}/statut",
                              data={"status": "cancelled", "_csrf_token": token})
    assert again.status_code == 422 and "déjà « annulée »" in again.text
    assert "Payée</strong>" not in (await client.get("/operateur/commandes")).text  # its order: to invoice again
    assert await billing.run(catalog, "2026-11")  # and billed again by the next run (unless cancelled)


async def test_operator_api_cancellation_and_listings(app, client, make_org):
    catalog, org, _, new, _, invoice_id = await _billed(app, client, make_org)
    got = await client.post("/api/v1/operateur/token", json={"email": new.email, "password": OP_PASSWORD,
                                                             "code": pyotp.TOTP(new.secret).now()})
    operator = {"Authorization": f"Bearer {got.json()['token']}"}
    done = await client.post(f"/api/v1/operateur/factures/{invoice_id}/statut", headers=operator,
                             json={"status": "cancelled", "reason": "Erreur de bureau"})
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "cancelled" and body["credit_note_number"] == 1 and body["credit_note_id"]
    notes = (await client.get("/api/v1/operateur/avoirs", headers=operator)).json()
    assert [(n["number"], n["invoice_number"], n["total_ttc"], n["reason"]) for n in notes] == [
        (1, 1, "-26.40", "Erreur de bureau")]
    invoices = (await client.get("/api/v1/operateur/factures", headers=operator, params={"month": "2026-10"})).json()
    assert [(i["number"], i["kind"], i["status"], i["credit_note_number"]) for i in invoices] == [
        (1, "monthly", "cancelled", 1)]
    bad = await client.get("/api/v1/operateur/avoirs", headers=operator, params={"month": "octobre"})
    assert bad.status_code == 422 and "month" in bad.text
    assert (await client.get("/api/v1/operateur/avoirs")).status_code == 401
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/operateur/avoirs" in schema["paths"] and "/api/v1/operateur/factures" in schema["paths"]

    # A one-off invoice cancelled: its order is invoiced again by the next run, unless the order is cancelled.
    from core.operators import direct

    order = await direct.apply(app.state.plugins, catalog, await accounts.Operator.objects().first(),
                               org.organisation_id, direct.DirectChange(org.office_id, "beta", True, "test"), "")
    one_off = await Invoice.objects().where(Invoice.order == order.id).first()
    cancelled = await client.post(f"/api/v1/operateur/factures/{one_off.id}/statut", headers=operator,
                                  json={"status": "cancelled"})
    assert cancelled.json()["credit_note_number"] == 2  # gap-free per organisation
    await client.post(f"/api/v1/operateur/commandes/{order.id}/annulation", headers=operator,
                      json={"reason": "Module offert"})
    assert not [i for i in await Invoice.objects().where(Invoice.id.is_in(await billing.run(catalog, "2099-01")))
                if i.kind == "order"]


async def test_credit_note_numbers_without_gaps_under_concurrency(app, make_org):
    catalog = _catalog()
    org = await make_org()
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 1, 5), catalog)
    invoice_ids = await billing.run(catalog, "2026-04")  # January to March are not billed by April's run
    invoice_ids += [i for m in ("2026-01", "2026-02", "2026-03") for i in await billing.run(catalog, m)]
    assert len(invoice_ids) == 4
    results = await asyncio.gather(*[orders.set_invoice_status(op, i, "cancelled") for i in invoice_ids],
                                   return_exceptions=True)
    assert not [r for r in results if isinstance(r, Exception)]
    numbers = sorted(n.number for n in await CreditNote.objects().where(CreditNote.organisation == org.organisation_id))
    assert numbers == [1, 2, 3, 4]


async def test_upgrade_backfills_credit_notes(app, make_org):
    """The migration gives an invoice cancelled before credit notes existed its credit note, and the counter
    continues after it."""
    import importlib

    from core import db

    migration = importlib.import_module(
        "core.operators.piccolo_migrations.core_operators_2026_12_02t04_05_16_000000")
    catalog = _catalog()
    org = await make_org()
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 1, 5), catalog)
    old = (await billing.run(catalog, "2026-01"))[0]
    newer = (await billing.run(catalog, "2026-02"))[0]
    await Invoice.update({Invoice.status: "cancelled", Invoice.slot: None}).where(Invoice.id == old)  # as before
    async with db.write_transaction():
        for statement in migration.BACKFILL:
            await db.engine().run_ddl(statement)
    [note] = await CreditNote.objects()
    assert (note.number, note.invoice, note.month) == (1, old, "2026-01")
    assert Decimal(str(note.total_ttc)) == Decimal("-32.40")  # 27/31 days of 31 € + VAT
    _, second, _ = await orders.set_invoice_status(op, newer, "cancelled")
    assert second.number == 2
