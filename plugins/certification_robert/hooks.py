"""The hook implementations of certification_robert (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Account, MenuItem, Platform, hookimpl
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
    from plugins.certification_robert.routes import group_pages, order_pages, pages, planning_pages

    set_platform(platform)
    return [*pages.ROUTES, *order_pages.ROUTES, *group_pages.ROUTES, *planning_pages.ROUTES]


@hookimpl
def register_public_routes(platform: Platform) -> list[Any]:
    from plugins.certification_robert.routes.public import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
async def register_menu_items(platform: Platform, actor: Any, office: Any) -> list[MenuItem]:
    return [MenuItem("Certification Le Robert", platform.office_url(office.id, "/accueil"))]


@hookimpl
async def load_demo(platform: Platform, organisation_id: int, office_id: int) -> None:
    from plugins.certification_robert import demo

    set_platform(platform)
    await demo.load(organisation_id, office_id)


@hookimpl
async def export_account_data(account: Account) -> dict[str, Any]:
    """The candidate files partners keep under this person's verified email (right of access)."""
    from plugins.certification_robert.tables import Candidate

    if not account.email_verified:
        return {"candidatures": []}
    rows = await Candidate.select(Candidate.organisation, Candidate.last_name, Candidate.first_name,
                                  Candidate.status, Candidate.exam_date).where(
        Candidate.email == account.email.lower()).order_by(Candidate.id)
    return {"candidatures": [{**r, "exam_date": r["exam_date"].isoformat() if r["exam_date"] else None}
                             for r in rows]}


@hookimpl
async def erase_account(platform: Platform, account: Account) -> None:
    """Nothing to erase: the candidate files belong to the partner who registered the candidate for the
    certification (its legal record); the personal space holds no link to them yet."""
