"""The monthly PDF invoice of a centre's statement. The current month's is provisional (rendered on each
download: the month still grows); a closed month's is rendered once, stored as a core document kept 10 years
(French accounting records) and served as stored ever after, so the invoice the centre received never changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin_api import Role, data, documents, render_pdf, write_transaction
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import rules, statements
from plugins.formation_cqc.tables import Invoice

KEEP_YEARS = 10


async def _render(office: Any, month: date, today: date, provisional: bool) -> bytes:
    statement = await statements.monthly(office.id, month)
    context = statements.invoice_context(statement, office.id, office.name,
                                         await platform().service_contract(office.id), today)
    if provisional:
        context["title"] += " (provisoire : mois en cours)"
    return await render_pdf(statements.INVOICE_TEMPLATE, context, await data.organisation(office.organisation))


async def _stored(actor: Any, office_id: int, month: date) -> bytes | None:
    row = await Invoice.select(Invoice.document).where((Invoice.office == office_id) & (Invoice.month == month)).first()
    if row is None:
        return None
    _, content = await documents.read_for_staff(actor, row["document"], lambda _: Role.basic)
    return content


async def pdf(actor: Any, office: Any, month: date, today: date) -> bytes:
    """The invoice's bytes for `month` (its first day)."""
    if month >= today.replace(day=1):
        return await _render(office, month, today, provisional=True)
    stored = await _stored(actor, office.id, month)
    if stored is not None:
        return stored
    content = await _render(office, month, today, provisional=False)
    async with write_transaction():
        await data.lock(f"formation_cqc:invoice:{office.id}:{month.isoformat()}")
        if await Invoice.exists().where((Invoice.office == office.id) & (Invoice.month == month)):
            return await _stored(actor, office.id, month) or content  # a concurrent download stored it first
        info = await platform().store_document(
            organisation_id=office.organisation, office_id=office.id, kind="cqc_facture",
            title=f"Facture CQC {month:%m/%Y}", filename=f"facture-cqc-{month:%Y-%m}.pdf", content=content,
            content_type="application/pdf", keep_until=rules.add_months(month, 12 * KEEP_YEARS + 1),
            person_ref=f"facture:{month:%Y-%m}")
        await Invoice.insert(Invoice(organisation=office.organisation, office=office.id, month=month,
                                     document=info.id)).run()
    return content
