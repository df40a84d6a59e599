"""Configuration pages (administrators only: the guard answers 403 to basic agents)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, SocleError, data
from plugins.rdv_service_public.routes.forms import UNITS, Form, errors_of, many, minutes_of, one, split_minutes
from plugins.rdv_service_public.runtime import ctx, platform
from plugins.rdv_service_public.services import agents, config, guichets, motifs
from plugins.rdv_service_public.services.common import ids
from plugins.rdv_service_public.tables import Motif

R = Request[Any, Any, Any]
CONFIGURE = {"permission": "rdv_service_public.configure"}


def _back(request: R) -> Redirect:
    return Redirect(platform().office_url(platform().office(request).id, "/config"))


def _failed(request: R, error: SocleError) -> None:
    flash(request, " ".join([error.message] + [e.message for e in error.errors if e.message != error.message]),
          category="error")


@get("/config", opt=CONFIGURE)
async def config_page(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    org = await data.organisation(c.organisation_id)
    return await platform().render(
        request, actor, "rdv_service_public/config.html", services=await config.list_services(c),
        motifs=await motifs.list_motifs(c), lieux=await config.list_lieux(c), guichets=await guichets.list_guichets(c),
        agents=await agents.list_agents(c), ids=ids, modalities=motifs.MODALITIES,
        public_url=platform().settings.base_url + platform().organisation_public_url(org.slug, "/"),
        base=platform().office_url(c.office_id, ""))


@post("/config/services", opt=CONFIGURE)
async def add_service(request: R, actor: CurrentActor, data: Form) -> Redirect:
    try:
        service = await config.save_service(ctx(request, actor), {"name": one(data, "name")})
        flash(request, f"Service « {service.name} » créé.", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


@post("/config/lieux", opt=CONFIGURE)
async def add_lieu(request: R, actor: CurrentActor, data: Form) -> Redirect:
    try:
        lieu = await config.save_lieu(ctx(request, actor), {k: one(data, k) for k in ("name", "address", "phone")})
        flash(request, f"Lieu « {lieu.name} » créé.", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


@post("/config/services/{item_id:str}", opt=CONFIGURE)
async def edit_service(request: R, actor: CurrentActor, item_id: FromPath[str], data: Form) -> Redirect:
    try:
        service = await config.save_service(ctx(request, actor), {"name": one(data, "name")}, item_id)
        flash(request, f"Service « {service.name} » enregistré.", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


@post("/config/lieux/{item_id:str}", opt=CONFIGURE)
async def edit_lieu(request: R, actor: CurrentActor, item_id: FromPath[str], data: Form) -> Redirect:
    try:
        lieu = await config.save_lieu(ctx(request, actor), {k: one(data, k) for k in ("name", "address", "phone")},
                                      item_id)
        flash(request, f"Lieu « {lieu.name} » enregistré.", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


@post("/config/guichets", opt=CONFIGURE)
async def add_guichet(request: R, actor: CurrentActor, data: Form) -> Redirect:
    values = {"name": one(data, "name"), "capacity": one(data, "capacity") or 1, "motif_ids": many(data, "motif_ids")}
    try:
        guichet = await guichets.save(ctx(request, actor), values)
        flash(request, f"Guichet « {guichet.name} » enregistré (capacité {guichet.capacity}).", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


@post("/config/guichets/{item_id:str}", opt=CONFIGURE)
async def edit_guichet(request: R, actor: CurrentActor, item_id: FromPath[str], data: Form) -> Redirect:
    values = {"name": one(data, "name"), "capacity": one(data, "capacity") or 1, "motif_ids": many(data, "motif_ids")}
    try:
        guichet = await guichets.save(ctx(request, actor), values, item_id)
        flash(request, f"Guichet « {guichet.name} » enregistré (capacité {guichet.capacity}).", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


@post("/config/guichets/{item_id:str}/delete", opt=CONFIGURE)
async def remove_guichet(request: R, actor: CurrentActor, item_id: FromPath[str]) -> Redirect:
    try:
        await guichets.delete(ctx(request, actor), item_id)
        flash(request, "Guichet supprimé.", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


@post("/config/agents/{member_id:str}/services", opt=CONFIGURE)
async def agent_services(request: R, actor: CurrentActor, member_id: FromPath[str], data: Form) -> Redirect:
    try:
        await agents.set_services(ctx(request, actor), member_id, many(data, "service_ids"))
        flash(request, "Services de l'agent enregistrés.", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


async def _motif_form(request: R, actor: Any, values: dict[str, Any], motif: Motif | None,
                      error: SocleError | None = None) -> Template:
    c = ctx(request, actor)
    return await platform().render(
        request, actor, "rdv_service_public/motif_form.html", values=values, motif=motif,
        services=await config.list_services(c), modalities=motifs.MODALITIES, categories=motifs.CATEGORIES,
        errors=errors_of(error) if error else {}, message=error.message if error else "",
        base=platform().office_url(c.office_id, ""), status_code=422 if error else 200, split=split_minutes,
        units=list(UNITS))


@get("/config/motifs/new", opt=CONFIGURE)
async def new_motif(request: R, actor: CurrentActor) -> Template:
    return await _motif_form(request, actor, {"duration_minutes": 30, "min_delay_minutes": 30,
                                              "max_delay_minutes": 60 * 24 * 60, "color": "#1f6feb"}, None)


@get("/config/motifs/{item_id:str}", opt=CONFIGURE)
async def edit_motif(request: R, actor: CurrentActor, item_id: FromPath[str]) -> Template:
    motif = await ctx(request, actor).get(Motif, item_id, "Ce motif n'existe pas.")
    values = {f: getattr(motif, f) for f in motifs.FIELDS if f != "service_id"} | {"service_id": motif.service}
    return await _motif_form(request, actor, values, motif)


def _motif_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {f: one(data, f) for f in motifs.FIELDS}
    for flag in ("online", "users_may_change", "collective"):
        values[flag] = one(data, flag) == "on"
    values["category"] = values["category"] or None
    values["min_delay_minutes"] = minutes_of(data, "min_delay")
    values["max_delay_minutes"] = minutes_of(data, "max_delay")
    return values


@post("/config/motifs/new", opt=CONFIGURE)
async def create_motif(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    values = _motif_values(data)
    try:
        motif = await motifs.save(ctx(request, actor), values)
    except SocleError as error:
        return await _motif_form(request, actor, values, None, error)
    flash(request, f"Motif « {motif.name} » créé.", category="success")
    return _back(request)


@post("/config/motifs/{item_id:str}", opt=CONFIGURE)
async def update_motif(request: R, actor: CurrentActor, item_id: FromPath[str], data: Form) -> Template | Redirect:
    values = _motif_values(data)
    try:
        motif = await motifs.save(ctx(request, actor), values, item_id)
    except SocleError as error:
        return await _motif_form(request, actor, values, await ctx(request, actor).get(Motif, item_id), error)
    flash(request, f"Motif « {motif.name} » enregistré.", category="success")
    return _back(request)


@post("/config/motifs/{item_id:str}/delete", opt=CONFIGURE)
async def delete_motif(request: R, actor: CurrentActor, item_id: FromPath[str]) -> Redirect:
    try:
        await motifs.delete(ctx(request, actor), item_id)
        flash(request, "Motif supprimé.", category="success")
    except SocleError as error:
        _failed(request, error)
    return _back(request)


ROUTES = [config_page, add_service, edit_service, add_lieu, edit_lieu,
          add_guichet, edit_guichet, remove_guichet, agent_services, new_motif, edit_motif,
          create_motif, update_motif, delete_motif]
