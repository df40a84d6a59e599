"""The owner's side: « Mes factures » in « Ma configuration » (each invoice and credit note as a PDF), and the
consent to the operator's « voir comme » (/config/operateur)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from core.auth.guards import CurrentActor, require_role
from core.auth.routes import client_ip
from core.commerce.money import format_eur
from core.documents.http import content_disposition
from core.errors import SocleError
from core.operators import billing, credit_notes, view_as
from core.operators.orders import INVOICE_STATUSES
from core.tenancy.roles import Role
from core.web.shell import render


@get("/factures")
async def invoices_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await render(request, actor, "operators/owner_invoices.html",
                        invoices=await billing.invoices(actor.organisation_id),
                        credit_notes=await credit_notes.listing(actor.organisation_id), eur=format_eur,
                        statuses=INVOICE_STATUSES)


@get("/factures/{invoice_id:str}/pdf")
async def invoice_pdf(actor: CurrentActor, invoice_id: FromPath[str]) -> Response[bytes]:
    invoice, pdf = await billing.invoice_file(actor.organisation_id, invoice_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": content_disposition(f"facture-{invoice.number}.pdf")})


@get("/avoirs/{credit_note_id:str}/pdf")
async def credit_note_pdf(actor: CurrentActor, credit_note_id: FromPath[str]) -> Response[bytes]:
    note, pdf = await credit_notes.credit_note_file(actor.organisation_id, credit_note_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": content_disposition(f"avoir-{note.number}.pdf")})


Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


async def _consent_page(request: Request[Any, Any, Any], actor: CurrentActor, status_code: int = 200,
                        errors: dict[str, str] | None = None) -> Template:
    return await render(request, actor, "operators/owner_consent.html", status_code=status_code,
                        consent=await view_as.running_consent(actor.organisation_id), durations=view_as.DURATIONS,
                        errors=errors or {})


@get("/operateur")
async def consent_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await _consent_page(request, actor)


@post("/operateur")
async def grant_consent(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Template | Redirect:
    try:
        await view_as.grant(actor, data.get("hours", ""), client_ip(request))
    except SocleError as error:
        return await _consent_page(request, actor, 422, {e.field: e.message for e in error.errors})
    flash(request, "Accord enregistré : l'opérateur peut consulter vos pages en lecture seule.", category="success")
    return Redirect("/config/operateur")


@post("/operateur/retrait")
async def revoke_consent(request: Request[Any, Any, Any], actor: CurrentActor) -> Redirect:
    await view_as.revoke(actor, client_ip(request))
    flash(request, "Accord retiré.", category="success")
    return Redirect("/config/operateur")


owner_pages = Router("/config", route_handlers=[invoices_page, invoice_pdf, credit_note_pdf, consent_page,
                                                grant_consent, revoke_consent], guards=[require_role(Role.owner)],
                     include_in_schema=False)
