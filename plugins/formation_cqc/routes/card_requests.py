"""« Demandes de carte CQC » (centre side, same grant as « Mes sessions »): the list with a status filter, and
the status change form of each request. Thin: the rules are in services/card_status."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, PathId, ValidationFailed
from plugins.formation_cqc import SESSIONS
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import card_status
from plugins.formation_cqc.services.cards import STATUS_LABELS

GATE = {"permission": SESSIONS}
R = Request[Any, Any, Any]
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
FIELDS = ("status", "tracking_number", "reason")


async def _page(request: R, actor: Any, *, failed_id: int | None = None, form: dict[str, Any] | None = None,
                errors: dict[str, str] | None = None, message: str = "", status_code: int = 200) -> Template:
    office = platform().office(request)
    wanted = card_status.parse_status_filter(request.query_params.get("statut"))
    return await platform().render(
        request, actor, "formation_cqc/card_requests.html", status_code=status_code, office=office,
        requests=await card_status.of_office(office.id, wanted), wanted=wanted or "", statuses=STATUS_LABELS,
        failed_id=failed_id, form=form or {}, errors=errors or {}, message=message,
        base=platform().office_url(office.id, ""))


@get("/cartes-cqc", opt=GATE)
async def card_requests_page(request: R, actor: CurrentActor) -> Template:
    message = "L'état de la demande est mis à jour ; le conducteur est prévenu par courriel." \
        if request.query_params.get("modifiee") else ""
    return await _page(request, actor, message=message)


@post("/cartes-cqc/{request_id:int}/etat", opt=GATE)
async def change_status(request: R, actor: CurrentActor, request_id: PathId, data: Form) -> Template | Redirect:
    office = platform().office(request)
    form = {k: str(v) for k, v in data.items() if k in FIELDS}
    try:
        await card_status.change(actor, office, request_id, form)
    except ValidationFailed as error:
        return await _page(request, actor, failed_id=request_id, form=form, message=error.message,
                           errors={e.field: e.message for e in error.errors}, status_code=422)
    return Redirect(platform().office_url(office.id, "/cartes-cqc?modifiee=1"), status_code=303)


ROUTES = [card_requests_page, change_status]
