"""JSON API under /api/v1/offices/{office_id}/m/passerelle_examens/ (thin: rules are in services)."""

from __future__ import annotations

from typing import Any

from litestar import Request, delete, get, patch, post
from litestar.params import FromQuery, JSONBody
from litestar.response import Response

from core.plugin_api import CurrentActor, PathId, SocleError, check_id
from plugins.passerelle_examens.providers.base import ExamProviderError
from plugins.passerelle_examens.runtime import ctx
from plugins.passerelle_examens.services import bookings, centres, providers, results, sessions, students

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


@patch("/students/{item_id:str}", opt=BOOK)
async def update_student(request: R, actor: CurrentActor, item_id: PathId,
                         data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    """Change the élève (fields left out keep their value), e.g. `date_code`: the theory-pass date."""
    c = ctx(request, actor)
    await students.get(c, item_id)  # another office's id: 404 before reading the body
    return students.out(await students.update(c, item_id, data))


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


@get("/sessions", opt=SEARCH)
async def week_sessions(request: R, actor: CurrentActor, type: FromQuery[str] = "",
                        semaine: FromQuery[str] = "") -> dict[str, Any]:
    """The free sessions of the favourite centres of `type` (voiture, moto) for the week containing `semaine`."""
    try:
        week = await sessions.search(ctx(request, actor), type[:10], semaine[:10])
    except ExamProviderError as error:
        raise ProviderUnavailable(error.message) from error
    return {"type": week.exam_type, "semaine": week.monday.isoformat(), "centres_favoris": len(week.favourites),
            "sessions": sessions.week_out(week)}


@get("/sessions/candidats", opt=BOOK)
async def slot_candidates(request: R, actor: CurrentActor, centre_id: FromQuery[str] = "", slot_id: FromQuery[str] = "",
                          jour: FromQuery[str] = "", q: FromQuery[str] = "") -> list[dict[str, Any]]:
    """The élèves matching `q`, each saying whether they may take that slot (and why not, earliest date)."""
    c = ctx(request, actor)
    centre, slot = await bookings.find_slot(c, centre_id[:100], slot_id[:200], jour[:10])
    return await bookings.candidates(c, centre["type"], slot, q[:100])


@post("/exams", opt=BOOK)
async def book_exam(request: R, actor: CurrentActor, data: JSONBody[dict[str, Any]]) -> Response[dict[str, Any]]:
    c = ctx(request, actor)
    values = {k: str(data.get(k) or "")[:200] for k in ("centre_id", "slot_id", "jour")}
    student_id = check_id("eleve_id", data.get("eleve_id"))
    row, created = await bookings.book(c, student_id, values["centre_id"], values["slot_id"], values["jour"])
    return Response(await bookings.shown(c, row), status_code=201 if created else 200)


@get("/exams", opt=BOOK)
async def list_exams(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await bookings.list_files(ctx(request, actor))


@get("/exams/{item_id:str}", opt=BOOK)
async def get_exam(request: R, actor: CurrentActor, item_id: PathId) -> dict[str, Any]:
    c = ctx(request, actor)
    return await bookings.shown(c, await bookings.get(c, item_id))


@post("/exams/{item_id:str}/cancel", opt=BOOK, status_code=200)
async def cancel_exam(request: R, actor: CurrentActor, item_id: PathId) -> dict[str, Any]:
    c = ctx(request, actor)
    await bookings.get(c, item_id)  # another office's id: 404 before anything else
    return await bookings.shown(c, await bookings.cancel(c, item_id))


@post("/exams/{item_id:str}/result", opt=BOOK, status_code=200)
async def record_result(request: R, actor: CurrentActor, item_id: PathId,
                        data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    """`resultat` (admis, echec, absent) and, for an échec, `points`."""
    c = ctx(request, actor)
    await bookings.get(c, item_id)
    return await bookings.shown(c, await results.record(c, item_id, data))


ROUTES = [list_providers, list_students, create_student, get_student, update_student, record_result,
          search_centres, list_favourites, add_favourite,
          remove_favourite, week_sessions, slot_candidates, book_exam, list_exams, get_exam, cancel_exam]
