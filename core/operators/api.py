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
from core.errors import NotAuthenticated
from core.modules.routes import catalog_of
from core.operators import accounts, console, direct, totp
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


@get("/organisations", guards=[operator_token], summary="Les organisations (recherche, filtre par module)")
async def list_organisations(q: FromQuery[str] = "", module: FromQuery[str] = "") -> list[OrganisationOut]:
    return [OrganisationOut(r.id, r.name, r.slug, r.offices, r.members, r.modules)
            for r in await console.organisations(q, module)]


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


api = Router("/api/v1/operateur", route_handlers=[create_token, list_organisations, change_module],
             tags=["operateur"])
