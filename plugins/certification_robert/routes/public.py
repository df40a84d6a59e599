"""The certifier's inbound route: POST /public/offices/{office_id}/m/certification_robert/api/resultats,
signed with the office's shared secret (services.signature). No login, no CSRF (a server calls it); the
office is resolved by the gate before the body is read."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, post

from core.plugin_api import ValidationFailed
from plugins.certification_robert.runtime import platform
from plugins.certification_robert.services import results, signature
from plugins.certification_robert.services.common import Ctx

MAX_BODY = 2 * 1024 * 1024


@post("/api/resultats", opt={"exclude_from_csrf": True}, status_code=200, request_max_body_size=MAX_BODY,
      summary="Réception signée des résultats de la plateforme d'examen Le Robert")
async def receive_results(request: Request[Any, Any, Any]) -> dict[str, int]:
    office = platform().office(request)
    settings = await platform().office_settings(office.organisation, office.id)  # type: ignore[arg-type]
    body = await request.body()
    stamp, digest = signature.verify(settings.results_secret, request.headers.get(signature.TIMESTAMP_HEADER),
                                     request.headers.get(signature.SIGNATURE_HEADER), body)
    try:
        payload = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise ValidationFailed.on("body", "Le corps de la requête n'est pas du JSON valide.") from None
    entries = results.entries_from_json(payload)
    ctx = Ctx(organisation_id=office.organisation, office_id=office.id)  # type: ignore[arg-type]
    return {"recorded": await results.record(ctx, entries, "api", receipt=(digest, stamp))}


ROUTES = [receive_results]
