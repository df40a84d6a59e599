"""Droits accordés: the owner's page and API for per-member grants of module permissions. Thin."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Router, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from core.auth.guards import CurrentActor, require_role
from core.auth.routes import client_ip
from core.grants import services
from core.tenancy import services as tenancy
from core.tenancy.roles import Role
from core.web.params import PathId
from core.web.shell import render

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


class GrantIn(msgspec.Struct, forbid_unknown_fields=True):
    member_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    permission: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class GrantOut(msgspec.Struct):
    id: int
    member: int
    member_name: str
    permission: str


def grantable(request: Request[Any, Any, Any]) -> dict[str, str]:
    """name → label of every loaded permission declared `granted=True`."""
    return {p.name: p.label for p in request.app.state.plugins.permissions.values() if p.granted}


def _out(row: dict[str, Any]) -> GrantOut:
    return GrantOut(
        id=row["id"], member=row["member"], member_name=row["member_name"] or "", permission=row["permission"]
    )


@get("/grants", summary="Les droits accordés membre par membre (gérant)")
async def list_grants(actor: CurrentActor) -> list[GrantOut]:
    return [_out(row) for row in await services.list_grants(actor)]


@post("/grants", summary="Accorder un droit de module à un membre (gérant)")
async def add_grant(request: Request[Any, Any, Any], actor: CurrentActor, data: JSONBody[GrantIn]) -> GrantOut:
    row = await services.grant(actor, data.member_id, data.permission, grantable(request), client_ip(request))
    return _out(row)


@delete("/grants/{grant_id:str}", status_code=HTTP_204_NO_CONTENT, summary="Retirer un droit accordé (gérant)")
async def remove_grant(request: Request[Any, Any, Any], actor: CurrentActor, grant_id: PathId) -> None:
    await services.revoke(actor, grant_id, grantable(request), client_ip(request))


api = Router(
    "/api/v1", route_handlers=[list_grants, add_grant, remove_grant], tags=["grants"], guards=[require_role(Role.owner)]
)


@get("/grants", name="grants")
async def grants_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    members = [m for m in await tenancy.list_members(actor) if m.get("role") != Role.owner.value]
    return await render(
        request,
        actor,
        "config/grants.html",
        grants=await services.list_grants(actor),
        grantable=grantable(request),
        members=members,
    )


@post("/grants")
async def add_grant_form(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Redirect:
    row = await services.grant(
        actor, data.get("member_id"), str(data.get("permission", "")), grantable(request), client_ip(request)
    )
    flash(request, f"Droit accordé à {row['member_name']}.", category="success")
    return Redirect("/config/grants")


@post("/grants/{grant_id:str}/delete")
async def remove_grant_form(request: Request[Any, Any, Any], actor: CurrentActor, grant_id: FromPath[str]) -> Redirect:
    await services.revoke(actor, grant_id, grantable(request), client_ip(request))
    flash(request, "Le droit a été retiré.", category="success")
    return Redirect("/config/grants")


pages = Router(
    "/config",
    route_handlers=[grants_page, add_grant_form, remove_grant_form],
    guards=[require_role(Role.owner)],
    include_in_schema=False,
)

ROUTES = [api, pages]
