"""The "Réglages du module" page and API, mounted for each plugin whose MANIFEST declares a settings Struct.

`/offices/{office_id}/m/<id>/settings` (HTML) and `/api/v1/offices/{office_id}/m/<id>/settings` (GET, PUT;
GET …/settings/sources), behind the plugin's module guard (404 when the module is not active there or the
office is another organisation's); the service answers 403 below admin. When the Struct has PER_ORGANISATION
fields, `/config/m/<id>/settings` and `/api/v1/organisation/m/<id>/settings` hold the organisation's values.
Secrets never leave: responses carry their mask.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.auth.guards import CurrentActor
from core.errors import NotFound, ValidationFailed
from core.plugin_settings import secrets, services
from core.plugin_settings.fields import display_value, field_specs
from core.plugins.manager import PluginManager
from core.plugins.mount import PLUGIN_OPT, module_guard
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office
from core.web.shell import MenuItem, render

log = logging.getLogger("socle.plugin_settings")
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
MENU_LABEL = "Réglages du module"


def _office(request: Request[Any, Any, Any]) -> Office:
    office = request.scope.get("socle_office")  # type: ignore[call-overload]
    if office is None:
        raise NotFound()
    return office  # type: ignore[no-any-return]


def page_url(plugin_id: str, office_id: int) -> str:
    return f"/offices/{office_id}/m/{plugin_id}/settings"


def _key(request: Request[Any, Any, Any]) -> str:
    return request.app.state.settings.secret_key  # type: ignore[no-any-return]


def _fields(struct: type[msgspec.Struct], current: msgspec.Struct, sources: dict[str, str],
            submitted: dict[str, Any] | None) -> list[tuple[Any, Any, str]]:
    """(spec, shown value, source) per field of the form; a secret shows only its mask."""
    rows = []
    for spec in field_specs(struct):
        if spec.kind == "other":
            continue
        value = getattr(current, spec.attr)
        if spec.secret:
            shown = secrets.masked(value)
        elif submitted and spec.name in submitted:
            shown = submitted[spec.name]
        else:
            shown = display_value(spec, value)
        rows.append((spec, shown, sources.get(spec.name, "default")))
    return rows


def _body(raw: bytes) -> Any:
    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise ValidationFailed.on("body", "Le corps de la requête n'est pas un JSON valide.") from None


def _handlers(plugin_id: str, title: str, struct: type[msgspec.Struct]) -> tuple[list[Any], list[Any]]:
    shared = any(spec.organisation for spec in field_specs(struct))

    async def show(request: Request[Any, Any, Any], actor: Actor, errors: dict[str, str] | None = None,
                   submitted: dict[str, Any] | None = None) -> Template:
        office = _office(request)
        current = await services.read(struct, plugin_id, actor.organisation_id, office.id, key=_key(request))
        sources = await services.sources(struct, plugin_id, actor.organisation_id, office.id)
        return await render(request, actor, "plugin_settings/form.html", shell_office=office, office=office,
                            module_title=title, fields=_fields(struct, current, sources, submitted),
                            errors=errors or {}, scope="office", inherit_prefix=services.INHERIT_FIELD,
                            organisation_url=organisation_page_url(plugin_id) if shared else "",
                            action=page_url(plugin_id, office.id), status_code=422 if errors else 200)

    @get("/settings", name=f"{plugin_id}.settings_page")
    async def settings_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        actor.require(Role.admin)
        return await show(request, actor)

    @post("/settings", name=f"{plugin_id}.settings_submit")
    async def settings_submit(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Template | Redirect:
        office = _office(request)
        try:
            await services.save(actor, struct, plugin_id, office.id, services.form_values(struct, data),
                                key=_key(request), from_form=True)
        except ValidationFailed as error:
            return await show(request, actor, errors={e.field: e.message for e in error.errors},
                              submitted={k: v for k, v in data.items() if k != "_csrf_token"})
        flash(request, "Réglages enregistrés", category="success")
        return Redirect(page_url(plugin_id, office.id))

    @get("/settings", name=f"{plugin_id}.settings_read")
    async def read_settings(request: Request[Any, Any, Any], actor: CurrentActor) -> dict[str, Any]:
        actor.require(Role.admin)
        values = await services.read(struct, plugin_id, actor.organisation_id, _office(request).id,
                                     key=_key(request))
        return services.shown(struct, values)

    @get("/settings/sources", name=f"{plugin_id}.settings_sources")
    async def read_sources(request: Request[Any, Any, Any], actor: CurrentActor) -> dict[str, str]:
        """Where each value in force comes from: "office", "organisation" or "default"."""
        actor.require(Role.admin)
        return await services.sources(struct, plugin_id, actor.organisation_id, _office(request).id)

    @put("/settings", name=f"{plugin_id}.settings_write")
    async def write_settings(request: Request[Any, Any, Any], actor: CurrentActor) -> dict[str, Any]:
        actor.require(Role.admin)
        values = await services.save(actor, struct, plugin_id, _office(request).id, _body(await request.body()),
                                     key=_key(request))
        return services.shown(struct, values)

    return [settings_page, settings_submit], [read_settings, read_sources, write_settings]


def organisation_page_url(plugin_id: str) -> str:
    return f"/config/m/{plugin_id}/settings"


def _organisation_handlers(plugin_id: str, title: str, struct: type[msgspec.Struct]) -> tuple[list[Any], list[Any]]:
    """The organisation-wide values of PER_ORGANISATION fields (admins)."""
    shared = {spec.name for spec in field_specs(struct) if spec.organisation}

    async def show(request: Request[Any, Any, Any], actor: Actor, errors: dict[str, str] | None = None,
                   submitted: dict[str, Any] | None = None) -> Template:
        current = await services.read_organisation(struct, plugin_id, actor.organisation_id, key=_key(request))
        fields = [f for f in _fields(struct, current, {}, submitted) if f[0].name in shared]
        return await render(request, actor, "plugin_settings/form.html", module_title=title,
                            fields=fields, errors=errors or {}, scope="organisation", inherit_prefix="",
                            organisation_url="", action=organisation_page_url(plugin_id),
                            status_code=422 if errors else 200)

    @get("/", name=f"{plugin_id}.organisation_settings_page")
    async def page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        actor.require(Role.admin)
        return await show(request, actor)

    @post("/", name=f"{plugin_id}.organisation_settings_submit")
    async def submit(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Template | Redirect:
        values = {k: v for k, v in services.form_values(struct, data).items() if k in shared}
        try:
            await services.save_organisation(actor, struct, plugin_id, values, key=_key(request), from_form=True)
        except ValidationFailed as error:
            return await show(request, actor, errors={e.field: e.message for e in error.errors},
                              submitted={k: v for k, v in data.items() if k != "_csrf_token"})
        flash(request, "Réglages communs enregistrés", category="success")
        return Redirect(organisation_page_url(plugin_id))

    @get("/", name=f"{plugin_id}.organisation_settings_read")
    async def read(request: Request[Any, Any, Any], actor: CurrentActor) -> dict[str, Any]:
        actor.require(Role.admin)
        values = await services.read_organisation(struct, plugin_id, actor.organisation_id, key=_key(request))
        return {k: v for k, v in services.shown(struct, values).items() if k in shared}

    @put("/", name=f"{plugin_id}.organisation_settings_write")
    async def write(request: Request[Any, Any, Any], actor: CurrentActor) -> dict[str, Any]:
        actor.require(Role.admin)
        values = await services.save_organisation(actor, struct, plugin_id, _body(await request.body()),
                                                  key=_key(request))
        return {k: v for k, v in services.shown(struct, values).items() if k in shared}

    return [page, submit], [read, write]


def settings_routers(manager: PluginManager) -> list[Router]:
    """Page and API routers for every healthy plugin that declares a settings Struct."""
    routers = []
    for record in manager.healthy():
        declared = record.manifest.settings if record.manifest else None
        struct = services.settings_type(declared)
        if struct is None or record.manifest is None:
            if declared is not None:
                log.error("plugin %s: MANIFEST.settings ignoré (une classe msgspec.Struct dont chaque champ a une "
                          "valeur par défaut est attendue)", record.id)
            continue
        pages, api = _handlers(record.id, record.manifest.title, struct)
        for prefix, handlers, schema in (("/offices/{office_id:str}/m/%s", pages, False),
                                         ("/api/v1/offices/{office_id:str}/m/%s", api, True)):
            routers.append(Router(prefix % record.id, route_handlers=handlers, guards=[module_guard],
                                  opt={PLUGIN_OPT: record.id}, include_in_schema=schema, tags=[record.id]))
        if any(spec.organisation for spec in field_specs(struct)):
            pages, api = _organisation_handlers(record.id, record.manifest.title, struct)
            routers += [Router(organisation_page_url(record.id), route_handlers=pages, include_in_schema=False),
                        Router(f"/api/v1/organisation/m/{record.id}/settings", route_handlers=api,
                               tags=[record.id])]
    return routers


def menu_provider(manager: PluginManager) -> Any:
    """For admins: a "Réglages du module" entry per module with settings active in the current office."""
    async def provide(request: Request[Any, Any, Any], actor: Actor, office: Any) -> list[MenuItem]:
        if office is None or not actor.role.at_least(Role.admin):
            return []
        active = await manager.active_ids(office.id)
        return [MenuItem(f"{MENU_LABEL} — {r.title}", page_url(r.id, office.id)) for r in manager.healthy()
                if r.id in active and r.manifest and services.settings_type(r.manifest.settings)]

    return provide
