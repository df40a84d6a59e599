"""Plugin routes, menus and widgets plugged into the Litestar app at start-up, gated per office.

Every healthy plugin's routers are mounted once; a guard then answers 404 when the module is not active
for the office in the path (or the office is not the caller's) and 403 when the member's role is below
the permission the handler declares in `opt={"permission": "<plugin id>.<action>"}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader
from litestar.handlers.base import BaseRouteHandler
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp, Receive, Scope, Send

from core import request_memo
from core.auth.guards import current_actor
from core.errors import Forbidden, NotAuthenticated, NotFound, SocleError, Unavailable
from core.grants.services import has_grant
from core.plugins.manager import PluginManager
from core.plugins.records import PluginStatus
from core.tenancy import services as tenancy
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office
from core.validation import MAX_ID, check_id
from core.web.shell import MenuItem

NEEDS_MIGRATION_ADMIN = "Le module doit être mis à jour : socle migrate"
NEEDS_MIGRATION_MEMBER = ("Ce module est en cours de mise à jour et momentanément indisponible : "
                          "prévenez un administrateur.")
NEEDS_MIGRATION_PUBLIC = "Ce service est momentanément indisponible."
PLUGIN_OPT = "socle_plugin"
PUBLIC_OPT = "socle_public"
ORG_PUBLIC_OPT = "socle_org_public"


def _manager(connection: ASGIConnection[Any, Any, Any, Any]) -> PluginManager:
    return connection.app.state.plugins  # type: ignore[no-any-return]


def remember_reads(app: ASGIApp) -> ASGIApp:
    """Plugin routes read an office's active modules and the organisation's details once per request (the
    gate, `validate_booking`, the booking's events and its email asked up to three times): core.request_memo."""

    async def remembered(scope: Scope, receive: Receive, send: Send) -> None:
        with request_memo.remembering():
            await app(scope, receive, send)

    return remembered


async def module_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    manager = _manager(connection)
    plugin_id = handler.opt[PLUGIN_OPT]
    office_id = connection.path_params.get("office_id")
    actor: Actor | None = None
    if handler.opt.get(ORG_PUBLIC_OPT):
        await _organisation_guard(connection, manager, plugin_id)
        return
    if handler.opt.get(PUBLIC_OPT):
        office = await _public_office(office_id)
        await check_public(int(office.organisation))  # type: ignore[arg-type]
    else:
        actor = await current_actor(connection)
        if actor is None:
            raise NotAuthenticated()
        if connection.url.path.startswith("/api/"):
            office_id = check_id("office_id", office_id)  # the API names a malformed id (422); pages say 404
        office = await tenancy.get_office(actor, office_id)
    if not await manager.is_active(plugin_id, office.id):
        raise await _inactive(manager, plugin_id, office.id, actor)
    permission = handler.opt.get("permission")
    if permission and actor is not None:
        declared = manager.permissions.get(permission)
        if declared is None or not declared.name.startswith(plugin_id + "."):
            raise NotFound()  # a handler naming an undeclared permission is closed, not open
        actor.require(declared.role)
        if declared.granted and not await has_grant(actor, declared.name):
            raise Forbidden("Ce droit doit vous être accordé par le gérant de l'organisation.")
    connection.scope["socle_office"] = office  # type: ignore[typeddict-unknown-key]


async def _inactive(manager: PluginManager, plugin_id: str, office_id: int, actor: Actor | None) -> SocleError:
    """Not active → 404; activated but waiting for its migrations → 503 saying what to do (to admins)."""
    from core.modules.activation import is_active

    record = manager.record(plugin_id)
    if record is not None and record.status is PluginStatus.needs_migration and await is_active(office_id, plugin_id):
        if actor is None:
            return Unavailable(NEEDS_MIGRATION_PUBLIC)
        return Unavailable(NEEDS_MIGRATION_ADMIN if actor.role.at_least(Role.admin) else NEEDS_MIGRATION_MEMBER)
    return NotFound("Ce module n'est pas activé pour ce bureau.")


async def _organisation_guard(connection: ASGIConnection[Any, Any, Any, Any], manager: PluginManager,
                              plugin_id: str) -> None:
    from core.modules.activation import active_by_office
    from core.plugin_api.data import organisation_by_slug

    organisation = await organisation_by_slug(str(connection.path_params.get("slug", "")))
    await check_public(organisation.id)
    offices = [office for office, modules in (await active_by_office(organisation.id)).items()
               if plugin_id in modules]
    record = manager.record(plugin_id)
    if offices and record is not None and record.status is PluginStatus.needs_migration:
        raise Unavailable(NEEDS_MIGRATION_PUBLIC)
    if not offices or plugin_id not in manager.healthy_ids():
        raise NotFound("Ce service n'est pas proposé par cette organisation.")
    connection.scope["socle_organisation"] = organisation  # type: ignore[typeddict-unknown-key]
    connection.scope["socle_active_offices"] = sorted(offices)  # type: ignore[typeddict-unknown-key]


async def check_public(organisation_id: int) -> None:
    """A suspended organisation's public pages say the service is unavailable (core.operators.suspension)."""
    from core.operators.suspension import check_public as check

    await check(organisation_id)


async def _public_office(office_id: Any) -> Office:
    try:
        wanted = int(office_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    office = await Office.objects().where(Office.id == wanted).first() if 1 <= wanted <= MAX_ID else None
    if office is None:
        raise NotFound()
    return office


def plugin_routers(manager: PluginManager) -> list[Router]:
    """Routers for every healthy plugin: pages, API and public routes under their office prefix."""
    routers: list[Router] = []
    mounts = [("register_routes", "/offices/{office_id:str}/m/%s", {}),
              ("register_api_routes", "/api/v1/offices/{office_id:str}/m/%s", {}),
              ("register_public_routes", "/public/offices/{office_id:str}/m/%s", {PUBLIC_OPT: True}),
              ("register_organisation_public_routes", "/public/o/{slug:str}/m/%s", {ORG_PUBLIC_OPT: True})]
    for hook, prefix, extra in mounts:
        for plugin_id, handlers in manager.call_sync(hook):
            if not handlers:
                continue
            # the OpenAPI document has the API and the public JSON routes (an /api/ segment), not the pages
            groups: dict[bool, list[Any]] = {True: [], False: []}
            for handler in handlers:
                public_json = hook != "register_routes" and any(p.startswith("/api/") for p in handler.paths)
                groups[hook == "register_api_routes" or public_json].append(handler)
            for in_schema, group in groups.items():
                if group:
                    routers.append(Router(prefix % plugin_id, route_handlers=group, guards=[module_guard],
                                          middleware=[remember_reads],
                                          opt={PLUGIN_OPT: plugin_id, **extra}, include_in_schema=in_schema,
                                          tags=[plugin_id]))
    return routers


STATIC_MAX_AGE = 24 * 3600


def static_routers(manager: PluginManager) -> list[Router]:
    """Each healthy plugin's `static/` folder (next to its hooks module) at `/static/m/<id>/`, cached a day.
    Not gated: CSS, scripts and images a page or an email of the module links to."""
    routers = []
    for record in manager.healthy():
        if record.module is None or not record.module.__file__:
            continue
        folder = Path(record.module.__file__).parent / "static"
        if folder.is_dir():
            routers.append(create_static_files_router(
                path=f"/static/m/{record.id}", directories=[folder], name=f"{record.id}.static",
                cache_control=CacheControlHeader(max_age=STATIC_MAX_AGE, public=True), include_in_schema=False))
    return routers


def menu_provider(manager: PluginManager) -> Any:
    async def provide(request: Request[Any, Any, Any], actor: Actor, office: Office | None) -> list[MenuItem]:
        if office is None:
            return []
        results = await manager.call_for_office("register_menu_items", office.id, request=request, actor=actor,
                                                office=office)
        return [item for _, items in results for item in items if isinstance(item, MenuItem)]

    return provide


def dashboard_provider(manager: PluginManager) -> Any:
    async def provide(request: Request[Any, Any, Any], actor: Actor) -> list[Any]:
        from core.web.shell import current_office

        office = current_office(request, await tenancy.visible_offices(actor))
        if office is None:
            return []
        results = await manager.call_for_office("register_dashboard_widgets", office.id, request=request,
                                                actor=actor, office=office)
        return [widget for _, widgets in results for widget in widgets]

    return provide


def office_modules(manager: PluginManager) -> Any:
    """For /api/v1/offices: {office_id: active module ids} (mounted modules: healthy or waiting for migrations)."""
    from core.modules.activation import active_by_office

    async def provide(organisation_id: int) -> dict[int, list[str]]:
        healthy = manager.mounted_ids()
        return {office: [m for m in modules if m in healthy]
                for office, modules in (await active_by_office(organisation_id)).items()}

    return provide


def offices_with_modules(manager: PluginManager) -> Any:
    """For GET /api/v1/offices: the actor's offices with their active module ids (mounted modules: healthy, or
    activated but blocked until `socle migrate`, whose routes answer 503)."""
    from core.modules.activation import visible_offices_with_modules

    async def provide(actor: Actor) -> list[tuple[tenancy.OfficeInfo, list[str]]]:
        return await visible_offices_with_modules(actor, manager.is_mounted)

    return provide
