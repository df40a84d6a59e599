"""Public routes (no login, gated by activation): RdvPermis' signed notification of a student's answer."""

from __future__ import annotations

from typing import Any

from litestar import Request, post

from plugins.passerelle_examens.runtime import platform
from plugins.passerelle_examens.services import mandates
from plugins.passerelle_examens.services.common import Ctx


@post(mandates.CALLBACK_PATH, opt={"exclude_from_csrf": True}, status_code=200)
async def mandate_callback(request: Request[Any, Any, Any]) -> dict[str, str]:
    office = platform().office(request)
    c = Ctx(organisation_id=office.organisation, office_id=office.id)  # type: ignore[arg-type]
    body = await request.body()
    row = await mandates.callback(c, body[:10_000], request.headers.get("x-rdvpermis-signature", ""))
    return {"etat": row.state}


ROUTES = [mandate_callback]
