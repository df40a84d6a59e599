"""The hook implementations of formation_cqc (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Account, AccountSection, JobSpec, MenuItem, Platform, Role, data, hookimpl
from plugins.formation_cqc import MANIFEST
from plugins.formation_cqc.runtime import set_platform

__all__ = ["MANIFEST"]


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    from plugins.formation_cqc.routes import card_requests, manual, pages, profiles, subscription, upload

    set_platform(platform)
    return [*pages.ROUTES, *manual.ROUTES, *upload.ROUTES, *profiles.ROUTES, *subscription.ROUTES,
            *card_requests.ROUTES]


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
    items = [MenuItem("Mes sessions", platform.office_url(office.id, "/sessions")),
             MenuItem("Demandes de carte CQC", platform.office_url(office.id, "/cartes-cqc"))]
    if actor.role.at_least(Role.admin):
        items.append(MenuItem("Agréments", platform.office_url(office.id, "/agrements")))
    return items


@hookimpl
def register_account_routes(platform: Platform) -> list[Any]:
    from plugins.formation_cqc.routes import account

    set_platform(platform)
    return list(account.ROUTES)


@hookimpl
async def register_account_sections(platform: Platform, account: Account) -> list[AccountSection]:
    from plugins.formation_cqc.services import drivers

    count = await drivers.count(account)
    docs = len(await drivers.my_documents(account)) if count else 0
    text = "Vos sessions FIMO, FCO… Retrouvez-les avec votre numéro de permis." if not count else ""
    sections = [
        AccountSection(title="Mes formations", text=text, href=platform.account_url("/formations"), count=count),
        AccountSection(title="Mes documents de formation", text="Récapitulatifs et certificats de qualification.",
                       href=platform.account_url("/documents"), count=docs),
    ]
    if count:
        sections.append(AccountSection(title="Ma carte CQC", href=platform.account_url("/carte-cqc"),
                                       text="Demandez votre carte de qualification de conducteur et suivez son état."))
    return sections


@hookimpl
async def export_account_data(account: Account) -> dict[str, Any]:
    from plugins.formation_cqc.services import drivers

    return await drivers.export(account)


@hookimpl
async def erase_account(platform: Platform, account: Account) -> None:
    """The lines are unlinked (the centre's registration stays); the documents are detached by the core."""
    from plugins.formation_cqc.services import drivers

    await drivers.erase(account)


@hookimpl
async def load_demo(platform: Platform, organisation_id: int, office_id: int) -> None:
    """« Centre de formation Routes du Rhône »: agréments, past sessions, drivers with and without an account."""
    from plugins.formation_cqc import demo

    set_platform(platform)
    owner = next(m for m in await data.members(organisation_id, office_id) if m.role is Role.owner)
    await demo.load(organisation_id, office_id, owner.id, await demo.driver_account())
