"""JSON API under /api/v1/offices/{office_id}/m/passerelle_examens/ (thin: rules are in services)."""

from __future__ import annotations

from typing import Any

from litestar import Request, delete, get, post
from litestar.params import FromQuery, JSONBody

from core.plugin_api import CurrentActor, PathId, SocleError
from plugins.passerelle_examens.providers.base import ExamProviderError
from plugins.passerelle_examens.runtime import ctx
from plugins.passerelle_examens.services import centres, providers, students

R = Request[Any, Any, Any]
SEARCH = {"permission": "passerelle_examens.search"}
BOOK = {"permission": "passerelle_examens.book"}


class ProviderUnavailable(SocleError):
    status_code = 503


@get("/students", opt=BOOK)
async def list_students(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await students.list_students(ctx(request, actor))


@post("/students", opt=BOOK)
async def create_student(request: R, actor: CurrentActor, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    return students.out(await students.create(ctx(request, actor), data))


@get("/students/{item_id:str}", opt=BOOK)
async def get_student(request: R, actor: CurrentActor, item_id: PathId) -> dict[str, Any]:
    return students.out(await students.get(ctx(request, actor), item_id))


@get("/providers", opt=SEARCH)
async def list_providers(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    """The exam providers of the office (registered through `register_exam_providers`)."""
    return await providers.listing(ctx(request, actor))


@get("/centres", opt=SEARCH)
async def search_centres(request: R, actor: CurrentActor, departement: FromQuery[str] = "",
                         type: FromQuery[str] = "", fournisseur: FromQuery[str] = "rdvpermis") -> list[dict[str, Any]]:
    try:
        found = await centres.search(ctx(request, actor), departement[:3], type[:10], fournisseur[:50])
    except ExamProviderError as error:
        raise ProviderUnavailable(error.message) from error
    return [centres.centre_out(x) for x in found]


@get("/favourites", opt=SEARCH)
async def list_favourites(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await centres.favourites(ctx(request, actor))


@post("/favourites", opt=SEARCH)
async def add_favourite(request: R, actor: CurrentActor, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    c = ctx(request, actor)
    values = {k: str(data.get(k) or "")[:100] for k in ("centre_id", "departement", "type")}
    try:
        return await centres.add_favourite(c, values["centre_id"], values["departement"], values["type"])
    except ExamProviderError as error:
        raise ProviderUnavailable(error.message) from error


@delete("/favourites/{item_id:str}", opt=SEARCH)
async def remove_favourite(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await centres.remove_favourite(ctx(request, actor), item_id)


ROUTES = [list_providers, list_students, create_student, get_student, search_centres, list_favourites, add_favourite,
          remove_favourite]
