"""The console's pages under /operateur/. Anyone who is not a logged-in operator gets 404 (the console does
not exist for organisation users and citizens); only the login page is open."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Body, FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from core import audit, db
from core.auth.routes import client_ip
from core.commerce.money import format_eur
from core.documents.http import content_disposition
from core.errors import NotFound, SocleError
from core.modules.routes import catalog_of
from core.operators import (
    accounts,
    billing,
    catalogue,
    console,
    credit_notes,
    direct,
    export,
    invoicing,
    orders,
    suspension,
    view_as,
)
from core.operators.api import api as operator_api
from core.operators.owner_routes import owner_pages
from core.operators.tables import Operator

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
SESSION_KEY = accounts.SESSION_KEY


async def current_operator(connection: ASGIConnection[Any, Any, Any, Any]) -> Operator | None:
    if "socle_operator" in connection.scope:
        return connection.scope["socle_operator"]  # type: ignore[typeddict-item]
    session = connection.scope.get("session") or {}
    key = str(session.get(SESSION_KEY) or "") if isinstance(session, dict) else ""
    operator = await accounts.operator_for_session(key)
    connection.scope["socle_operator"] = operator  # type: ignore[typeddict-unknown-key]
    return operator


async def operator_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if await current_operator(connection) is None:
        raise NotFound()


@get("/connexion")
async def login_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    if await current_operator(request):
        return Redirect("/operateur/")
    return Template("operators/login.html", context={"email": ""})


@post("/connexion")
async def login(request: Request[Any, Any, Any], data: Form) -> Template | Redirect:
    email = data.get("email", "")
    try:
        operator = await accounts.authenticate(email, data.get("password", ""), data.get("code", ""),
                                               client_ip(request))
    except SocleError as error:
        return Template("operators/login.html", status_code=error.status_code,
                        context={"error": error.message, "email": email})
    key = await accounts.open_session(operator.id)
    await view_as.end(str(request.session.get(view_as.SESSION_KEY) or ""), client_ip(request))
    request.session.clear()  # an organisation session in this browser ends: one identity per browser
    request.session[SESSION_KEY] = key
    return Redirect("/operateur/")


@post("/deconnexion", guards=[operator_only])
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    await view_as.end(str(request.session.pop(view_as.SESSION_KEY, "") or ""), client_ip(request))
    await accounts.close_session(str(request.session.pop(SESSION_KEY, "") or ""))
    return Redirect("/operateur/connexion")


@post("/organisations/{org_id:int}/voir-comme", guards=[operator_only])
async def view_start(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template | Redirect:
    await console.detail(org_id)
    operator = await current_operator(request)
    assert operator is not None
    try:
        key = await view_as.start(operator, org_id, client_ip(request))
    except SocleError as error:
        return await _detail(request, org_id, error.status_code, {"view": error.message})
    await view_as.end(str(request.session.get(view_as.SESSION_KEY) or ""), client_ip(request))
    request.session[view_as.SESSION_KEY] = key
    return Redirect("/dashboard")


@post("/voir-comme/fin", guards=[operator_only])
async def view_end(request: Request[Any, Any, Any]) -> Redirect:
    organisation_id = await view_as.end(str(request.session.pop(view_as.SESSION_KEY, "") or ""),
                                        client_ip(request))
    flash(request, "Consultation terminée.", category="success")
    return Redirect(f"/operateur/organisations/{organisation_id}" if organisation_id else "/operateur/")


@get("/", guards=[operator_only])
async def organisations(request: Request[Any, Any, Any], q: FromQuery[str] = "", module: FromQuery[str] = "",
                        kind: FromQuery[str] = "", status: FromQuery[str] = "") -> Template:
    rows = await console.organisations(q, module, kind, status)
    return Template("operators/organisations.html", context={
        "operator": await current_operator(request), "rows": rows, "q": q, "module": module, "kind": kind,
        "status": status, "kinds": console.KINDS, "statuses": console.STATUSES, "catalog": catalog_of(request).all()})


@post("/organisations/{org_id:int}/type", guards=[operator_only])
async def set_kind(request: Request[Any, Any, Any], org_id: FromPath[int], data: Form) -> Template | Redirect:
    await console.detail(org_id)
    operator = await current_operator(request)
    assert operator is not None
    try:
        await console.set_kind(operator, org_id, data.get("kind", ""), client_ip(request))
    except SocleError as error:
        return await _detail(request, org_id, 422, {e.field: e.message for e in error.errors}, data)
    flash(request, "Type d'organisation enregistré.", category="success")
    return Redirect(f"/operateur/organisations/{org_id}")


async def _detail(request: Request[Any, Any, Any], org_id: int, status: int = 200,
                  errors: dict[str, str] | None = None, form: dict[str, str] | None = None) -> Template:
    info = await console.detail(org_id)
    return Template("operators/organisation.html", status_code=status, context={
        **info, "operator": await current_operator(request), "catalog": catalog_of(request).all(),
        "prices": await catalogue.prices(org_id), "suspended": await suspension.is_suspended(org_id),
        "requests": await catalogue.pending_requests(org_id), "consent": await view_as.running_consent(org_id),
        "errors": errors or {}, "form": form or {}})


@get("/organisations/{org_id:int}", guards=[operator_only])
async def organisation(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Template:
    return await _detail(request, org_id)


@post("/organisations/{org_id:int}/modules", guards=[operator_only])
async def change_module(request: Request[Any, Any, Any], org_id: FromPath[int], data: Form) -> Template | Redirect:
    await console.detail(org_id)  # 404 before reading the form
    operator = await current_operator(request)
    assert operator is not None
    errors: dict[str, str] = {}
    trial_end = None
    if data.get("trial_end"):
        try:
            trial_end = date.fromisoformat(data["trial_end"])
        except ValueError:
            errors["trial_end"] = "Date invalide (format AAAA-MM-JJ)."
    if not errors:
        change = direct.DirectChange(data.get("office_id", ""), data.get("module", ""),
                                     data.get("action", "activate") != "deactivate", data.get("reason", ""),
                                     data.get("free") == "on", trial_end)
        try:
            order = await direct.apply(request.app.state.plugins, catalog_of(request), operator, org_id, change,
                                       request.app.state.settings.base_url)
        except SocleError as error:
            errors = {e.field: e.message for e in error.errors} or {"module": error.message}
        else:
            flash(request, f"Changement enregistré (commande n° {order.number}).", category="success")
            return Redirect(f"/operateur/organisations/{org_id}")
    return await _detail(request, org_id, 422, errors, data)


@post("/organisations/{org_id:int}/prix", guards=[operator_only])
async def set_price(request: Request[Any, Any, Any], org_id: FromPath[int], data: Form) -> Template | Redirect:
    await console.detail(org_id)
    operator = await current_operator(request)
    assert operator is not None
    if data.get("module", "") not in catalog_of(request).modules:
        return await _detail(request, org_id, 422, {"price_module": "Ce module n'existe pas."}, data)
    try:
        await catalogue.set_price(operator, org_id, data["module"], data.get("price_ht", ""))
    except SocleError as error:
        return await _detail(request, org_id, 422, {e.field: e.message for e in error.errors}, data)
    flash(request, "Prix enregistré.", category="success")
    return Redirect(f"/operateur/organisations/{org_id}")


@post("/organisations/{org_id:int}/demandes", guards=[operator_only])
async def decide_request(request: Request[Any, Any, Any], org_id: FromPath[int], data: Form) -> Redirect:
    await console.detail(org_id)
    operator = await current_operator(request)
    assert operator is not None
    await catalogue.decide(operator, org_id, data.get("request_id", ""), data.get("decision") == "approve")
    flash(request, "Décision enregistrée.", category="success")
    return Redirect(f"/operateur/organisations/{org_id}")


@get("/catalogue", guards=[operator_only])
async def catalogue_page(request: Request[Any, Any, Any]) -> Template:
    return Template("operators/catalogue.html", context={
        "operator": await current_operator(request), "catalog": catalog_of(request).all(),
        "rules": await catalogue.rules(), "choices": catalogue.RULES})


@post("/catalogue", guards=[operator_only])
async def set_rule(request: Request[Any, Any, Any], data: Form) -> Redirect:
    operator = await current_operator(request)
    assert operator is not None
    if data.get("module", "") not in catalog_of(request).modules:
        raise NotFound("Ce module n'existe pas.")
    await catalogue.set_rule(operator, data["module"], data.get("rule", ""))
    flash(request, "Règle du catalogue enregistrée.", category="success")
    return Redirect("/operateur/catalogue")


@post("/organisations/{org_id:int}/suspension", guards=[operator_only])
async def suspend(request: Request[Any, Any, Any], org_id: FromPath[int], data: Form) -> Template | Redirect:
    await console.detail(org_id)
    operator = await current_operator(request)
    assert operator is not None
    if data.get("action") == "unsuspend":
        await suspension.unsuspend(operator, org_id)
        flash(request, "Suspension levée : l'organisation retrouve tous ses accès.", category="success")
    else:
        if not data.get("reason", "").strip():
            return await _detail(request, org_id, 422, {"suspend_reason": "Indiquez la raison de la suspension."},
                                 data)
        await suspension.suspend(operator, org_id, data["reason"])
        flash(request, "Organisation suspendue.", category="success")
    return Redirect(f"/operateur/organisations/{org_id}")


@get("/organisations/{org_id:int}/export", guards=[operator_only])
async def export_archive(request: Request[Any, Any, Any], org_id: FromPath[int]) -> Response[bytes]:
    info = await console.detail(org_id)
    operator = await current_operator(request)
    assert operator is not None
    content = await export.archive(org_id, db.all_tables(db.app_configs(request.app.state.plugins.app_modules())))
    await audit.record("organisation.exported", organisation_id=org_id, ip=client_ip(request),
                       summary=f"Export des données par {operator.email}")
    name = f"export-{info['organisation']['slug']}.zip"
    return Response(content, media_type="application/zip", headers={"Content-Disposition": content_disposition(name)})


async def _invoices(request: Request[Any, Any, Any], month: str = "", status: str = "", code: int = 200,
                    errors: dict[str, str] | None = None) -> Template:
    if month:
        try:
            billing.month_bounds(month)
        except SocleError as error:
            errors, month, code = {"filter_month": error.message}, "", 422
    return Template("operators/invoices.html", status_code=code, context={
        "operator": await current_operator(request), "invoices": await billing.invoices(None, month, status),
        "credit_notes": await credit_notes.listing(None, month), "month": month, "status": status, "eur": format_eur,
        "statuses": orders.INVOICE_STATUSES, "errors": errors or {}})


@get("/factures", guards=[operator_only])
async def invoices_page(request: Request[Any, Any, Any], month: FromQuery[str] = "",
                        status: FromQuery[str] = "") -> Template:
    return await _invoices(request, month, status)


@post("/factures/{invoice_id:int}/statut", guards=[operator_only])
async def invoice_status(request: Request[Any, Any, Any], invoice_id: FromPath[int], data: Form) -> Template | Redirect:
    operator = await current_operator(request)
    assert operator is not None
    try:
        change = await orders.set_invoice_status(operator, invoice_id, data.get("status", ""), client_ip(request),
                                                 data.get("reason", ""))
    except NotFound:
        raise
    except SocleError as error:
        return await _invoices(request, code=422, errors={f"status-{invoice_id}": error.message})
    flash(request, orders.status_message(change), category="success")
    return Redirect("/operateur/factures")


@get("/factures/{invoice_id:int}/pdf", guards=[operator_only])
async def invoice_pdf(invoice_id: FromPath[int]) -> Response[bytes]:
    invoice, pdf = await billing.invoice_file(None, invoice_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": content_disposition(f"facture-{invoice.number}.pdf")})


@get("/avoirs/{credit_note_id:int}/pdf", guards=[operator_only])
async def credit_note_pdf(credit_note_id: FromPath[int]) -> Response[bytes]:
    note, pdf = await credit_notes.credit_note_file(None, credit_note_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": content_disposition(f"avoir-{note.number}.pdf")})


async def _orders(request: Request[Any, Any, Any], q: str = "", status: str = "", month: str = "",
                  code: int = 200, errors: dict[str, str] | None = None) -> Template:
    errors = dict(errors or {})
    monthly = invoicing.monthly_modules(catalog_of(request))
    try:
        rows = await orders.orders(q, status, month, monthly=monthly)
    except SocleError as error:
        errors["month"], month, code = error.message, "", 422
        rows = await orders.orders(q, status, monthly=monthly)
    return Template("operators/orders.html", status_code=code, context={
        "operator": await current_operator(request), "rows": rows, "q": q, "status": status, "month": month,
        "statuses": orders.ORDER_STATUSES, "errors": errors})


@get("/commandes", guards=[operator_only])
async def orders_page(request: Request[Any, Any, Any], q: FromQuery[str] = "", status: FromQuery[str] = "",
                      month: FromQuery[str] = "") -> Template:
    return await _orders(request, q, status, month)


@post("/commandes/{order_id:int}/annulation", guards=[operator_only])
async def cancel_order(request: Request[Any, Any, Any], order_id: FromPath[int], data: Form) -> Template | Redirect:
    operator = await current_operator(request)
    assert operator is not None
    try:
        await orders.cancel_order(operator, order_id, data.get("reason", ""), client_ip(request))
    except NotFound:
        raise
    except SocleError as error:
        return await _orders(request, code=422, errors={f"reason-{order_id}": error.message})
    flash(request, "Commande annulée : elle ne sera pas facturée.", category="success")
    return Redirect("/operateur/commandes")


@post("/factures", guards=[operator_only])
async def run_billing(request: Request[Any, Any, Any], data: Form) -> Template | Redirect:
    month = data.get("month", "")
    try:
        created, _ = await billing.run_month(catalog_of(request), month)
    except SocleError as error:
        return await _invoices(request, code=422, errors={e.field: e.message for e in error.errors})
    flash(request, f"Facturation de {month} : {len(created)} facture(s) créée(s).", category="success")
    return Redirect(f"/operateur/factures?month={month}")


@get("/factures.csv", guards=[operator_only])
async def invoices_csv(month: FromQuery[str] = "") -> Response[str]:
    return Response(await billing.csv_export(month), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="factures-{month or "toutes"}.csv"'})


ROUTES = [Router("/operateur", route_handlers=[login_page, login, logout, organisations, organisation,
                                                change_module, set_price, decide_request, catalogue_page,
                                                set_rule, invoices_page, run_billing, invoices_csv, suspend,
                                                invoice_status, invoice_pdf, credit_note_pdf, orders_page,
                                                cancel_order, set_kind,
                                                view_start, view_end,
                                                export_archive],
                 include_in_schema=False), owner_pages, operator_api]
