"""The hook implementations of certification_robert (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Account, AccountSection, CliCommand, JobSpec, MenuItem, Platform, hookimpl
from plugins.certification_robert import MANIFEST
from plugins.certification_robert.runtime import set_platform

__all__ = ["MANIFEST"]


@hookimpl
def register_api_routes(platform: Platform) -> list[Any]:
    from plugins.certification_robert.routes import compte, results
    from plugins.certification_robert.routes.api import ROUTES

    set_platform(platform)
    return [*ROUTES, *results.API, *compte.API]


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    from plugins.certification_robert.routes import compte, group_pages, order_pages, pages, planning_pages, results

    set_platform(platform)
    return [*pages.ROUTES, *order_pages.ROUTES, *group_pages.ROUTES, *planning_pages.ROUTES, *results.PAGES,
            *compte.PAGES]


@hookimpl
def register_public_routes(platform: Platform) -> list[Any]:
    from plugins.certification_robert.routes import public, quote_link

    set_platform(platform)
    return [*public.ROUTES, *quote_link.ROUTES]


@hookimpl
def register_jobs(platform: Platform) -> list[JobSpec]:
    from plugins.certification_robert.services import attestation, orders, results

    set_platform(platform)
    return [JobSpec(results.JOB, attestation.run), JobSpec(orders.QUOTE_JOB, orders.send_quote)]


@hookimpl
def register_cli_commands(platform: Platform) -> list[CliCommand]:
    from plugins.certification_robert import simulator

    return [CliCommand("envoyer-resultats", "Simule la plateforme d'examen Le Robert : envoie des résultats signés",
                       simulator.command)]


@hookimpl
async def register_menu_items(platform: Platform, actor: Any, office: Any) -> list[MenuItem]:
    return [MenuItem("Certification Le Robert", platform.office_url(office.id, "/accueil"))]


@hookimpl
def register_account_routes(platform: Platform) -> list[Any]:
    from plugins.certification_robert.routes import account

    set_platform(platform)
    return list(account.ROUTES)


@hookimpl
async def register_account_sections(platform: Platform, account: Account) -> list[AccountSection]:
    from plugins.certification_robert.services import space

    count = await space.count(account)
    if not count:
        return []
    return [AccountSection(title="Ma certification Le Robert", href=platform.account_url("/certification"),
                           text="Statut, convocation, code d'activation et résultat de votre certification.",
                           count=count)]


@hookimpl
async def load_demo(platform: Platform, organisation_id: int, office_id: int) -> None:
    from plugins.certification_robert import demo

    set_platform(platform)
    await demo.load(organisation_id, office_id)


@hookimpl
async def export_account_data(account: Account) -> dict[str, Any]:
    """The candidate files partners keep for this person — under their verified email, or for the account a
    partner created for them (right of access)."""
    from plugins.certification_robert.services import space

    return {"candidatures": await space.export(account)}


@hookimpl
async def erase_account(platform: Platform, account: Account) -> None:
    """The candidate files belong to the partner who registered the candidate (its legal record): they stay,
    unlinked from the erased account; the core detaches the attestations it gave to the account."""
    from core.plugin_api import write_transaction
    from plugins.certification_robert.tables import Candidate

    async with write_transaction():
        await Candidate.update({Candidate.account: None}).where(Candidate.account == account.id)
