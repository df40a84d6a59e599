"""The "Réglages du module" page and API, mounted for each plugin whose MANIFEST declares a settings Struct.

`/offices/{office_id}/m/<id>/settings` (HTML) and `/api/v1/offices/{office_id}/m/<id>/settings` (GET, PUT),
behind the plugin's module guard (404 when the module is not active there or the office is another
organisation's); the service answers 403 below admin.
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
from core.plugin_settings import services
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


def _handlers(plugin_id: str, title: str, struct: type[msgspec.Struct]) -> tuple[list[Any], list[Any]]:
    async def show(request: Request[Any, Any, Any], actor: Actor, errors: dict[str, str] | None = None,
                   submitted: dict[str, Any] | None = None) -> Template:
        office = _office(request)
        current = await services.read(struct, plugin_id, actor.organisation_id, office.id)
        fields = [(spec, submitted[spec.name] if submitted and spec.name in submitted
                   else display_value(spec, getattr(current, spec.attr))) for spec in field_specs(struct)]
        return await render(request, actor, "plugin_settings/form.html", shell_office=office, office=office,
                            module_title=title,
                            fields=[f for f in fields if f[0].kind != "other"], errors=errors or {},
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
                                from_form=True)
        except ValidationFailed as error:
            return await show(request, actor, errors={e.field: e.message for e in error.errors},
                              submitted={k: v for k, v in data.items() if k != "_csrf_token"})
        flash(request, "Réglages enregistrés", category="success")
        return Redirect(page_url(plugin_id, office.id))

    @get("/settings", name=f"{plugin_id}.settings_read")
    async def read_settings(request: Request[Any, Any, Any], actor: CurrentActor) -> dict[str, Any]:
        actor.require(Role.admin)
        values = await services.read(struct, plugin_id, actor.organisation_id, _office(request).id)
        return msgspec.to_builtins(values)  # type: ignore[no-any-return]

    @put("/settings", name=f"{plugin_id}.settings_write")
    async def write_settings(request: Request[Any, Any, Any], actor: CurrentActor) -> dict[str, Any]:
        actor.require(Role.admin)
        try:
            body = msgspec.json.decode(await request.body())
        except msgspec.DecodeError:
            raise ValidationFailed.on("body", "Le corps de la requête n'est pas un JSON valide.") from None
        values = await services.save(actor, struct, plugin_id, _office(request).id, body)
        return msgspec.to_builtins(values)  # type: ignore[no-any-return]

    return [settings_page, settings_submit], [read_settings, write_settings]


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
