"""Home, dashboard and the organisation / office switchers."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.auth.guards import CurrentActor, current_actor
from core.errors import NotFound
from core.plugins.slots import fill_slot
from core.tenancy import services as tenancy
from core.web.shell import current_office, render

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


@get("/", include_in_schema=False)
async def home(request: Request[Any, Any, Any]) -> Redirect:
    if await current_actor(request):
        return Redirect("/dashboard")
    session = request.scope.get("session")
    signed_in = isinstance(session, dict) and session.get("uid")  # a person with no membership
    return Redirect("/mon-espace/" if signed_in else "/login")


@get("/dashboard", include_in_schema=False)
async def dashboard(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    widgets: list[Any] = []
    for provider in request.app.state.get("dashboard_providers", []):
        widgets.extend(await provider(request, actor))
    members = await tenancy.list_members(actor)
    office = current_office(request, await tenancy.visible_offices(actor))
    slot = await fill_slot(request, office, "dashboard", actor=actor)
    return await render(request, actor, "dashboard.html", widgets=widgets, member_count=len(members), slot=slot)


@post("/switch/organisation", include_in_schema=False)
async def switch_organisation(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Redirect:
    wanted = data.get("organisation_id", "")
    ids = {row["organisation"]["id"] for row in await tenancy.memberships(actor.user_id)}
    if not wanted.isdigit() or int(wanted) not in ids:
        raise NotFound()
    request.session["org"] = int(wanted)
    request.session.pop("office", None)
    return Redirect("/dashboard")


@post("/switch/office", include_in_schema=False)
async def switch_office(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Redirect:
    office = await tenancy.get_office(actor, data.get("office_id"))
    request.session["office"] = office.id
    flash(request, f"Bureau actif : {office.name}", category="info")
    return Redirect(data.get("next") or "/dashboard")


ROUTES = [home, dashboard, switch_organisation, switch_office]
