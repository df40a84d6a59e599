"""The hook implementations of passerelle_examens (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import MenuItem, Platform, hookimpl
from plugins.passerelle_examens import MANIFEST
from plugins.passerelle_examens.runtime import set_platform

__all__ = ["MANIFEST"]


@hookimpl
def register_api_routes(platform: Platform) -> list[Any]:
    from plugins.passerelle_examens.routes.api import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    from plugins.passerelle_examens.routes.pages import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
async def register_menu_items(platform: Platform, actor: Any, office: Any) -> list[MenuItem]:
    return [MenuItem("Élèves", platform.office_url(office.id, "/eleves")),
            MenuItem("Centres d'examen", platform.office_url(office.id, "/centres"))]
