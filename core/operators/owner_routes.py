"""The owner's side of billing: « Mes factures » in « Ma configuration », each invoice as a PDF."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get
from litestar.params import FromPath
from litestar.response import Response, Template

from core.auth.guards import CurrentActor, require_role
from core.commerce.money import format_eur
from core.documents.http import content_disposition
from core.operators import billing
from core.tenancy.roles import Role
from core.web.shell import render


@get("/factures")
async def invoices_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await render(request, actor, "operators/owner_invoices.html",
                        invoices=await billing.invoices(actor.organisation_id), eur=format_eur)


@get("/factures/{invoice_id:str}/pdf")
async def invoice_pdf(actor: CurrentActor, invoice_id: FromPath[str]) -> Response[bytes]:
    invoice, pdf = await billing.invoice_file(actor.organisation_id, invoice_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": content_disposition(f"facture-{invoice.number}.pdf")})


owner_pages = Router("/config", route_handlers=[invoices_page, invoice_pdf], guards=[require_role(Role.owner)],
                     include_in_schema=False)
