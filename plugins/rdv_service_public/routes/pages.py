"""Agent pages: planning (day/week, filters), appointment form with the outside-hours warning, agenda
(plages and absences). Configuration pages are in config_pages.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, SocleError
from plugins.rdv_service_public.routes.forms import Form, errors_of, local_input, many, message_of, one, parse_day
from plugins.rdv_service_public.runtime import ctx, platform
from plugins.rdv_service_public.services import agents, booking, config, guichets, motifs, plages
from plugins.rdv_service_public.services import planning as grid_planning
from plugins.rdv_service_public.services.common import Ctx, ids
from plugins.rdv_service_public.services.plages import ids_as_days
from plugins.rdv_service_public.tables import Rdv

R = Request[Any, Any, Any]
AGENDA = {"permission": "rdv_service_public.agenda"}
DAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


async def _choices(c: Ctx) -> dict[str, Any]:
    return {"agents": await agents.list_agents(c), "motifs": await motifs.list_motifs(c),
            "guichets": await guichets.list_guichets(c), "lieux": await config.list_lieux(c)}


@get("/", opt=AGENDA)
async def home(request: R) -> Redirect:
    return Redirect(platform().office_url(platform().office(request).id, "/planning"))


@get("/planning", opt=AGENDA)
async def planning(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    q = request.query_params
    filters = grid_planning.Filters("day" if q.get("view") == "day" else "week", parse_day(q.get("date")),
                                    _int(q.get("member_id")), _int(q.get("motif_id")), _int(q.get("guichet_id")))
    choices = await _choices(c)
    names = {(a["id"], None): a["display_name"] for a in choices["agents"]}
    names.update({(None, g.id): g.name for g in choices["guichets"]})
    base = platform().office_url(c.office_id, "")
    page = await grid_planning.build(c, filters, choices["motifs"], names, base, datetime.now(UTC))
    return await platform().render(
        request, actor, "rdv_service_public/planning.html", page=page, grid=page.grid, view=filters.view,
        day=filters.day, filters=q, base=base, is_admin=c.is_admin, **choices)


async def _form(request: R, actor: Any, c: Ctx, values: dict[str, Any], rdv: Rdv | None = None,
                error: SocleError | None = None, warning: bool = False, past: bool = False,
                confirmed_past: bool = False) -> Template:
    choices = await _choices(c)
    choices["agents"], choices["motifs"] = await agents.bookable(c, choices["agents"], choices["motifs"])
    slot = await platform().slot(request, c.office_id, "booking", actor=actor, rdv_id=rdv.id, booking_id=rdv.booking,
                                 starts_at=rdv.starts_at) if rdv else ""
    return await platform().render(
        request, actor, "rdv_service_public/rdv_form.html", values=values, rdv=rdv, warning=warning, slot=slot,
        past=past, confirmed_past=confirmed_past or past,
        message=error.message if error else "", errors=errors_of(error) if error else {},
        statuses=booking.STATUSES, base=platform().office_url(c.office_id, ""), **choices)


@get("/rdvs/new", opt=AGENDA)
async def new_rdv(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    values = {k: request.query_params.get(k, "") for k in ("motif_id", "member_id", "guichet_id", "lieu_id")}
    starts = request.query_params.get("starts_at", "")
    if starts:
        try:
            moment = datetime.fromisoformat(starts)  # a free slot's link: the office's local time
            values["starts_at"] = local_input(moment if moment.tzinfo else moment.replace(tzinfo=c.tz), c.tz)
        except ValueError:
            values["starts_at"] = ""
    if not values["member_id"] and not values["guichet_id"] and actor.role.value != "intervenant":
        values["member_id"] = str(actor.member_id)
    return await _form(request, actor, c, values)


def _rdv_values(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("motif_id", "member_id", "guichet_id", "lieu_id", "starts_at", "duration_minutes", "citizen_name",
            "citizen_email", "citizen_phone", "notes", "status")
    return {k: one(data, k) for k in keys if k in data}


@post("/rdvs/new", opt=AGENDA)
async def create_rdv(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    values = _rdv_values(data)
    confirmed_past = one(data, "confirm_past") == "1"
    try:
        rdv = await booking.create(c, values, confirm_outside_hours=one(data, "confirm_outside_hours") == "1",
                                   confirm_past=confirmed_past)
    except booking.InThePast as error:
        return await _form(request, actor, c, values, error=error, past=True)
    except booking.OutsideHours as error:
        return await _form(request, actor, c, values, error=error, warning=True, confirmed_past=confirmed_past)
    except SocleError as error:
        return await _form(request, actor, c, values, error=error, confirmed_past=confirmed_past)
    flash(request, f"Rendez-vous enregistré pour {rdv.citizen_name}.", category="success")
    return Redirect(platform().office_url(c.office_id, f"/planning?date={rdv.starts_at.astimezone(c.tz).date()}"))


@get("/rdvs/{rdv_id:str}", opt=AGENDA)
async def edit_rdv(request: R, actor: CurrentActor, rdv_id: FromPath[str]) -> Template:
    c = ctx(request, actor)
    rdv = await booking.get(c, rdv_id)
    values = {"motif_id": rdv.motif, "member_id": rdv.member or "", "guichet_id": rdv.guichet or "",
              "lieu_id": rdv.lieu or "", "starts_at": local_input(rdv.starts_at, c.tz),
              "duration_minutes": int((rdv.ends_at - rdv.starts_at).total_seconds() // 60),
              "citizen_name": rdv.citizen_name, "citizen_email": rdv.citizen_email,
              "citizen_phone": rdv.citizen_phone, "notes": rdv.notes, "status": rdv.status}
    return await _form(request, actor, c, values, rdv)


@post("/rdvs/{rdv_id:str}", opt=AGENDA)
async def update_rdv(request: R, actor: CurrentActor, rdv_id: FromPath[str], data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    rdv = await booking.get(c, rdv_id)
    values = _rdv_values(data)
    for key in ("member_id", "guichet_id", "lieu_id"):
        values[key] = values.get(key) or None
    confirmed_past = one(data, "confirm_past") == "1"
    try:
        rdv = await booking.update(c, rdv_id, values, one(data, "confirm_outside_hours") == "1", confirmed_past)
    except booking.InThePast as error:
        return await _form(request, actor, c, values, rdv, error=error, past=True)
    except booking.OutsideHours as error:
        return await _form(request, actor, c, values, rdv, error=error, warning=True, confirmed_past=confirmed_past)
    except SocleError as error:
        return await _form(request, actor, c, values, rdv, error=error, confirmed_past=confirmed_past)
    flash(request, "Rendez-vous modifié.", category="success")
    return Redirect(platform().office_url(c.office_id, f"/planning?date={rdv.starts_at.astimezone(c.tz).date()}"))


@get("/rdvs/{rdv_id:str}/delete", opt=AGENDA)
async def confirm_delete(request: R, actor: CurrentActor, rdv_id: FromPath[str]) -> Template:
    c = ctx(request, actor)
    rdv = await booking.get(c, rdv_id)
    return await platform().render(request, actor, "rdv_service_public/rdv_delete.html", rdv=rdv, tz=c.tz,
                                   base=platform().office_url(c.office_id, ""))


@post("/rdvs/{rdv_id:str}/delete", opt=AGENDA)
async def delete_rdv(request: R, actor: CurrentActor, rdv_id: FromPath[str]) -> Redirect:
    c = ctx(request, actor)
    await booking.delete(c, rdv_id)
    flash(request, "Rendez-vous supprimé.", category="success")
    return Redirect(platform().office_url(c.office_id, "/planning"))


async def _agenda_page(request: R, actor: Any, member: int | None, guichet: int | None,
                       form: dict[str, Any] | None = None, error: SocleError | None = None,
                       which: str = "", editing: int | None = None) -> Template:
    """The agenda page; after a refused form, that form again with what was typed and its errors. With
    `?edit_plage=<id>` (or `editing`) the plage form edits that plage, filled with its values."""
    c = ctx(request, actor)
    editing = editing or _int(request.query_params.get("edit_plage"))
    if editing is not None and form is None:
        plage = await c.get(plages.Plage, editing, "Cette plage d'ouverture n'existe pas.")
        form, which = {"weekdays": [str(d) for d in ids(plage.weekdays)], "every_weeks": plage.every_weeks,
                       "first_day": plage.first_day.isoformat(),
                       "until_day": plage.until_day.isoformat() if plage.until_day else "",
                       "start_time": plage.start_time, "end_time": plage.end_time, "lieu_id": plage.lieu or "",
                       "motif_ids": [str(m) for m in ids(plage.motif_ids)]}, "plage"
    owner = {"guichet_id": guichet} if guichet else {"member_id": member}
    return await platform().render(
        request, actor, "rdv_service_public/agenda.html", owner=owner, days=DAYS, ids_as_days=ids_as_days, ids=ids,
        plages=await plages.list_plages(c, None if guichet else member, guichet),
        absences=await plages.list_absences(c, None if guichet else member, guichet), tz=c.tz,
        base=platform().office_url(c.office_id, ""), values=request.query_params, form=form or {}, which=which,
        errors=errors_of(error) if error else {}, message=_banner(error), editing=editing,
        may_edit=await agents.may_edit_agenda(c, None if guichet else member, guichet),
        status_code=422 if error else 200, **await _choices(c))


def _banner(error: SocleError | None) -> str:
    """Above a refused form: the field messages sit next to their fields, so the banner never repeats them."""
    if error is None:
        return ""
    return "Corrigez les champs signalés ci-dessous." if error.errors else error.message


@get("/agenda", opt=AGENDA)
async def agenda(request: R, actor: CurrentActor) -> Template:
    guichet = _int(request.query_params.get("guichet_id"))
    return await _agenda_page(request, actor, _int(request.query_params.get("member_id")) or actor.member_id,
                              guichet)


@post("/agenda/plages", opt=AGENDA)
async def add_plage(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    values = {"member_id": one(data, "member_id") or None, "guichet_id": one(data, "guichet_id") or None,
              "lieu_id": one(data, "lieu_id") or None, "weekdays": many(data, "weekdays"),
              "every_weeks": one(data, "every_weeks") or 1, "first_day": one(data, "first_day"),
              "until_day": one(data, "until_day") or None, "start_time": one(data, "start_time"),
              "end_time": one(data, "end_time"), "motif_ids": many(data, "motif_ids")}
    try:
        await plages.save(c, values)
    except SocleError as error:
        return await _agenda_page(request, actor, _int(values["member_id"]), _int(values["guichet_id"]), values,
                                  error, "plage")
    flash(request, "Plage d'ouverture ajoutée.", category="success")
    return Redirect(platform().office_url(c.office_id, _agenda_query(values)))


@post("/agenda/plages/{plage_id:str}", opt=AGENDA)
async def edit_plage(request: R, actor: CurrentActor, plage_id: FromPath[str], data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    plage = await c.get(plages.Plage, plage_id, "Cette plage d'ouverture n'existe pas.")
    values = {"lieu_id": one(data, "lieu_id") or None, "weekdays": many(data, "weekdays"),
              "every_weeks": one(data, "every_weeks") or 1, "first_day": one(data, "first_day"),
              "until_day": one(data, "until_day") or None, "start_time": one(data, "start_time"),
              "end_time": one(data, "end_time"), "motif_ids": many(data, "motif_ids")}
    owner = {"member_id": plage.member, "guichet_id": plage.guichet}
    try:
        await plages.save(c, values, plage.id)
    except SocleError as error:
        return await _agenda_page(request, actor, plage.member, plage.guichet, values, error, "plage", plage.id)
    flash(request, "Plage d'ouverture modifiée.", category="success")
    return Redirect(platform().office_url(c.office_id, _agenda_query(owner)))


def _agenda_query(values: dict[str, Any]) -> str:
    if values.get("guichet_id"):
        return f"/agenda?guichet_id={values['guichet_id']}"
    return f"/agenda?member_id={values.get('member_id') or ''}"


@post("/agenda/plages/{plage_id:str}/delete", opt=AGENDA)
async def remove_plage(request: R, actor: CurrentActor, plage_id: FromPath[str]) -> Redirect:
    c = ctx(request, actor)
    plage = await c.get(plages.Plage, plage_id, "Cette plage d'ouverture n'existe pas.")
    await plages.delete(c, plage_id)
    flash(request, "Plage d'ouverture supprimée.", category="success")
    return Redirect(platform().office_url(c.office_id, _agenda_query(
        {"member_id": plage.member, "guichet_id": plage.guichet})))


@post("/agenda/plages/{plage_id:str}/skip", opt=AGENDA)
async def skip_plage(request: R, actor: CurrentActor, plage_id: FromPath[str], data: Form) -> Redirect:
    c = ctx(request, actor)
    try:
        plage = await plages.skip_occurrence(c, plage_id, one(data, "day"))
        flash(request, "Occurrence annulée.", category="success")
        query = _agenda_query({"member_id": plage.member, "guichet_id": plage.guichet})
    except SocleError as error:
        flash(request, message_of(error), category="error")
        query = "/agenda"
    return Redirect(platform().office_url(c.office_id, query))


@post("/agenda/absences", opt=AGENDA)
async def add_absence(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    values = {"member_id": one(data, "member_id") or None, "guichet_id": one(data, "guichet_id") or None,
              "starts_at": one(data, "starts_at"), "ends_at": one(data, "ends_at"), "label": one(data, "label")}
    try:
        await plages.save_absence(c, values)
    except SocleError as error:
        return await _agenda_page(request, actor, _int(values["member_id"]), _int(values["guichet_id"]), values,
                                  error, "absence")
    flash(request, "Absence enregistrée.", category="success")
    return Redirect(platform().office_url(c.office_id, _agenda_query(values)))


@post("/agenda/absences/{absence_id:str}/delete", opt=AGENDA)
async def remove_absence(request: R, actor: CurrentActor, absence_id: FromPath[str]) -> Redirect:
    c = ctx(request, actor)
    await plages.delete_absence(c, absence_id)
    flash(request, "Absence supprimée.", category="success")
    return Redirect(platform().office_url(c.office_id, "/agenda"))


ROUTES = [home, planning, new_rdv, create_rdv, edit_rdv, update_rdv, confirm_delete, delete_rdv, agenda, add_plage,
          edit_plage, remove_plage, skip_plage, add_absence, remove_absence]
