"""The hook implementations of rdv_service_public (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Account, AccountSection, JobSpec, MenuItem, Platform, Role, hookimpl
from plugins.rdv_service_public import MANIFEST
from plugins.rdv_service_public.runtime import set_platform
from plugins.rdv_service_public.services import guichets, public

__all__ = ["MANIFEST"]


@hookimpl
def register_api_routes(platform: Platform) -> list[Any]:
    from plugins.rdv_service_public.routes.api import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    from plugins.rdv_service_public.routes import config_pages, pages

    set_platform(platform)
    return [*pages.ROUTES, *config_pages.ROUTES]


@hookimpl
def register_organisation_public_routes(platform: Platform) -> list[Any]:
    from plugins.rdv_service_public.routes.public import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
def register_jobs(platform: Platform) -> list[JobSpec]:
    async def remind(payload: dict[str, Any]) -> None:
        await public.send_reminders()

    return [JobSpec("rdv_service_public.reminders", remind, every_seconds=15 * 60)]


@hookimpl
async def register_menu_items(platform: Platform, actor: Any, office: Any) -> list[MenuItem]:
    items = [MenuItem("Rendez-vous", platform.office_url(office.id, "/planning"))]
    if actor.role.at_least(Role.admin):
        items.append(MenuItem("Configuration des rendez-vous", platform.office_url(office.id, "/config")))
    return items


@hookimpl
async def load_demo(platform: Platform, organisation_id: int, office_id: int) -> None:
    from plugins.rdv_service_public import demo

    set_platform(platform)
    await demo.load(organisation_id, office_id)


@hookimpl
async def on_module_activated(platform: Platform, organisation_id: int, office_id: int) -> None:
    await guichets.ensure_standard(organisation_id, office_id)


@hookimpl
async def on_module_purge(organisation_id: int, office_id: int) -> None:
    """« Supprimer les données du module »: every row of this module for the office (appointments, motifs,
    lieux, counters, plages, absences, services) and their bookings, rules and closures on the core calendars."""
    from plugins.rdv_service_public.services import purge

    await purge.purge_office(organisation_id, office_id)


# -- « Mon espace »: a signed-in citizen's appointments (booked with their verified email) ----------


@hookimpl
def register_account_routes(platform: Platform) -> list[Any]:
    from plugins.rdv_service_public.routes.account import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
async def register_account_sections(platform: Platform, account: Account) -> list[AccountSection]:
    from plugins.rdv_service_public.services import citizen

    count = await citizen.count_upcoming(account)
    text = "Vos rendez-vous pris en ligne : les voir, les déplacer ou les annuler."
    return [AccountSection(title="Mes rendez-vous", text=text, href=platform.account_url("/"), count=count)]


@hookimpl
async def export_account_data(account: Account) -> dict[str, Any]:
    from plugins.rdv_service_public.services import citizen

    return await citizen.export(account)


@hookimpl
async def erase_account(platform: Platform, account: Account) -> None:
    from plugins.rdv_service_public.services import citizen

    await citizen.erase(platform, account)
