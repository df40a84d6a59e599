"""The invited person's side: open the emailed link, then accept or decline (no login needed: the link is the
proof that the email's owner answers, as for a password reset). Thin: rules in core.tenancy.invitations."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.auth.guards import current_actor
from core.errors import SocleError
from core.tenancy import invitations


async def _next(request: Request[Any, Any, Any]) -> Redirect:
    return Redirect("/dashboard" if await current_actor(request) else "/login")


@get("/invitation/{token:str}", include_in_schema=False)
async def invitation_page(token: FromPath[str]) -> Template:
    try:
        view = await invitations.view_invitation(token)
    except SocleError as error:
        return Template("config/invitation.html", status_code=error.status_code, context={"error": error.message})
    return Template("config/invitation.html", context={"invitation": view, "token": token})


@post("/invitation/{token:str}/accepter", include_in_schema=False)
async def accept(request: Request[Any, Any, Any], token: FromPath[str]) -> Template | Redirect:
    try:
        _, organisation = await invitations.accept_invitation(token)
    except SocleError as error:
        return Template("config/invitation.html", status_code=error.status_code, context={"error": error.message})
    flash(request, f"Vous avez rejoint « {organisation} ».", category="success")
    return await _next(request)


@post("/invitation/{token:str}/refuser", include_in_schema=False)
async def decline(request: Request[Any, Any, Any], token: FromPath[str]) -> Template | Redirect:
    try:
        organisation = await invitations.decline_invitation(token)
    except SocleError as error:
        return Template("config/invitation.html", status_code=error.status_code, context={"error": error.message})
    flash(request, f"Vous avez refusé l'invitation de « {organisation} ».", category="info")
    return await _next(request)


ROUTES = [invitation_page, accept, decline]
