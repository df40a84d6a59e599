"""Citizen pages and JSON under /public/o/{slug}/m/rdv_service_public/ (no login; one URL per organisation)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect, Template

from core.plugin_api import SocleError
from plugins.rdv_service_public.routes import account as account_routes
from plugins.rdv_service_public.routes.forms import Form, errors_of, one
from plugins.rdv_service_public.runtime import platform
from plugins.rdv_service_public.schemas import CitizenBookingIn, out
from plugins.rdv_service_public.services import config, notices, public
from plugins.rdv_service_public.services.booking import STATUSES, SlotTaken
from plugins.rdv_service_public.services.common import Ctx

R = Request[Any, Any, Any]
DAYS = notices.DAYS


def _page(request: R, template: str, status_code: int = 200, **context: Any) -> Template:
    organisation = platform().organisation(request)
    base = platform().organisation_public_url(organisation.slug, "")
    return Template(f"rdv_service_public/public/{template}", status_code=status_code,
                    context={"organisation": organisation, "base": base, **context})


async def _motif(request: R, motif_id: str) -> tuple[Ctx, Any]:
    organisation = platform().organisation(request)
    return await public.motif_ctx(organisation.id, platform().active_office_ids(request), motif_id)


@get("/")
async def motifs_page(request: R) -> Template:
    organisation = platform().organisation(request)
    offices = platform().active_office_ids(request)
    motifs = await public.open_motifs(organisation.id, offices)
    messages: list[str] = []
    for office_id in offices:  # each office's « Message aux usagers » (module settings), once each
        message = (await platform().office_settings(organisation.id, office_id)).public_message.strip()
        if message and message not in messages:
            messages.append(message)
    return _page(request, "motifs.html", motifs=motifs, messages=messages)


@get("/motifs/{motif_id:str}")
async def motif_page(request: R, motif_id: FromPath[str]) -> Template | Redirect:
    c, motif = await _motif(request, motif_id)
    lieux = await public.lieux(c, motif)
    return _page(request, "lieux.html", motif=motif, lieux=lieux)


def _day(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


async def _slots_page(request: R, c: Ctx, motif: Any, lieu_id: int | None, message: str = "",
                      status_code: int = 200, token: str = "") -> Template:
    start = _day(request.query_params.get("start"))
    found = await public.slots(c, motif, lieu_id, start.replace(tzinfo=c.tz) if start else None)
    by_day: dict[date, list[Any]] = {}
    for slot in found:
        by_day.setdefault(slot.start.astimezone(c.tz).date(), []).append(slot)
    return _page(request, "slots.html", status_code=status_code, motif=motif, lieu_id=lieu_id, days=by_day,
                 day_names=DAYS, tz=c.tz, message=message, token=token)


def _lieu(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@get("/motifs/{motif_id:str}/creneaux")
async def slots_page(request: R, motif_id: FromPath[str]) -> Template:
    c, motif = await _motif(request, motif_id)
    return await _slots_page(request, c, motif, _lieu(request.query_params.get("lieu_id")))


@get("/motifs/{motif_id:str}/reserver")
async def identity_page(request: R, motif_id: FromPath[str]) -> Template:
    c, motif = await _motif(request, motif_id)
    values = {k: request.query_params.get(k, "") for k in ("starts_at", "lieu_id")}
    values.update(await account_routes.prefill(request))  # a signed-in person (« Mon espace »)
    return _page(request, "identity.html", motif=motif, values=values, errors={}, tz=c.tz,
                 when=_when(values["starts_at"], c))


def _when(text: str, c: Ctx) -> str:
    moment = _day(text)
    return notices.french_moment(moment.replace(tzinfo=moment.tzinfo or c.tz), c.tz) if moment else ""


@post("/motifs/{motif_id:str}/reserver")
async def book_page(request: R, motif_id: FromPath[str], data: Form) -> Template | Redirect:
    c, motif = await _motif(request, motif_id)
    values = {k: one(data, k) for k in ("starts_at", "lieu_id", "citizen_name", "citizen_email", "citizen_phone")}
    try:
        rdv = await public.book(c, motif, values)
    except SlotTaken as error:
        return await _slots_page(request, c, motif, _lieu(values["lieu_id"]), error.message, 409)
    except SocleError as error:
        return _page(request, "identity.html", status_code=422, motif=motif, values=values, errors=errors_of(error),
                     message=error.message, tz=c.tz, when=_when(values["starts_at"], c))
    return Redirect(f"{platform().organisation_public_url(platform().organisation(request).slug)}rdv/{rdv.token}"
                    "?confirme=1")


def _organisation_id(request: R) -> int:
    return int(platform().organisation(request).id)


async def _recap(request: R, token: str, message: str = "", status_code: int = 200) -> Template:
    c, rdv, motif = await public.by_token(_organisation_id(request), token)
    lieu = next((lieu for lieu in await config.list_lieux(c) if lieu.id == rdv.lieu), None)
    return _page(request, "recap.html", status_code=status_code, rdv=rdv, motif=motif, lieu=lieu,
                 when=notices.french_moment(rdv.starts_at, c.tz), message=message, status=STATUSES[rdv.status],
                 confirmed=request.query_params.get("confirme") == "1",
                 may_change=motif.users_may_change and rdv.status == "a_venir" and rdv.starts_at > public.now())


@get("/rdv/{token:str}")
async def recap_page(request: R, token: FromPath[str]) -> Template:
    return await _recap(request, token)


@post("/rdv/{token:str}/annuler")
async def cancel_page(request: R, token: FromPath[str]) -> Template:
    try:
        await public.cancel(_organisation_id(request), token)
    except SocleError as error:
        return await _recap(request, token, error.message, error.status_code)
    return await _recap(request, token, "Votre rendez-vous est annulé.")


@get("/rdv/{token:str}/deplacer")
async def move_page(request: R, token: FromPath[str]) -> Template:
    c, rdv, motif = await public.by_token(_organisation_id(request), token)
    return await _slots_page(request, c, motif, rdv.lieu, token=token)


@post("/rdv/{token:str}/deplacer")
async def move_submit(request: R, token: FromPath[str], data: Form) -> Template:
    try:
        await public.move(_organisation_id(request), token, one(data, "starts_at"))
    except SlotTaken as error:
        c, rdv, motif = await public.by_token(_organisation_id(request), token)
        return await _slots_page(request, c, motif, rdv.lieu, error.message, 409, token=token)
    except SocleError as error:
        return await _recap(request, token, error.message, error.status_code)
    return await _recap(request, token, "Votre rendez-vous a été déplacé.")


@post("/rdv/{token:str}/liste-attente")
async def waiting_list(request: R, token: FromPath[str], data: Form) -> Template:
    try:
        await public.join_waiting_list(_organisation_id(request), token, one(data, "wanted") == "1")
    except SocleError as error:
        return await _recap(request, token, error.message, error.status_code)
    return await _recap(request, token, "C'est noté : nous vous écrirons si un créneau plus tôt se libère.")


def _json_error(error: SocleError) -> Response[Any]:
    """Public JSON answers errors as the /api routes do: `{"detail", "errors": [{"field", "message"}]}`."""
    body = {"detail": error.message, "errors": [{"field": e.field, "message": e.message} for e in error.errors]}
    return Response(body, status_code=error.status_code, media_type="application/json")


@get("/api/motifs")
async def api_motifs(request: R) -> list[dict[str, Any]]:
    organisation = platform().organisation(request)
    rows = await public.open_motifs(organisation.id, platform().active_office_ids(request))
    keep = ("id", "name", "service_name", "duration_minutes", "modality", "description", "rgpd_text",
            "instructions_before", "min_delay_minutes", "max_delay_minutes", "users_may_change", "category")
    return [{k: row[k] for k in keep} for row in rows]


@get("/api/motifs/{motif_id:str}/slots")
async def api_slots(request: R, motif_id: FromPath[str]) -> Response[Any]:
    try:
        c, motif = await _motif(request, motif_id)
        start = _day(request.query_params.get("start"))
        found = await public.slots(c, motif, _lieu(request.query_params.get("lieu_id")),
                                   start.replace(tzinfo=start.tzinfo or c.tz) if start else None)
    except SocleError as error:
        return _json_error(error)
    return Response([{"starts_at": s.start, "ends_at": s.end, "lieu_id": s.lieu} for s in found])


@post("/api/rdvs", opt={"exclude_from_csrf": True})
async def api_book(request: R, data: JSONBody[CitizenBookingIn]) -> Response[Any]:
    try:
        c, motif = await _motif(request, str(data.motif_id))
        rdv = await public.book(c, motif, data.given())
    except SocleError as error:
        return _json_error(error)
    base = platform().settings.base_url + platform().organisation_public_url(platform().organisation(request).slug)
    return Response({**out(rdv, hide=("organisation", "token", "citizen_email", "citizen_phone", "notes", "member")),
                     "recap_url": f"{base}rdv/{rdv.token}"}, status_code=201)


ROUTES = [motifs_page, motif_page, slots_page, identity_page, book_page, recap_page, cancel_page, move_page,
          move_submit, waiting_list, api_motifs, api_slots, api_book]
