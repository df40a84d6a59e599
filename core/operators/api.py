"""The operator API under /api/v1/operateur/, with operator tokens (`Authorization: Bearer`), in the OpenAPI."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import msgspec
from litestar import Request, Router, get, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromQuery, JSONBody

from core.auth.guards import _bearer_token
from core.auth.routes import client_ip
from core.commerce.money import quantize
from core.errors import NotAuthenticated
from core.modules.routes import catalog_of
from core.operators import accounts, billing, console, credit_notes, direct, invoicing, orders, totp
from core.operators.tables import Operator, OperatorToken
from core.web.params import PathId


class TokenIn(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    password: str
    code: str


class TokenOut(msgspec.Struct):
    token: str


class OrganisationOut(msgspec.Struct):
    id: int
    name: str
    slug: str
    offices: int
    members: int
    modules: list[str]
    kind: str = "autre"
    suspended: bool = False


class ActivityOut(msgspec.Struct):
    bookings_this_month: int
    messages_this_month: int
    storage_bytes: int


class KindIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: str


class OrderOut(msgspec.Struct):
    id: int
    organisation_id: int
    organisation_name: str
    number: int
    total_ttc: str
    status: str
    invoice_number: int | None


class CancelIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class InvoiceStatusIn(msgspec.Struct, forbid_unknown_fields=True):
    status: str
    reason: str = ""  # of a cancellation: printed on the credit note


class InvoiceStatusOut(msgspec.Struct):
    id: int
    number: int
    status: str
    credit_note_id: int | None = None  # the credit note (« avoir ») a cancellation issued
    credit_note_number: int | None = None


class InvoiceOut(msgspec.Struct):
    id: int
    organisation_id: int
    organisation_name: str
    number: int
    kind: str
    month: str
    status: str
    total_ht: str
    total_tva: str
    total_ttc: str
    order_number: int | None
    credit_note_number: int | None


class CreditNoteOut(msgspec.Struct):
    id: int
    organisation_id: int
    organisation_name: str
    number: int
    month: str
    invoice_id: int
    invoice_number: int
    total_ht: str
    total_tva: str
    total_ttc: str
    reason: str


class ModuleChangeIn(msgspec.Struct, forbid_unknown_fields=True):
    office_id: int
    module: str
    active: bool
    reason: str
    free: bool = False
    trial_end: date | None = None


class OrderRef(msgspec.Struct):
    order_id: int
    number: int


async def _operator(connection: ASGIConnection[Any, Any, Any, Any]) -> Operator:
    token = _bearer_token(connection.scope["headers"])
    row = await OperatorToken.objects().where((OperatorToken.token_hash == totp.digest(token))
                                              & OperatorToken.revoked_at.is_null()).first() if token else None
    operator = await Operator.objects().where((Operator.id == row.operator) & (Operator.active == True)  # noqa: E712
                                              ).first() if row else None
    if operator is None:
        raise NotAuthenticated("Jeton d'opérateur invalide ou révoqué.")
    connection.scope["socle_operator"] = operator  # type: ignore[typeddict-unknown-key]
    return operator


async def operator_token(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    await _operator(connection)


@post("/token", summary="Obtenir un jeton d'opérateur (mot de passe + code TOTP ou de secours)")
async def create_token(request: Request[Any, Any, Any], data: JSONBody[TokenIn]) -> TokenOut:
    operator = await accounts.authenticate(data.email, data.password, data.code, client_ip(request))
    token = secrets.token_urlsafe(32)
    await OperatorToken(operator=operator.id, token_hash=totp.digest(token)).save()
    return TokenOut(token=token)


@get("/organisations", guards=[operator_token],
     summary="Les organisations (recherche ; filtres par module, type, statut active ou suspended)")
async def list_organisations(q: FromQuery[str] = "", module: FromQuery[str] = "", kind: FromQuery[str] = "",
                             status: FromQuery[str] = "") -> list[OrganisationOut]:
    return [OrganisationOut(r.id, r.name, r.slug, r.offices, r.members, r.modules, r.kind, r.suspended)
            for r in await console.organisations(q, module, kind, status)]


@get("/organisations/{org_id:int}/activite", guards=[operator_token],
     summary="L'activité d'une organisation : réservations et messages du mois, espace des documents")
async def activity(org_id: PathId) -> ActivityOut:
    await console.detail(org_id)
    counters = await console.counters(org_id)
    return ActivityOut(counters.bookings_this_month, counters.messages_this_month, counters.storage_bytes)


@post("/organisations/{org_id:int}/type", guards=[operator_token], status_code=200,
      summary="Définir le type d'une organisation (auto_ecole, mairie, centre_formation, partenaire_certification, "
              "autre)")
async def set_kind(request: Request[Any, Any, Any], org_id: PathId, data: JSONBody[KindIn]) -> KindIn:
    await console.detail(org_id)
    await console.set_kind(request.scope["socle_operator"], org_id, data.kind, client_ip(request))  # type: ignore[typeddict-item]
    return data


@get("/commandes", guards=[operator_token],
     summary="Les commandes de toutes les organisations (statuts to_invoice, invoiced, paid, cancelled, "
             "nothing_due)")
async def list_orders(request: Request[Any, Any, Any], q: FromQuery[str] = "", status: FromQuery[str] = "",
                      month: FromQuery[str] = "") -> list[OrderOut]:
    rows = await orders.orders(q, status, month, monthly=invoicing.monthly_modules(catalog_of(request)))
    return [OrderOut(r["id"], r["organisation_id"], r["organisation_name"], r["number"], str(r["total_ttc"]),
                     r["state"], r["invoice_number"]) for r in rows]


@post("/commandes/{order_id:int}/annulation", guards=[operator_token], status_code=200,
      summary="Annuler une commande à facturer (elle ne sera pas facturée)")
async def cancel_order(request: Request[Any, Any, Any], order_id: PathId, data: JSONBody[CancelIn]) -> OrderRef:
    await orders.cancel_order(request.scope["socle_operator"], order_id, data.reason,  # type: ignore[typeddict-item]
                              client_ip(request))
    rows = await orders.orders(limit=1, order_id=order_id)
    return OrderRef(order_id=order_id, number=rows[0]["number"] if rows else 0)


@post("/factures/{invoice_id:int}/statut", guards=[operator_token], status_code=200,
      summary="Marquer une facture payée (paid) ou l'annuler (cancelled), même payée : un avoir est émis")
async def invoice_status(request: Request[Any, Any, Any], invoice_id: PathId,
                         data: JSONBody[InvoiceStatusIn]) -> InvoiceStatusOut:
    invoice, note, _ = await orders.set_invoice_status(request.scope["socle_operator"], invoice_id,  # type: ignore[typeddict-item]
                                                       data.status, client_ip(request), data.reason)
    return InvoiceStatusOut(invoice.id, invoice.number, invoice.status, note.id if note else None,
                            note.number if note else None)


def _amount(value: object) -> str:
    return str(quantize(str(value)))


@get("/factures", guards=[operator_token],
     summary="Les factures (mensuelles et des commandes ponctuelles ; filtres mois AAAA-MM et statut)")
async def list_invoices(month: FromQuery[str] = "", status: FromQuery[str] = "") -> list[InvoiceOut]:
    if month:
        billing.month_bounds(month)
    return [InvoiceOut(r["id"], r["organisation"], r["organisation_name"], r["number"], r["kind"], r["month"],
                       r["status"], _amount(r["total_ht"]), _amount(r["total_tva"]), _amount(r["total_ttc"]),
                       r["order_number"], r["credit_number"]) for r in await billing.invoices(None, month, status)]


@get("/avoirs", guards=[operator_token],
     summary="Les avoirs : chacun annule une facture, montants négatifs (filtre mois AAAA-MM)")
async def list_credit_notes(month: FromQuery[str] = "") -> list[CreditNoteOut]:
    if month:
        billing.month_bounds(month)
    return [CreditNoteOut(r["id"], r["organisation"], r["organisation_name"], r["number"], r["month"],
                          r["invoice_id"], r["invoice_number"], _amount(r["total_ht"]), _amount(r["total_tva"]),
                          _amount(r["total_ttc"]), r["reason"]) for r in await credit_notes.listing(None, month)]


@post("/organisations/{org_id:int}/modules", guards=[operator_token], status_code=201,
      summary="Activer ou désactiver un module pour un bureau (même chemin qu'une commande)")
async def change_module(request: Request[Any, Any, Any], org_id: PathId,
                        data: JSONBody[ModuleChangeIn]) -> OrderRef:
    operator = request.scope["socle_operator"]  # type: ignore[typeddict-item]
    await console.detail(org_id)
    order = await direct.apply(request.app.state.plugins, catalog_of(request), operator, org_id,
                               direct.DirectChange(data.office_id, data.module, data.active, data.reason, data.free,
                                                   data.trial_end), request.app.state.settings.base_url)
    return OrderRef(order_id=order.id, number=order.number)


api = Router("/api/v1/operateur", route_handlers=[create_token, list_organisations, change_module, activity,
                                                  set_kind, list_orders, cancel_order, invoice_status, list_invoices,
                                                  list_credit_notes],
             tags=["operateur"])
