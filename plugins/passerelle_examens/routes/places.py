"""« Places attribuées »: give a place of a captured Printel lot to an élève (« Attribuer une place ») and take
it back (« Retirer », with a confirmation step) — pages and API. Thin: the rules are in services/assignments.py."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from core.plugin_api import CurrentActor, PathId, SocleError
from plugins.passerelle_examens.runtime import ctx, platform
from plugins.passerelle_examens.services import assignments, bookings, places, sessions

R = Request[Any, Any, Any]
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
BOOK = {"permission": "passerelle_examens.book"}


def _one(data: dict[str, Any], name: str, limit: int = 100) -> str:
    raw = data.get(name, "")
    return str(raw[-1] if isinstance(raw, list) and raw else raw or "")[:limit]


async def _lot(c: Any, item_id: int) -> dict[str, Any]:
    [lot] = await places.described(c, [await places.get(c, item_id)])
    return lot


async def _assign_page(request: R, actor: Any, item_id: int, query: str, error: SocleError | None = None) -> Template:
    c = ctx(request, actor)
    lot = await places.get(c, item_id)
    errors = {e.field: e.message for e in error.errors} if error else {}
    return await platform().render(
        request, actor, "passerelle_examens/assign.html", lot=await _lot(c, item_id),
        people=await assignments.candidates(c, lot, query), q=query, errors=errors,
        message=error.message if error else "", french_date=sessions.french_date,
        base=platform().office_url(c.office_id, ""), status_code=error.status_code if error else 200)


@get("/places/{item_id:str}/attribuer", opt=BOOK)
async def assign_page(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    """The lot, a search of the élève by name, the élèves who may take a place (the others greyed, with why)."""
    return await _assign_page(request, actor, item_id, (request.query_params.get("q") or "")[:100])


@post("/places/{item_id:str}/attribuer", opt=BOOK)
async def assign(request: R, actor: CurrentActor, item_id: PathId, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    await places.get(c, item_id)  # another office's lot: 404
    query = _one(data, "q")
    try:
        row = await assignments.assign(c, item_id, assignments.student_ref(_one(data, "eleve", 12)))
    except SocleError as error:
        if error.status_code == 404:
            raise
        return await _assign_page(request, actor, item_id, query, error)
    flash(request, f"Place attribuée : examen du {sessions.french_date(row.day)} enregistré dans les dossiers "
                   "d'examen.", category="success")
    return Redirect(platform().office_url(c.office_id, "/places"))


async def _unassign_page(request: R, actor: Any, item_id: int, exam_id: int, message: str = "",
                         status: int = 200) -> Template:
    c = ctx(request, actor)
    row = await assignments.held(c, item_id, exam_id)
    names = {s["id"]: f"{s['nom'].upper()} {s['prenoms']}" for s in await bookings.students.list_students(c)}
    return await platform().render(
        request, actor, "passerelle_examens/unassign.html", lot=await _lot(c, item_id),
        exam=await bookings.shown(c, row, names.get(row.student, "")), late=await bookings.is_late(c, row),
        days=bookings.delay_rules.LATE_CANCELLATION_DAYS, message=message,
        base=platform().office_url(c.office_id, ""), status_code=status)


@get("/places/{item_id:str}/eleves/{exam_id:str}/retirer", opt=BOOK)
async def unassign_page(request: R, actor: CurrentActor, item_id: PathId, exam_id: PathId) -> Template:
    return await _unassign_page(request, actor, item_id, exam_id)


@post("/places/{item_id:str}/eleves/{exam_id:str}/retirer", opt=BOOK)
async def unassign(request: R, actor: CurrentActor, item_id: PathId, exam_id: PathId) -> Template | Redirect:
    c = ctx(request, actor)
    await assignments.held(c, item_id, exam_id)
    try:
        row = await assignments.unassign(c, item_id, exam_id)
    except SocleError as error:
        if error.status_code == 404:
            raise
        return await _unassign_page(request, actor, item_id, exam_id, error.message, error.status_code)
    flash(request, "Place libérée : l'élève est retiré du lot et son examen est annulé"
          + (" (annulation tardive enregistrée)." if row.late_cancellation else "."), category="success")
    return Redirect(platform().office_url(c.office_id, "/places"))


PAGES = [assign_page, assign, unassign_page, unassign]


@post("/places/{item_id:str}/assignments", opt=BOOK)
async def api_assign(request: R, actor: CurrentActor, item_id: PathId,
                     data: JSONBody[dict[str, Any]]) -> Response[dict[str, Any]]:
    """`eleve`: the élève's id → their new exam file on the lot (201); 409 when the lot is full."""
    c = ctx(request, actor)
    await places.get(c, item_id)  # another office's lot: 404 before reading the body
    row = await assignments.assign(c, item_id, assignments.student_ref(data.get("eleve")))
    return Response(await bookings.shown(c, row), status_code=201)


@delete("/places/{item_id:str}/assignments/{exam_id:str}", opt=BOOK, status_code=200)
async def api_unassign(request: R, actor: CurrentActor, item_id: PathId, exam_id: PathId) -> dict[str, Any]:
    """Take the élève off the lot: the exam file, now annulé (the place is free again)."""
    c = ctx(request, actor)
    return await bookings.shown(c, await assignments.unassign(c, item_id, exam_id))


API = [api_assign, api_unassign]
