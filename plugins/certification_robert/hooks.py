"""The hook implementations of certification_robert (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import MenuItem, Platform, hookimpl
from plugins.certification_robert import MANIFEST
from plugins.certification_robert.runtime import set_platform

__all__ = ["MANIFEST"]


@hookimpl
def register_api_routes(platform: Platform) -> list[Any]:
    from plugins.certification_robert.routes.api import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    from plugins.certification_robert.routes.pages import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
async def register_menu_items(platform: Platform, actor: Any, office: Any) -> list[MenuItem]:
    return [MenuItem("Candidats Le Robert", platform.office_url(office.id, "/candidats"))]
