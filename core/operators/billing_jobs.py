"""The operator side's background work, registered in every app's and `socle worker`'s registry
(core.plugins.jobs): the monthly billing and the trials' expiry as periodic jobs, the invoices' and credit
notes' PDFs as jobs.

The billing job bills the previous month once (a month with a `BillingRun` is skipped; `socle billing run`
reruns one, which is idempotent). The trial job disables the modules whose trial ended, through the order path.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from core import db
from core.documents.services import delete, store
from core.documents.storage import Storage, storage_for
from core.jobs import JobContext, PermanentFailure, Registry
from core.modules.catalog import Catalog
from core.operators import billing, credit_notes, direct
from core.operators.tables import BillingRun, CreditNote, Invoice
from core.plugins.manager import PluginManager

log = logging.getLogger("socle.operators")
BILLING_EVERY_SECONDS = 3600  # hourly: the previous month is billed within the hour after midnight on the 1st
TRIALS_EVERY_SECONDS = 3600


async def bill_previous_month(catalog: Catalog, today: date | None = None) -> int | None:
    """Bill the month before `today` unless already billed; the number of invoices created, or None."""
    month = billing.previous_month(today or datetime.now(UTC).date())
    if await BillingRun.exists().where(BillingRun.month == month):
        return None
    created, seconds = await billing.run_month(catalog, month)
    log.info("facturation %s : %d factures en %.1f s", month, len(created), seconds)
    return len(created)


async def render_invoice_pdf(invoice_id: int, storage: Storage | None = None) -> int:
    """Render an invoice's PDF once and keep it as a core document; returns the document's id."""
    invoice = await Invoice.objects().where(Invoice.id == invoice_id).first()
    if invoice is None:
        raise PermanentFailure(f"facture {invoice_id} introuvable")
    if invoice.document:
        return int(invoice.document)
    _, pdf = await billing.invoice_pdf(int(invoice.organisation), invoice.id)
    return await _keep_once(Invoice, invoice, "facture", f"Facture n° {invoice.number} ({invoice.month})",
                            f"facture-{invoice.number}.pdf", pdf, storage)


async def render_credit_note_pdf(credit_note_id: int, storage: Storage | None = None) -> int:
    """Render a credit note's PDF once and keep it as a core document (ten years); returns its id."""
    note = await CreditNote.objects().where(CreditNote.id == credit_note_id).first()
    if note is None:
        raise PermanentFailure(f"avoir {credit_note_id} introuvable")
    if note.document:
        return int(note.document)
    _, pdf = await credit_notes.credit_note_pdf(int(note.organisation), note.id)
    return await _keep_once(CreditNote, note, "avoir", f"Avoir n° {note.number} ({note.month})",
                            f"avoir-{note.number}.pdf", pdf, storage)


async def _keep_once(table: type[Invoice] | type[CreditNote], row: Invoice | CreditNote, kind: str, title: str,
                     filename: str, pdf: bytes, storage: Storage | None) -> int:
    """Store the PDF (kept ten years) and attach it to `row` unless another worker attached one first: then
    ours is a duplicate, deleted, and theirs is the answer."""
    organisation_id = int(row.organisation)
    today = datetime.now(UTC).date()
    info = await store(organisation_id=organisation_id, module="core", kind=kind, title=title, filename=filename,
                       content=pdf, content_type="application/pdf",
                       keep_until=today.replace(year=today.year + billing.KEEP_YEARS), storage=storage)
    async with db.write_transaction():
        moved = await table.update({table.document: info.id}).where(
            (table.id == row.id) & table.document.is_null()).returning(table.id)
    if not moved:
        await delete(organisation_id, info.id, storage)
        kept = await table.select(table.document).where(table.id == row.id).first()
        return int(kept["document"]) if kept else 0
    return info.id


def register(registry: Registry, manager: PluginManager) -> None:
    async def billing_job(context: JobContext) -> None:
        await bill_previous_month(Catalog.of(manager))

    async def trials_job(context: JobContext) -> None:
        expired = await direct.expire_trials(manager, Catalog.of(manager))
        if expired:
            log.info("essais terminés : %d modules désactivés", expired)

    async def pdf_job(context: JobContext) -> None:
        await render_invoice_pdf(int(context.payload["invoice_id"]), storage_for(context.settings))

    registry.register_periodic("core.operators.billing", BILLING_EVERY_SECONDS, billing_job)
    registry.register_periodic("core.operators.trials", TRIALS_EVERY_SECONDS, trials_job)
    async def credit_note_job(context: JobContext) -> None:
        await render_credit_note_pdf(int(context.payload["credit_note_id"]), storage_for(context.settings))

    registry.register_job(billing.PDF_JOB, pdf_job)
    registry.register_job(credit_notes.PDF_JOB, credit_note_job)
