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


@dataclass(frozen=True, slots=True)
class Shell:
    """What the layout shows around a page. Templates reach it as `shell` only, so a page's own variables
    (`office`, `offices`, `menu`…) can never hide the switchers or the navigation."""

    actor: Actor
    memberships: list[Any]
    offices: list[OfficeInfo]
    office: OfficeInfo | None
    menu: list[MenuItem]
    path: str
    operator_view: Any = None  # an operator's « voir comme » visit (core.operators.view_as): the banner


RESERVED = frozenset({"shell"})


async def shell(request: Request[Any, Any, Any], actor: Actor, office: OfficeInfo | None = None) -> Shell:
    offices = await tenancy.visible_offices(actor)
    office = office or current_office(request, offices)
    menu = [MenuItem("Tableau de bord", "/dashboard")]
    for provider in request.app.state.get("menu_providers", []):
        menu.extend(await provider(request, actor, office))
    if actor.role.at_least(Role.admin):
        menu.append(MenuItem("Ma configuration", "/config"))
    return Shell(actor=actor, memberships=await tenancy.memberships(actor.user_id), offices=offices, office=office,
                 menu=menu, path=request.url.path, operator_view=request.scope.get("socle_view_as"))


def page_context(frame: Shell, context: dict[str, Any]) -> dict[str, Any]:
    """The template context: the page's own names, `shell` for the layout, and `actor` as a default."""
    clash = RESERVED & context.keys()
    if clash:
        raise TypeError(f"render(): {', '.join(sorted(clash))!r} is reserved for the layout; rename the variable")
    return {"actor": frame.actor, **context, "shell": frame}


async def render(request: Request[Any, Any, Any], actor: Actor, template: str, /, *,
                 shell_office: OfficeInfo | None = None, status_code: int = 200, **context: Any) -> Template:
    """A core page inside the layout. Every keyword but `shell_office` and `status_code` is the page's own."""
    frame = await shell(request, actor, shell_office)
    return Template(template, context=page_context(frame, context), status_code=status_code)
