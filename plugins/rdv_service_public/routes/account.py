"""« Mes rendez-vous » under /mon-espace/m/rdv_service_public/ (a signed-in citizen; no office in the URL)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from core.plugin_api import SocleError
from plugins.rdv_service_public.runtime import platform
from plugins.rdv_service_public.services import citizen

R = Request[Any, Any, Any]


async def _page(request: R, message: str = "", failed: bool = False, status_code: int = 200) -> Template:
    upcoming, past = await citizen.appointments(platform().account(request))
    return await platform().render_account(request, "rdv_service_public/account/appointments.html",
                                           status_code=status_code, upcoming=upcoming, past=past, message=message,
                                           failed=failed, base=platform().account_url(""))


async def prefill(request: R) -> dict[str, str]:
    """The public booking form's name, email and phone for a signed-in person (empty otherwise)."""
    account = await platform().current_account(request)
    if account is None:
        return {}
    return {"citizen_name": account.full_name, "citizen_email": account.email, "citizen_phone": account.phone}


@get("/")
async def appointments(request: R) -> Template:
    return await _page(request)


@post("/{rdv_id:str}/annuler")
async def cancel(request: R, rdv_id: FromPath[str]) -> Template:
    try:
        await citizen.cancel(platform().account(request), rdv_id)
    except SocleError as error:
        if error.status_code == 404:
            raise
        return await _page(request, error.message, True, error.status_code)
    return await _page(request, "Votre rendez-vous est annulé.")


ROUTES = [appointments, cancel]
