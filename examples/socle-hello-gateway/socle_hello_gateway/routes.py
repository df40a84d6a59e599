"""Thin handlers; `PLATFORM` is this plugin's facade, set when the routes are registered."""

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, NotFound, Platform
from socle_hello_gateway import services

PLATFORM: list[Platform] = []


def platform() -> Platform:
    return PLATFORM[0]


class GreetingIn(msgspec.Struct, forbid_unknown_fields=True):
    message: str


class GreetingOut(msgspec.Struct):
    id: int
    message: str


@get("/", opt={"permission": "hello_gateway.read"})
async def page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    office = platform().office(request)
    settings = await platform().office_settings(actor.organisation_id, office.id)
    return await platform().render(request, actor, "hello_gateway/page.html", greetings=await services.greetings(
        actor, office), office_name=office.name, action=platform().office_url(office.id, "/"),
        greeting=settings.greeting)


@post("/", opt={"permission": "hello_gateway.write"})
async def add_from_form(request: Request[Any, Any, Any], actor: CurrentActor,
                        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Redirect:
    office = platform().office(request)
    await services.add_greeting(actor, office, data.get("message", ""))
    return Redirect(platform().office_url(office.id, "/"))


@get("/greetings", opt={"permission": "hello_gateway.read"})
async def list_greetings(request: Request[Any, Any, Any], actor: CurrentActor) -> list[GreetingOut]:
    return [GreetingOut(**row) for row in await services.greetings(actor, platform().office(request))]


@post("/greetings", opt={"permission": "hello_gateway.write"})
async def add_greeting(request: Request[Any, Any, Any], actor: CurrentActor, data: JSONBody[GreetingIn]) -> GreetingOut:
    return GreetingOut(**await services.add_greeting(actor, platform().office(request), data.message))


@get("/status")
async def public_status(request: Request[Any, Any, Any]) -> dict[str, str]:
    office = platform().office(request)
    settings = await platform().office_settings(office.organisation, office.id)
    if not settings.show_public_status:
        raise NotFound("Cette page d'état n'est pas publiée.")
    return {"module": "hello_gateway", "office": office.name, "greeting": settings.greeting}
