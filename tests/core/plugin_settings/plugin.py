"""A test plugin `reglages` whose MANIFEST declares a settings Struct with every supported field kind."""

from pathlib import Path

from core.testing.distributions import write_plugin

SOURCE = '''
import enum
from typing import Annotated, Literal

import msgspec
from litestar import Request, get

from core.plugin_api import CurrentActor, Manifest, Platform, hookimpl


class Tone(enum.StrEnum):
    formal = "formel"
    friendly = "amical"


class Settings(msgspec.Struct, kw_only=True):
    greeting: Annotated[str, msgspec.Meta(title="Message d'accueil", description="Affiché en haut de la page",
                                          min_length=1, max_length=40)] = "Bonjour"
    max_per_day: Annotated[int, msgspec.Meta(ge=1, le=50)] = 10
    sms_enabled: bool = False
    channel: Literal["email", "sms", "courrier"] = "email"
    tone: Tone = Tone.formal


MANIFEST = Manifest(id="reglages", title="Module réglable", settings=Settings)
PLATFORM = []


@get("/greeting")
async def greeting(request: Request, actor: CurrentActor) -> dict:
    platform = PLATFORM[0]
    office = platform.office(request)
    settings = await platform.office_settings(actor.organisation_id, office.id)
    return {"type": type(settings).__name__, **msgspec.to_builtins(settings)}


@hookimpl
def register_api_routes(platform: Platform):
    PLATFORM[:] = [platform]
    return [greeting]
'''


def reglages_plugin(folder: Path) -> str:
    return write_plugin(folder, "reglages", SOURCE)
