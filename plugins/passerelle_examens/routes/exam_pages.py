"""Office pages « Sessions » (week search over the favourite centres, booking for an élève) and « Examens »
(the exam files, cancellation with a confirmation step). Thin: rules are in services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, PathId, SocleError, check_id
from plugins.passerelle_examens.providers.base import ExamProviderError
from plugins.passerelle_examens.runtime import ctx, platform
from plugins.passerelle_examens.services import agenda, bookings, centres, results, sessions

R = Request[Any, Any, Any]
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
SEARCH = {"permission": "passerelle_examens.search"}
BOOK = {"permission": "passerelle_examens.book"}


def _one(data: dict[str, Any], name: str, limit: int = 200) -> str:
    raw = data.get(name, "")
    return str(raw[-1] if isinstance(raw, list) and raw else raw or "")[:limit]


def _month(text: str, fallback: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01") if text else fallback.replace(day=1)
    except ValueError:
        return fallback.replace(day=1)


@get("/sessions", opt=SEARCH)
async def week_page(request: R, actor: CurrentActor) -> Template:
    """Type, a week picked in the month calendar, « Chercher » → the free sessions."""
    c = ctx(request, actor)
    q = request.query_params
    exam_type = (q.get("type") or "voiture")[:10]
    week = (q.get("semaine") or "")[:10]
    selected = sessions.monday_of(dt.date.today())
    errors: dict[str, str] = {}
    message, status, rows, found = "", 200, None, None
    if week:
        try:
            _, selected = sessions.check_week(exam_type, week)
        except SocleError as error:
            errors, message, status = {e.field: e.message for e in error.errors}, error.message, 422
    if q.get("chercher") and not errors:
        try:
            found = await sessions.search(c, exam_type, selected.isoformat())
            rows = sessions.week_out(found)
        except SocleError as error:
            errors, message, status = {e.field: e.message for e in error.errors}, error.message, error.status_code
        except ExamProviderError as error:
            message, status = error.message, 503
    month = _month((q.get("mois") or "")[:7], selected)
    return await platform().render(
        request, actor, "passerelle_examens/sessions.html", types=centres.EXAM_TYPES, exam_type=exam_type,
        monday=selected, sunday=selected + dt.timedelta(days=6), week_text=week or selected.isoformat(),
        month=month, month_label=f"{sessions.MONTHS[month.month - 1]} {month.year}",
        previous=sessions.shift_month(month, -1), next=sessions.shift_month(month, 1),
        grid=sessions.month_grid(month), rows=rows, searched=found is not None,
        favourites=found.favourites if found else [], french_date=sessions.french_date, errors=errors,
        message=message, base=platform().office_url(c.office_id, ""), status_code=status)


async def _booking_page(request: R, actor: Any, values: dict[str, str], error: SocleError | None = None,
                        status: int = 200) -> Template:
    c = ctx(request, actor)
    slot_info, people, message = None, [], error.message if error else ""
    errors = {e.field: e.message for e in error.errors} if error else {}
    try:
        centre, slot = await bookings.find_slot(c, values["centre_id"], values["slot_id"], values["jour"])
        slot_info = {**sessions.slot_out(slot, {centre["centre_id"]: centre["nom"]}), "type": centre["type"]}
        people = await bookings.candidates(c, centre["type"], slot, values["q"])
    except SocleError as failure:
        message, status = message or failure.message, status if error else failure.status_code
    return await platform().render(
        request, actor, "passerelle_examens/book.html", slot=slot_info, people=people, values=values,
        errors=errors, message=message, base=platform().office_url(c.office_id, ""), status_code=status)


@get("/sessions/reserver", opt=BOOK)
async def booking_page(request: R, actor: CurrentActor) -> Template:
    """The slot, a search of the élève by name, the élèves who may take it (the others greyed, with why)."""
    q = request.query_params
    values = {"centre_id": (q.get("centre_id") or "")[:100], "slot_id": (q.get("slot_id") or "")[:200],
              "jour": (q.get("jour") or "")[:10], "q": (q.get("q") or "")[:100]}
    return await _booking_page(request, actor, values)


@post("/sessions/reserver", opt=BOOK)
async def book(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    values = {"centre_id": _one(data, "centre_id", 100), "slot_id": _one(data, "slot_id"),
              "jour": _one(data, "jour", 10), "q": _one(data, "q", 100)}
    try:
        row, created = await bookings.book(c, check_id("eleve_id", _one(data, "eleve_id", 12)), values["centre_id"],
                                           values["slot_id"], values["jour"])
    except SocleError as error:
        return await _booking_page(request, actor, values, error, error.status_code)
    flash(request, f"Examen réservé le {sessions.french_date(row.day)} : le dossier d'examen est créé."
          if created else "Cet examen était déjà réservé pour cet élève.", category="success")
    return Redirect(platform().office_url(c.office_id, "/examens"))


@get("/examens", opt=BOOK)
async def exam_list(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    calendar = await agenda.find(c)
    return await platform().render(
        request, actor, "passerelle_examens/exams.html", rows=await bookings.list_files(c),
        ics=calendar.ics_path if calendar else "", base=platform().office_url(c.office_id, ""))


async def _cancel_page(request: R, actor: Any, item_id: int, message: str = "", status: int = 200) -> Template:
    c = ctx(request, actor)
    row = await bookings.get(c, item_id)
    names = {s["id"]: f"{s['nom'].upper()} {s['prenoms']}" for s in await bookings.students.list_students(c)}
    return await platform().render(
        request, actor, "passerelle_examens/cancel.html", exam=await bookings.shown(c, row, names.get(row.student, "")),
        late=await bookings.is_late(c, row), days=bookings.delay_rules.LATE_CANCELLATION_DAYS, message=message,
        base=platform().office_url(c.office_id, ""), status_code=status)


@get("/examens/{item_id:str}/annuler", opt=BOOK)
async def cancel_page(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    return await _cancel_page(request, actor, item_id)


@post("/examens/{item_id:str}/annuler", opt=BOOK)
async def cancel(request: R, actor: CurrentActor, item_id: PathId) -> Template | Redirect:
    c = ctx(request, actor)
    await bookings.get(c, item_id)
    try:
        row = await bookings.cancel(c, item_id)
    except SocleError as error:
        if error.status_code == 404:
            raise
        return await _cancel_page(request, actor, item_id, error.message, error.status_code)
    flash(request, "Examen annulé" + (" (annulation tardive enregistrée)." if row.late_cancellation else "."),
          category="success")
    return Redirect(platform().office_url(c.office_id, "/examens"))


async def _result_page(request: R, actor: Any, item_id: int, values: dict[str, str],
                       error: SocleError | None = None) -> Template:
    c = ctx(request, actor)
    row = await bookings.get(c, item_id)
    names = {s["id"]: f"{s['nom'].upper()} {s['prenoms']}" for s in await bookings.students.list_students(c)}
    refusal = results.refusal(row, dt.datetime.now(dt.UTC))
    errors = {e.field: e.message for e in error.errors} if error else {}
    message = error.message if error and not errors else ""
    return await platform().render(
        request, actor, "passerelle_examens/result.html", exam=await bookings.shown(c, row, names.get(row.student, "")),
        outcomes=results.OUTCOMES, max_points=results.MAX_POINTS, refusal=refusal, values=values, errors=errors,
        message=message, base=platform().office_url(c.office_id, ""),
        status_code=error.status_code if error else 200)


@get("/examens/{item_id:str}/resultat", opt=BOOK)
async def result_page(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    """« Saisir le résultat »: admis, échec (with the points) or absent, once the exam has taken place."""
    row = await bookings.get(ctx(request, actor), item_id)
    current = row.status if row.status in results.OUTCOMES else ""
    return await _result_page(request, actor, item_id, {"resultat": current, "points": str(row.points or "")})


@post("/examens/{item_id:str}/resultat", opt=BOOK)
async def record_result(request: R, actor: CurrentActor, item_id: PathId, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    await bookings.get(c, item_id)
    values = {"resultat": _one(data, "resultat", 10), "points": _one(data, "points", 10)}
    try:
        row = await results.record(c, item_id, values)
    except SocleError as error:
        if error.status_code == 404:
            raise
        return await _result_page(request, actor, item_id, values, error)
    flash(request, f"Résultat enregistré : {bookings.STATUS_LABELS[row.status]}"
          + (f" ({row.points} points)." if row.points is not None else "."), category="success")
    return Redirect(platform().office_url(c.office_id, "/examens"))


ROUTES = [week_page, booking_page, book, exam_list, cancel_page, cancel, result_page, record_result]
