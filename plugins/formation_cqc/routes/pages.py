"""« Mes sessions » and the downloadable file templates. Thin: rules in services."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Response, Template

from core.plugin_api import CurrentActor
from plugins.formation_cqc import SESSIONS
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import files, rules

GATE = {"permission": SESSIONS}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@get("/sessions", opt=GATE)
async def sessions_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    office = platform().office(request)
    return await platform().render(
        request, actor, "formation_cqc/sessions.html", office=office, columns=files.HEADER,
        fee_full=rules.FEE_FULL, fee_module=rules.FEE_MODULE, base=platform().office_url(office.id, ""),
    )


def _download(data: bytes, name: str, media_type: str) -> Response[bytes]:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@get("/modeles/conducteurs.csv", opt=GATE)
async def csv_template() -> Response[bytes]:
    return _download(files.csv_template(), "modele-conducteurs.csv", "text/csv; charset=utf-8")


@get("/modeles/conducteurs.xlsx", opt=GATE)
async def xlsx_template() -> Response[bytes]:
    return _download(files.xlsx_template(), "modele-conducteurs.xlsx", XLSX)


ROUTES = [sessions_page, csv_template, xlsx_template]
