"""« Fournisseurs » of an office: which provider it uses per kind and that provider's settings (admins).

Pages `/offices/{office_id}/providers` and `/offices/{office_id}/providers/{kind}`; API `GET
/api/v1/offices/{office_id}/providers`, `GET`/`PUT /api/v1/offices/{office_id}/providers/{kind}`. Another
organisation's office, or a kind not offered there, answers 404; secrets are masked.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Router, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.auth.guards import CurrentActor, authenticated
from core.errors import ValidationFailed
from core.plugin_settings import services as plugin_settings
from core.plugin_settings.routes import _fields
from core.providers import services
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office
from core.web.params import PathId
from core.web.shell import render

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def page_url(office_id: int, kind: str = "") -> str:
    return f"/offices/{office_id}/providers" + (f"/{kind}" if kind else "")


def _ctx(request: Request[Any, Any, Any]) -> tuple[Any, Any, str]:
    manager = request.app.state.plugins
    return manager.providers(), manager, request.app.state.settings.secret_key


async def _describe(request: Request[Any, Any, Any], actor: Actor, office_id: int, kind_key: str) -> dict[str, Any]:
    registry, manager, key = _ctx(request)
    office, kind, active = await services.office_kind(registry, manager, actor, office_id, kind_key)
    provider = services.current(kind, active, await services.choices(actor.organisation_id, office.id))
    values = await services.provider_settings(provider, actor.organisation_id, office.id, key=key) if provider \
        else None
    return services.describe(kind, provider, services.available(kind, active), values)


@get("/offices/{office_id:str}/providers", summary="Les fournisseurs d'un bureau, par type (administrateurs)")
async def list_providers(request: Request[Any, Any, Any], actor: CurrentActor,
                         office_id: PathId) -> list[dict[str, Any]]:
    actor.require(Role.admin)
    registry, manager, _ = _ctx(request)
    office = await actor.scope.get(Office, office_id)
    active = await manager.active_ids(office.id)
    return [await _describe(request, actor, office.id, kind.spec.key) for kind in services.kinds_for(registry, active)]


@get("/offices/{office_id:str}/providers/{kind:str}", summary="Le fournisseur d'un bureau pour un type")
async def read_provider(request: Request[Any, Any, Any], actor: CurrentActor, office_id: PathId,
                        kind: FromPath[str]) -> dict[str, Any]:
    actor.require(Role.admin)
    return await _describe(request, actor, office_id, kind)


@put("/offices/{office_id:str}/providers/{kind:str}",
     summary="Choisir le fournisseur d'un bureau pour un type, et ses réglages")
async def write_provider(request: Request[Any, Any, Any], actor: CurrentActor, office_id: PathId,
                         kind: FromPath[str]) -> dict[str, Any]:
    registry, manager, key = _ctx(request)
    await actor.scope.get(Office, office_id)  # another organisation's office: 404 before the body is read
    try:
        body = msgspec.json.decode(await request.body())
    except msgspec.DecodeError:
        raise ValidationFailed.on("body", "Le corps de la requête n'est pas un JSON valide.") from None
    if not isinstance(body, dict) or not isinstance(body.get("provider", ""), str | None) \
            or not isinstance(body.get("settings") or {}, dict):
        raise ValidationFailed.on("body", "Un objet {\"provider\": \"…\", \"settings\": {…}} est attendu.")
    await services.choose(registry, manager, actor, office_id, kind, body.get("provider"), body.get("settings"),
                          key=key)
    return await _describe(request, actor, office_id, kind)


async def _page(request: Request[Any, Any, Any], actor: Actor, office_id: int, kind_key: str,
                errors: dict[str, str] | None = None, submitted: dict[str, Any] | None = None) -> Template:
    registry, manager, key = _ctx(request)
    office, kind, active = await services.office_kind(registry, manager, actor, office_id, kind_key)
    provider = services.current(kind, active, await services.choices(actor.organisation_id, office.id))
    struct = plugin_settings.settings_type(provider.settings) if provider else None
    fields = []
    if provider and struct:
        values = await services.provider_settings(provider, actor.organisation_id, office.id, key=key)
        fields = _fields(struct, values, {}, submitted)
    return await render(request, actor, "providers/kind.html", office=office, kind=kind, provider=provider,
                        offered=services.available(kind, active), fields=fields, errors=errors or {},
                        action=page_url(office.id, kind.spec.key), status_code=422 if errors else 200)


@get("/offices/{office_id:int}/providers", name="providers.index")
async def index_page(request: Request[Any, Any, Any], actor: CurrentActor, office_id: FromPath[int]) -> Template:
    actor.require(Role.admin)
    registry, manager, _ = _ctx(request)
    office = await actor.scope.get(Office, office_id)
    active = await manager.active_ids(office.id)
    chosen = await services.choices(actor.organisation_id, office.id)
    rows = [(kind, services.current(kind, active, chosen)) for kind in services.kinds_for(registry, active)]
    return await render(request, actor, "providers/index.html", office=office, rows=rows)


@get("/offices/{office_id:int}/providers/{kind:str}", name="providers.kind")
async def kind_page(request: Request[Any, Any, Any], actor: CurrentActor, office_id: FromPath[int],
                    kind: FromPath[str]) -> Template:
    actor.require(Role.admin)
    return await _page(request, actor, office_id, kind)


@post("/offices/{office_id:int}/providers/{kind:str}", name="providers.submit")
async def kind_submit(request: Request[Any, Any, Any], actor: CurrentActor, office_id: FromPath[int],
                      kind: FromPath[str], data: Form) -> Template | Redirect:
    registry, manager, key = _ctx(request)
    office, found, active = await services.office_kind(registry, manager, actor, office_id, kind)
    chosen = await services.choices(actor.organisation_id, office.id)
    before = services.current(found, active, chosen)
    provider_key = str(data.get("provider") or "")
    struct = plugin_settings.settings_type(before.settings) if before else None
    # settings are those of the provider shown on the page: saved only when it stays the chosen one
    values = plugin_settings.form_values(struct, data) if struct and before and provider_key == before.key else None
    try:
        await services.choose(registry, manager, actor, office.id, kind, provider_key, values, key=key,
                              from_form=True)
    except ValidationFailed as error:
        return await _page(request, actor, office.id, kind, errors={e.field: e.message for e in error.errors},
                           submitted={k: v for k, v in data.items() if k != "_csrf_token"})
    flash(request, "Fournisseur enregistré", category="success")
    return Redirect(page_url(office.id, kind))


ROUTES: list[Any] = [
    Router("/api/v1", route_handlers=[list_providers, read_provider, write_provider], guards=[authenticated],
           tags=["providers"]),
    Router("/", route_handlers=[index_page, kind_page, kind_submit], guards=[authenticated], include_in_schema=False),
]


async def providers_menu(request: Request[Any, Any, Any], actor: Actor, office: Any) -> list[Any]:
    """« Fournisseurs » for admins in an office (registered on the app's `menu_providers`)."""
    from core.web.shell import MenuItem

    if office is None or not actor.role.at_least(Role.admin):
        return []
    return [MenuItem("Fournisseurs (SMS…)", page_url(office.id))]
