"""The hook implementations of passerelle_examens (the `socle.plugins` entry point)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Account, CliCommand, JobSpec, MenuItem, Platform, data, hookimpl
from plugins.passerelle_examens import MANIFEST
from plugins.passerelle_examens.runtime import set_platform

__all__ = ["MANIFEST"]


@hookimpl
def register_api_routes(platform: Platform) -> list[Any]:
    from plugins.passerelle_examens.routes.api import ROUTES
    from plugins.passerelle_examens.routes.gateway import API
    from plugins.passerelle_examens.routes.places import API as PLACES_API

    set_platform(platform)
    return list(ROUTES) + list(API) + list(PLACES_API)


@hookimpl
def register_public_routes(platform: Platform) -> list[Any]:
    from plugins.passerelle_examens.routes.callbacks import ROUTES

    set_platform(platform)
    return list(ROUTES)


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    from plugins.passerelle_examens.routes.exam_pages import ROUTES as EXAM_ROUTES
    from plugins.passerelle_examens.routes.gateway import PAGES
    from plugins.passerelle_examens.routes.pages import ROUTES
    from plugins.passerelle_examens.routes.places import PAGES as PLACE_PAGES

    set_platform(platform)
    return [*ROUTES, *EXAM_ROUTES, *PAGES, *PLACE_PAGES]


@hookimpl
async def register_menu_items(platform: Platform, actor: Any, office: Any) -> list[MenuItem]:
    """The module's pages in the sidebar (the layout marks the current one `aria-current="page"`)."""
    return [MenuItem("Élèves", platform.office_url(office.id, "/eleves")),
            MenuItem("Centres d'examen", platform.office_url(office.id, "/centres")),
            MenuItem("Sessions d'examen", platform.office_url(office.id, "/sessions")),
            MenuItem("Dossiers d'examen", platform.office_url(office.id, "/examens")),
            MenuItem("Places attribuées", platform.office_url(office.id, "/places")),
            MenuItem("Fournisseurs", platform.office_url(office.id, "/fournisseurs"))]


@hookimpl
def register_jobs(platform: Platform) -> list[JobSpec]:
    """Fallback sync of the open mandates (also refreshed on view and by RdvPermis' callback), and the periodic
    capture of Printel's allocated places (also « Capturer maintenant »)."""
    from plugins.passerelle_examens.services.mandates import sync_all
    from plugins.passerelle_examens.services.places import capture_all

    set_platform(platform)
    return [JobSpec("passerelle_examens.sync_mandates", sync_all, every_seconds=900),
            JobSpec("passerelle_examens.capture_places", capture_all, every_seconds=3600)]


def _sim(name: str) -> Any:
    async def run(args: list[str]) -> int:
        from plugins.passerelle_examens.simulators import serve

        if name == "tous":
            return await serve.serve_both(args)
        if name == "attendre":
            return await serve.wait(args)
        return await serve.serve_one(name, args)

    return run


@hookimpl
def register_cli_commands(platform: Platform) -> list[CliCommand]:
    """The simulators, on 127.0.0.1, state kept in SOCLE_DATA_DIR/simulateurs/: `socle sim rdvpermis|printel|tous
    |attendre` (the core's `socle sim X` runs a module's `sim-X`; also `socle plugins run passerelle_examens …`)."""
    rdv = CliCommand("sim-rdvpermis", "Lance le simulateur RdvPermis en local (port 8765 par défaut)",
                     _sim("rdvpermis"))
    printel = CliCommand("sim-printel", "Lance le simulateur Printel en local (port 8766 par défaut)", _sim("printel"))
    return [rdv, printel,
            CliCommand("sim-tous", "Lance les deux simulateurs (ports 8765 et 8766), ce que fait `make run`",
                       _sim("tous")),
            CliCommand("sim-attendre", "Attend que les deux simulateurs répondent (20 s au plus)", _sim("attendre")),
            CliCommand("simulateur", rdv.help, rdv.handler),  # the names of the first version
            CliCommand("simulateur-printel", printel.help, printel.handler)]


@hookimpl
def register_exam_providers(platform: Platform) -> list[Any]:
    """This module's own providers, through the hook it publishes (hookspecs.py)."""
    from plugins.passerelle_examens.providers.own import entries

    return entries(platform)


@hookimpl
async def load_demo(platform: Platform, organisation_id: int, office_id: int) -> None:
    from plugins.passerelle_examens import demo

    set_platform(platform)
    await demo.load(platform, organisation_id, office_id)


@hookimpl
async def export_account_data(account: Account) -> dict[str, Any]:
    """The élève files driving schools keep under this person's verified email (right of access)."""
    from plugins.passerelle_examens.tables import Student

    if not account.email_verified:
        return {"eleves": []}
    email = account.email.lower()
    rows = await Student.select(Student.organisation, Student.last_name, Student.first_names, Student.birth_date,
                                Student.neph, Student.category, Student.email).where(
        Student.email.ilike(email) if data.is_postgres() else Student.email.like(email)).order_by(Student.id)
    return {"eleves": [{**{k: v for k, v in r.items() if k != "email"}, "birth_date": r["birth_date"].isoformat()}
                       for r in rows if r["email"].lower() == email]}


@hookimpl
async def erase_account(platform: Platform, account: Account) -> None:
    """Nothing to erase: an élève's file belongs to the driving school that presents them to the exam; the
    personal space holds no link to it yet."""
