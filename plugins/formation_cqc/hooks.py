"""The hook implementations of formation_cqc (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import MenuItem, Platform, hookimpl
from plugins.formation_cqc import MANIFEST
from plugins.formation_cqc.runtime import set_platform

__all__ = ["MANIFEST"]


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    from plugins.formation_cqc.routes import pages

    set_platform(platform)
    return list(pages.ROUTES)


@hookimpl
def register_api_routes(platform: Platform) -> list[Any]:
    from plugins.formation_cqc.routes import api

    set_platform(platform)
    return list(api.ROUTES)


@hookimpl
async def register_menu_items(platform: Platform, actor: Any, office: Any) -> list[MenuItem]:
    return [MenuItem("Mes sessions", platform.office_url(office.id, "/sessions"))]
