"""Credit notes (« avoirs »): how an issued invoice is cancelled.

French invoicing rules forbid deleting or editing an issued invoice; cancelling one issues a credit note in
the same transaction: its own gap-free number per organisation (the counter's `last_credit_number`), the
invoice's amounts negated, a reference to the invoice, its PDF rendered by a job and kept as a core document
(ten years), a line in the accountant's CSV. The invoice keeps its number and becomes « annulée »; it no
longer holds its slot, so the month (or the order) may be billed again: the next monthly run bills it again
if the module was active (see `core.operators.billing.run`), unless the operator also cancels the order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core import db, jobs
from core.documents import render_pdf
from core.errors import NotFound
from core.operators import billing
from core.operators.tables import CreditNote, Invoice, InvoiceLine, Operator
from core.tenancy.tables import Organisation

PDF_JOB = "core.operators.credit_note_pdf"


async def issue(operator: Operator | None, invoice: Invoice, reason: str = "") -> CreditNote:
    """The credit note cancelling `invoice` (call inside the cancellation's write transaction, the
    organisation's row locked)."""
    number = await billing.next_number(int(invoice.organisation), credit=True)
    note = CreditNote(organisation=invoice.organisation, number=number, invoice=invoice.id, month=invoice.month,
                      total_ht=-Decimal(str(invoice.total_ht)), total_tva=-Decimal(str(invoice.total_tva)),
                      total_ttc=-Decimal(str(invoice.total_ttc)), reason=reason.strip(),
                      operator=operator.id if operator else None)
    await note.save()
    await jobs.schedule(PDF_JOB, {"credit_note_id": note.id}, key=f"credit-note-pdf:{note.id}",
                        organisation_id=int(invoice.organisation))
    return note


async def listing(organisation_id: int | None = None, month: str = "") -> list[dict[str, Any]]:
    """Credit notes by organisation and number, with the cancelled invoice's number and date."""
    where, args = ["1 = 1"], []
    if organisation_id is not None:
        where.append("c.organisation = {}")
        args.append(organisation_id)
    if month:
        where.append("c.month = {}")
        args.append(month)
    return billing.money_rows(await db.fetch(
        "SELECT c.id, c.organisation, c.number, c.month, c.total_ht, c.total_tva, c.total_ttc, c.reason, "
        "c.created_at, c.document, i.id AS invoice_id, i.number AS invoice_number, i.created_at AS invoice_date, "
        "g.name AS organisation_name FROM core_operator_credit_note c "
        "JOIN core_operator_invoice i ON i.id = c.invoice JOIN core_organisation g ON g.id = c.organisation "
        f"WHERE {' AND '.join(where)} ORDER BY c.organisation, c.number", *args))


async def _own(organisation_id: int | None, credit_note_id: object) -> CreditNote:
    try:
        wanted = int(str(credit_note_id))
    except ValueError:
        raise NotFound("Cet avoir n'existe pas.") from None
    query = CreditNote.objects().where(CreditNote.id == wanted)
    if organisation_id is not None:
        query = query.where(CreditNote.organisation == organisation_id)
    note = await query.first()
    if note is None:
        raise NotFound("Cet avoir n'existe pas.")
    return note


def _negated(value: object) -> str:
    return billing._comma(-Decimal(str(value)))


async def credit_note_pdf(organisation_id: int | None, credit_note_id: object) -> tuple[CreditNote, bytes]:
    """The credit note as a PDF (NotFound for another organisation's): the invoice's lines, negated."""
    note = await _own(organisation_id, credit_note_id)
    invoice = await Invoice.objects().where(Invoice.id == note.invoice).first()
    assert invoice is not None
    org = await Organisation.select(Organisation.name, Organisation.address).where(
        Organisation.id == note.organisation).first()
    lines = await InvoiceLine.select(InvoiceLine.label, InvoiceLine.ht, InvoiceLine.ttc).where(
        InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.id)
    context = {"title": f"Avoir n° {note.number}",
               "subtitle": f"Annule la facture n° {invoice.number} du {billing._french_date(invoice.created_at)} "
                           f"({'mois facturé ' + invoice.month if invoice.kind == 'monthly' else 'commande'})",
               "lines": [{"label": r["label"], "ht": _negated(r["ht"]), "ttc": _negated(r["ttc"])} for r in lines],
               "total_ht": billing._comma(note.total_ht), "total_tva": billing._comma(note.total_tva),
               "total_ttc": billing._comma(note.total_ttc),
               "note": f"Motif : {note.reason}" if note.reason else ""}
    return note, await render_pdf(billing.INVOICE_TEMPLATE, context, org or {"name": "", "address": ""})


async def credit_note_file(organisation_id: int | None, credit_note_id: object) -> tuple[CreditNote, bytes]:
    """The stored PDF (the core document its job rendered), else rendered now."""
    from core.documents.storage import bound_storage
    from core.documents.tables import Document

    note = await _own(organisation_id, credit_note_id)
    if note.document:
        row = await Document.select(Document.storage_key).where(
            (Document.id == note.document) & (Document.organisation == note.organisation)).first()
        if row is not None:
            return note, await bound_storage().get(row["storage_key"])
    return await credit_note_pdf(organisation_id, note.id)
