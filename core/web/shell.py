"""The page shell: what every logged-in page shows around its content.

Organisation switcher, office switcher, navigation and flash messages. Capabilities and plugins add
navigation entries through `menu_providers` on the app state (async callables returning MenuItems).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Template

from core.tenancy import services as tenancy
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.services import OfficeInfo


@dataclass(frozen=True, slots=True)
class MenuItem:
    label: str
    href: str
    icon: str = ""


MenuProvider = Callable[[Request[Any, Any, Any], Actor, OfficeInfo | None], Awaitable[list[MenuItem]]]


def current_office(request: Request[Any, Any, Any], offices: list[OfficeInfo]) -> OfficeInfo | None:
    wanted = request.session.get("office") if request.scope.get("session") is not None else None
    for office in offices:
        if office.id == wanted:
            return office
    return offices[0] if offices else None


async def shell(request: Request[Any, Any, Any], actor: Actor, office: OfficeInfo | None = None) -> dict[str, Any]:
    offices = await tenancy.visible_offices(actor)
    office = office or current_office(request, offices)
    menu = [MenuItem("Tableau de bord", "/dashboard")]
    for provider in request.app.state.get("menu_providers", []):
        menu.extend(await provider(request, actor, office))
    if actor.role.at_least(Role.admin):
        menu.append(MenuItem("Ma configuration", "/config"))
    return {
        "actor": actor,
        "memberships": await tenancy.memberships(actor.user_id),
        "offices": offices,
        "office": office,
        "menu": menu,
        "path": request.url.path,
        "Role": Role,
    }


async def render(request: Request[Any, Any, Any], actor: Actor, template: str, *,
                 office: OfficeInfo | None = None, status_code: int = 200, **context: Any) -> Template:
    return Template(template, context={**await shell(request, actor, office), **context}, status_code=status_code)
