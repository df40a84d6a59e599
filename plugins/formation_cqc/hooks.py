"""The hook implementations of formation_cqc (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Account, JobSpec, MenuItem, Platform, Role, hookimpl
from plugins.formation_cqc import MANIFEST
from plugins.formation_cqc.runtime import set_platform

__all__ = ["MANIFEST"]


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    from plugins.formation_cqc.routes import manual, pages, upload

    set_platform(platform)
    return [*pages.ROUTES, *manual.ROUTES, *upload.ROUTES]


@hookimpl
def register_api_routes(platform: Platform) -> list[Any]:
    from plugins.formation_cqc.routes import api

    set_platform(platform)
    return list(api.ROUTES)


@hookimpl
def register_jobs(platform: Platform) -> list[JobSpec]:
    from plugins.formation_cqc.services import issuing

    set_platform(platform)
    return [JobSpec(issuing.JOB, issuing.run)]


@hookimpl
async def register_menu_items(platform: Platform, actor: Any, office: Any) -> list[MenuItem]:
    items = [MenuItem("Mes sessions", platform.office_url(office.id, "/sessions"))]
    if actor.role.at_least(Role.admin):
        items.append(MenuItem("Agréments", platform.office_url(office.id, "/agrements")))
    return items


@hookimpl
async def export_account_data(account: Account) -> dict[str, Any]:
    """The driver space is not built yet: the module holds nothing on a person."""
    return {"formations": [], "card_requests": []}


@hookimpl
async def erase_account(platform: Platform, account: Account) -> None:
    """Nothing to erase yet (no registration is linked to an account)."""
