"""Modules' « Mon espace » routers: `/mon-espace/m/<plugin id>/`, a signed-in person required."""

from __future__ import annotations

from litestar import Router

from core.accounts.guards import module_account_guard
from core.plugins.manager import PluginManager


def account_routers(manager: PluginManager) -> list[Router]:
    routers = []
    for plugin_id, handlers in manager.call_sync("register_account_routes"):
        if handlers:
            routers.append(Router(f"/mon-espace/m/{plugin_id}", route_handlers=list(handlers),
                                  guards=[module_account_guard(plugin_id)], include_in_schema=False,
                                  tags=[plugin_id]))
    return routers
