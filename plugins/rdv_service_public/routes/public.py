"""Citizen pages and JSON under /public/o/{slug}/m/rdv_service_public/ (no login; one URL per organisation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Redirect, Template

from core.plugin_api import FIRST_YEAR, LAST_YEAR, Moment, OptionalQueryId, PathId, SocleError
from plugins.rdv_service_public.routes import account as account_routes
from plugins.rdv_service_public.routes.forms import Form, errors_of, one
from plugins.rdv_service_public.runtime import platform
from plugins.rdv_service_public.schemas import CitizenBookingIn, out
from plugins.rdv_service_public.services import config, notices, public, weeks
from plugins.rdv_service_public.services.booking import STATUSES, SlotTaken
from plugins.rdv_service_public.services.common import Ctx

R = Request[Any, Any, Any]
DAYS = notices.DAYS


async def _page(request: R, template: str, status_code: int = 200, **context: Any) -> Template:
    organisation = platform().organisation(request)
    base = platform().organisation_public_url(organisation.slug, "")
    shown = context.get("rdv") or context.get("motif")
    office_id = getattr(shown, "office", None) or next(iter(platform().active_office_ids(request)), None)
    head = await platform().slot(request, office_id, "public_head", page=template.removesuffix(".html"))
    return Template(f"rdv_service_public/public/{template}", status_code=status_code,
                    context={"organisation": organisation, "base": base, "module_head": head, **context})


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
    return await _page(request, "motifs.html", motifs=motifs, messages=messages)


@get("/motifs/{motif_id:str}")
async def motif_page(request: R, motif_id: FromPath[str]) -> Template | Redirect:
    c, motif = await _motif(request, motif_id)
    lieux = await public.lieux(c, motif)
    return await _page(request, "lieux.html", motif=motif, lieux=lieux)


def _day(text: str | None) -> datetime | None:
    """A date from a page's query string; anything unreadable or out of range is ignored (pages only)."""
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment if moment is None or FIRST_YEAR <= moment.year <= LAST_YEAR else None


async def _lieu_of(c: Ctx, lieu_id: int | None) -> Any:
    return next((lieu for lieu in await config.list_lieux(c) if lieu.id == lieu_id), None) if lieu_id else None


async def _slots_page(request: R, c: Ctx, motif: Any, lieu_id: int | None, message: str = "",
                      status_code: int = 200, token: str = "") -> Template:
    """A week of free slots (the nearest first), with links to the previous and next weeks."""
    wanted = _day(request.query_params.get("start"))
    shown = await weeks.week(c, motif, lieu_id, wanted.date() if wanted else None)
    page = f"/rdv/{token}/deplacer" if token else f"/motifs/{motif.id}/creneaux"
    lieu_query = f"&lieu_id={lieu_id}" if lieu_id and not token else ""
    return await _page(request, "slots.html", status_code=status_code, motif=motif, lieu_id=lieu_id, week=shown,
                 lieu=await _lieu_of(c, lieu_id), day_names=DAYS, tz=c.tz, message=message, token=token,
                 page=page, lieu_query=lieu_query)


def _lieu(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@get("/motifs/{motif_id:str}/creneaux")
async def slots_page(request: R, motif_id: FromPath[str]) -> Template:
    c, motif = await _motif(request, motif_id)
    return await _slots_page(request, c, motif, _lieu(request.query_params.get("lieu_id")))


async def _identity(request: R, c: Ctx, motif: Any, values: dict[str, str], errors: dict[str, str] | None = None,
                    message: str = "", status_code: int = 200) -> Template:
    moment = _day(values.get("starts_at"))
    return await _page(request, "identity.html", status_code=status_code, motif=motif, values=values,
                       errors=errors or {}, message=message, tz=c.tz, when=_when(values.get("starts_at", ""), c),
                 lieu=await _lieu_of(c, _lieu(values.get("lieu_id"))),
                 week_of=moment.date().isoformat() if moment else "")


@get("/motifs/{motif_id:str}/reserver")
async def identity_page(request: R, motif_id: FromPath[str]) -> Template:
    c, motif = await _motif(request, motif_id)
    values = {k: request.query_params.get(k, "") for k in ("starts_at", "lieu_id")}
    values.update(await account_routes.prefill(request))  # a signed-in person (« Mon espace »)
    return await _identity(request, c, motif, values)


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
        # The errors are shown next to their fields; the banner only says there are some.
        return await _identity(request, c, motif, values, errors_of(error), status_code=422,
                               message="" if error.errors else error.message)
    return Redirect(_recap_url(request, rdv.token, "confirme"), status_code=303)


DONE = {"annule": "Votre rendez-vous est annulé.", "deplace": "Votre rendez-vous a été déplacé.",
        "attente": "C'est noté : nous vous écrirons si un créneau plus tôt se libère.",
        "sans-attente": "C'est noté : vous ne serez plus prévenu(e)."}


def _recap_url(request: R, token: str, done: str = "") -> str:
    """The recap page, where every POST ends (a refresh never resubmits)."""
    base = platform().organisation_public_url(platform().organisation(request).slug, f"/rdv/{token}")
    return base + (f"?fait={done}" if done else "")


def _organisation_id(request: R) -> int:
    return int(platform().organisation(request).id)


async def _recap(request: R, token: str, message: str = "", status_code: int = 200) -> Template:
    c, rdv, motif = await public.by_token(_organisation_id(request), token)
    lieu = await _lieu_of(c, rdv.lieu)
    done = request.query_params.get("fait", "")
    return await _page(request, "recap.html", status_code=status_code, rdv=rdv, motif=motif, lieu=lieu,
                 when=notices.french_moment(rdv.starts_at, c.tz), message=message, status=STATUSES[rdv.status],
                 notice=DONE.get(done, ""), confirmed=done == "confirme",
                 may_change=motif.users_may_change and rdv.status == "a_venir" and rdv.starts_at > public.now())


@get("/rdv/{token:str}")
async def recap_page(request: R, token: FromPath[str]) -> Template:
    return await _recap(request, token)


@get(["/rdv/{token:str}/annuler", "/rdv/{token:str}/liste-attente"])
async def back_to_recap(request: R, token: FromPath[str]) -> Redirect:
    """A bookmarked or refreshed action URL leads back to the appointment."""
    return Redirect(_recap_url(request, token))


@post("/rdv/{token:str}/annuler")
async def cancel_page(request: R, token: FromPath[str]) -> Template | Redirect:
    try:
        await public.cancel(_organisation_id(request), token)
    except SocleError as error:
        return await _recap(request, token, error.message, error.status_code)
    return Redirect(_recap_url(request, token, "annule"), status_code=303)


@get("/rdv/{token:str}/deplacer")
async def move_page(request: R, token: FromPath[str]) -> Template:
    c, rdv, motif = await public.by_token(_organisation_id(request), token)
    return await _slots_page(request, c, motif, rdv.lieu, token=token)


@post("/rdv/{token:str}/deplacer")
async def move_submit(request: R, token: FromPath[str], data: Form) -> Template | Redirect:
    try:
        await public.move(_organisation_id(request), token, one(data, "starts_at"))
    except SlotTaken as error:
        c, rdv, motif = await public.by_token(_organisation_id(request), token)
        return await _slots_page(request, c, motif, rdv.lieu, error.message, 409, token=token)
    except SocleError as error:
        return await _recap(request, token, error.message, error.status_code)
    return Redirect(_recap_url(request, token, "deplace"), status_code=303)


@post("/rdv/{token:str}/liste-attente")
async def waiting_list(request: R, token: FromPath[str], data: Form) -> Template | Redirect:
    wanted = one(data, "wanted") == "1"
    try:
        await public.join_waiting_list(_organisation_id(request), token, wanted)
    except SocleError as error:
        return await _recap(request, token, error.message, error.status_code)
    return Redirect(_recap_url(request, token, "attente" if wanted else "sans-attente"), status_code=303)


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
async def api_slots(request: R, motif_id: PathId, start: FromQuery[Moment | None] = None,
                    lieu_id: OptionalQueryId = None) -> Response[Any]:
    try:
        c, motif = await _motif(request, str(motif_id))
        found = await public.slots(c, motif, lieu_id, start.replace(tzinfo=start.tzinfo or c.tz) if start else None)
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


ROUTES = [motifs_page, motif_page, slots_page, identity_page, book_page, recap_page, back_to_recap, cancel_page,
          move_page,
          move_submit, waiting_list, api_motifs, api_slots, api_book]
