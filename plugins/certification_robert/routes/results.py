"""« Résultats »: the partner imports the certifier's results file (page and API). Thin: rules in services."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from core.plugin_api import CurrentActor, ValidationFailed
from plugins.certification_robert.runtime import ctx, platform
from plugins.certification_robert.services import results, results_csv

R = Request[Any, Any, Any]
CANDIDATES = {"permission": "certification_robert.candidates"}
Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
MAX_BODY = results_csv.MAX_BYTES + 65536


async def _page(request: R, actor: Any, *, errors: list[Any] | None = None, message: str = "",
                status_code: int = 200) -> Template:
    c = ctx(request, actor)
    return await platform().render(request, actor, "certification_robert/results.html", status_code=status_code,
                                   base=platform().office_url(c.office_id, ""), errors=errors or [],
                                   message=message, results=await results.recent(c))


@get("/resultats", opt=CANDIDATES)
async def results_page(request: R, actor: CurrentActor) -> Template:
    return await _page(request, actor)


@get("/resultats/modele.csv", opt=CANDIDATES)
async def results_template(request: R, actor: CurrentActor) -> Response[bytes]:
    ctx(request, actor)
    return Response(("\ufeff" + results_csv.TEMPLATE).encode(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="resultats-le-robert.csv"'})


@post("/resultats", opt=CANDIDATES, request_max_body_size=MAX_BODY)
async def import_page(request: R, actor: CurrentActor, data: Multipart) -> Template | Redirect:
    c = ctx(request, actor)
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _page(request, actor, message="Choisissez un fichier CSV.", status_code=422)
    try:
        count = await results_csv.import_file(c, await upload.read())
    except results_csv.FileRefused as error:
        return await _page(request, actor, errors=error.lines, message=error.message, status_code=422)
    except ValidationFailed as error:
        message = error.errors[0].message if error.errors else error.message
        return await _page(request, actor, message=message, status_code=422)
    flash(request, f"{count} résultat(s) importé(s) : les candidats sont « Passée ».", category="success")
    return Redirect(platform().office_url(c.office_id, "/candidats?status=passee"))


@post("/results/import", opt=CANDIDATES, status_code=200, request_max_body_size=MAX_BODY,
      summary="Importer un fichier CSV de résultats (corps text/csv)")
async def import_api(request: R, actor: CurrentActor) -> dict[str, int]:
    c = ctx(request, actor)
    return {"recorded": await results_csv.import_file(c, await request.body())}


@get("/results", opt=CANDIDATES, summary="Les résultats du bureau, du plus récent au plus ancien")
async def list_results(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await results.recent(ctx(request, actor))


PAGES = [results_page, results_template, import_page]
API = [import_api, list_results]
