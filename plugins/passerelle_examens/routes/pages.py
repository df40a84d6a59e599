"""Office pages: « Élèves » (list, creation) and « Centres d'examen » (search, favourites). Thin: rules in services."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, PathId, SocleError
from plugins.passerelle_examens.providers.base import ExamProviderError
from plugins.passerelle_examens.runtime import ctx, platform
from plugins.passerelle_examens.services import bookings, centres, mandates, providers, students
from plugins.passerelle_examens.simulators.rdvpermis import DEPARTEMENTS

R = Request[Any, Any, Any]
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
SEARCH = {"permission": "passerelle_examens.search"}
BOOK = {"permission": "passerelle_examens.book"}


def _one(data: dict[str, Any], name: str) -> str:
    raw = data.get(name, "")
    return str(raw[-1] if isinstance(raw, list) and raw else raw or "")[:300]


@get("/", opt=BOOK)
async def home(request: R) -> Redirect:
    return Redirect(platform().office_url(platform().office(request).id, "/eleves"))


@get("/eleves", opt=BOOK)
async def student_list(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    return await platform().render(
        request, actor, "passerelle_examens/students.html", rows=await students.list_students(c),
        civilities=students.CIVILITIES, categories=students.CATEGORIES, base=platform().office_url(c.office_id, ""),
        mandate_states=await mandates.states(c), mandate_labels=mandates.LABELS)


async def _form(request: R, actor: Any, values: dict[str, Any], error: SocleError | None = None,
                student_id: int | None = None) -> Template:
    c = ctx(request, actor)
    waiting = await bookings.waiting(c, await students.get(c, student_id)) if student_id else None
    return await platform().render(
        request, actor, "passerelle_examens/student_form.html", values=values, labels=students.LABELS,
        student_id=student_id, waiting=waiting,
        civilities=students.CIVILITIES, categories=students.CATEGORIES,
        errors={e.field: e.message for e in error.errors} if error else {},
        message=error.message if error else "", base=platform().office_url(c.office_id, ""),
        status_code=422 if error else 200)


@get("/eleves/nouveau", opt=BOOK)
async def new_student(request: R, actor: CurrentActor) -> Template:
    return await _form(request, actor, {})


@post("/eleves/nouveau", opt=BOOK)
async def create_student(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    values = {name: _one(data, name) for name in students.FIELDS}
    try:
        row = await students.create(ctx(request, actor), values)
    except SocleError as error:
        return await _form(request, actor, values, error)
    return Redirect(platform().office_url(row.office, "/eleves"))


@get("/eleves/{item_id:str}", opt=BOOK)
async def edit_student(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    """The élève's page: every field editable, among them « Date d'obtention du code »."""
    row = await students.get(ctx(request, actor), item_id)
    return await _form(request, actor, students.out(row), student_id=row.id)


@post("/eleves/{item_id:str}", opt=BOOK)
async def update_student(request: R, actor: CurrentActor, item_id: PathId, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    await students.get(c, item_id)
    values = {name: _one(data, name) for name in students.FIELDS}
    try:
        await students.update(c, item_id, values)
    except SocleError as error:
        if error.status_code == 404:
            raise
        return await _form(request, actor, values, error, student_id=item_id)
    flash(request, "Élève enregistré.", category="success")
    return Redirect(platform().office_url(c.office_id, "/eleves"))


@get("/centres", opt=SEARCH)
async def centre_search(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    q = request.query_params
    departement, exam_type = (q.get("departement") or "")[:3], (q.get("type") or "")[:10]
    provider = (q.get("fournisseur") or "rdvpermis")[:50]
    results: list[dict[str, Any]] | None = None
    errors: dict[str, str] = {}
    message, status = "", 200
    if departement or exam_type:
        try:
            results = [centres.centre_out(x) for x in await centres.search(c, departement, exam_type, provider)]
        except SocleError as error:
            errors, message, status = {e.field: e.message for e in error.errors}, error.message, 422
        except ExamProviderError as error:
            message, status = error.message, 503
    return await platform().render(
        request, actor, "passerelle_examens/centres.html", favourites=await centres.favourites(c),
        results=results, departements=DEPARTEMENTS, types=centres.EXAM_TYPES, departement=departement,
        exam_type=exam_type, errors=errors, message=message, base=platform().office_url(c.office_id, ""),
        providers=await providers.with_capability(c, "centres"), provider=provider, status_code=status)


@post("/centres/favoris", opt=SEARCH)
async def add_favourite(request: R, actor: CurrentActor, data: Form) -> Redirect | Template:
    c = ctx(request, actor)
    departement, exam_type = _one(data, "departement"), _one(data, "type")
    try:
        await centres.add_favourite(c, _one(data, "centre_id"), departement, exam_type)
    except ExamProviderError as error:
        return await platform().render(
            request, actor, "passerelle_examens/centres.html", favourites=await centres.favourites(c),
            results=None, departements=DEPARTEMENTS, types=centres.EXAM_TYPES, departement=departement,
            exam_type=exam_type, errors={}, message=error.message, base=platform().office_url(c.office_id, ""),
            providers=await providers.with_capability(c, "centres"), provider="rdvpermis", status_code=503)
    return Redirect(platform().office_url(c.office_id, f"/centres?departement={departement}&type={exam_type}"))


@post("/centres/favoris/{item_id:str}/supprimer", opt=SEARCH)
async def remove_favourite(request: R, actor: CurrentActor, item_id: PathId) -> Redirect:
    c = ctx(request, actor)
    await centres.remove_favourite(c, item_id)
    return Redirect(platform().office_url(c.office_id, "/centres"))


ROUTES = [home, student_list, new_student, create_student, edit_student, update_student,
          centre_search, add_favourite, remove_favourite]
