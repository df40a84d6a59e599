"""The module's API (token): the registrations of the office. Registering by API is not built yet."""

from __future__ import annotations

from typing import Any

from litestar import get

from core.plugin_api import CurrentActor
from plugins.formation_cqc import SESSIONS


@get("/sessions", opt={"permission": SESSIONS}, summary="Les enregistrements de sessions du bureau")
async def list_sessions(actor: CurrentActor) -> list[dict[str, Any]]:
    return []


ROUTES = [list_sessions]
