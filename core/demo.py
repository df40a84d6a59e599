"""Demo data: "Auto-école des Tilleuls", two offices, one member per role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.tenancy import services
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Organisation

if TYPE_CHECKING:
    from core.config import Settings

DEMO_PASSWORD = "socle-demo-2026"
DEMO_LOGINS = [
    ("Auto-école des Tilleuls", "Gérant", "gerant@tilleuls.example"),
    ("Auto-école des Tilleuls", "Administrateur", "admin@tilleuls.example"),
    ("Auto-école des Tilleuls", "Agent", "agent@tilleuls.example"),
    ("Mairie de Saint-Vallier", "Gérant", "maire@saint-vallier.example"),
    ("Mairie de Saint-Vallier", "Administrateur", "admin@saint-vallier.example"),
    ("Mairie de Saint-Vallier", "Agent", "etat-civil@saint-vallier.example"),
    ("Centre de langues Molière", "Gérant", "direction@moliere.example"),
    ("Centre de langues Molière", "Administrateur", "admin@moliere.example"),
    ("Centre de langues Molière", "Agent", "accueil@moliere.example"),
]


async def load_demo(only_if_empty: bool = False, settings: Settings | None = None) -> list[tuple[str, str, str]] | None:
    """Load the demo organisation; returns (organisation, role, email) of each login."""
    if only_if_empty and await Organisation.count() > 0:
        return None
    owner = await services.create_user("gerant@tilleuls.example", DEMO_PASSWORD)
    organisation = await services.create_organisation("Auto-école des Tilleuls", owner, "Claire Martin",
                                                      slug="auto-ecole-des-tilleuls")
    await services.update_organisation(
        Actor(owner.id, owner.email, 0, organisation.id, Role.owner, "Claire Martin"),
        address="12 avenue des Tilleuls, 69003 Lyon", phone="04 78 00 00 00", email="contact@tilleuls.example")
    actor = Actor(owner.id, owner.email, 0, organisation.id, Role.owner, "Claire Martin")
    offices = await services.visible_offices(actor)
    first = await services.get_office(actor, offices[0].id)
    await services.save_office(actor, "Lyon Part-Dieu", "12 avenue des Tilleuls, 69003 Lyon", None, office=first)
    second = await services.save_office(actor, "Villeurbanne", "5 cours Émile-Zola, 69100 Villeurbanne",
                                        "Europe/Paris")
    people = [
        (Role.admin, "Karim Benali", "admin@tilleuls.example", [first.id, second.id]),
        (Role.basic, "Julie Roux", "agent@tilleuls.example", [first.id]),
        (Role.intervenant, "Moniteur remplaçant", None, [second.id]),
    ]
    logins = [(organisation.name, Role.owner.label, owner.email)]
    for role, name, email, office_ids in people:
        await services.invite_member(actor, role, name, email, DEMO_PASSWORD if email else None, office_ids)
        if email:
            logins.append((organisation.name, role.label, email))
    if settings is not None:
        logins += await load_town_hall(settings)
        logins += await load_language_centre(settings)
    return logins


TOWN_HALL_PEOPLE = [
    (Role.admin, "Sophie Garnier", "admin@saint-vallier.example"),
    (Role.basic, "Luc Moreau", "etat-civil@saint-vallier.example"),
    (Role.basic, "Nadia Haddad", "urbanisme@saint-vallier.example"),
    (Role.basic, "Thomas Blanc", "social@saint-vallier.example"),
    (Role.intervenant, "Permanence CAF", None),
    (Role.intervenant, "Conciliateur de justice", None),
]


async def load_town_hall(settings: Settings) -> list[tuple[str, str, str]]:
    """"Mairie de Saint-Vallier" with the rdv_service_public module active (when installed) and its demo data."""
    from core import db
    from core.modules.activation import set_active
    from core.plugins import PluginManager

    owner = await services.create_user("maire@saint-vallier.example", DEMO_PASSWORD)
    organisation = await services.create_organisation("Mairie de Saint-Vallier", owner, "Pierre Jourdan",
                                                      slug="mairie-de-saint-vallier")
    actor = Actor(owner.id, owner.email, 0, organisation.id, Role.owner, "Pierre Jourdan")
    await services.update_organisation(actor, address="Place de l'Hôtel de Ville, 26240 Saint-Vallier",
                                       phone="04 75 23 00 00", email="accueil@saint-vallier.example")
    office = (await services.visible_offices(actor))[0]
    await services.save_office(actor, "Hôtel de ville", "Place de l'Hôtel de Ville, 26240 Saint-Vallier", None,
                               office=await services.get_office(actor, office.id))
    logins = [(organisation.name, Role.owner.label, owner.email)]
    for role, name, email in TOWN_HALL_PEOPLE:
        await services.invite_member(actor, role, name, email, DEMO_PASSWORD if email else None, [office.id])
        if email:
            logins.append((organisation.name, role.label, email))
    manager = PluginManager(settings).load()
    if "rdv_service_public" in manager.healthy_ids():
        async with db.write_transaction():
            await set_active(organisation.id, office.id, "rdv_service_public", True)
        await manager.call("on_module_activated", ["rdv_service_public"], organisation_id=organisation.id,
                           office_id=office.id)
        await manager.call("load_demo", ["rdv_service_public"], organisation_id=organisation.id,
                           office_id=office.id)
    return logins


LANGUAGE_CENTRE_PEOPLE = [
    (Role.admin, "Hélène Duval", "admin@moliere.example"),
    (Role.basic, "Marc Lefort", "accueil@moliere.example"),
]


async def load_language_centre(settings: Settings) -> list[tuple[str, str, str]]:
    """"Centre de langues Molière" with the certification_robert module active (when installed) and its demo
    data: stock, orders, 40 candidates in every status, 4 groups."""
    from core import db
    from core.modules.activation import set_active
    from core.plugins import PluginManager

    owner = await services.create_user("direction@moliere.example", DEMO_PASSWORD)
    organisation = await services.create_organisation("Centre de langues Molière", owner, "Armande Béjart",
                                                      slug="centre-de-langues-moliere")
    actor = Actor(owner.id, owner.email, 0, organisation.id, Role.owner, "Armande Béjart")
    await services.update_organisation(actor, address="40 rue de Richelieu, 75001 Paris", phone="01 42 00 00 00",
                                       email="contact@moliere.example")
    office = (await services.visible_offices(actor))[0]
    await services.save_office(actor, "Paris Palais-Royal", "40 rue de Richelieu, 75001 Paris", None,
                               office=await services.get_office(actor, office.id))
    logins = [(organisation.name, Role.owner.label, owner.email)]
    for role, name, email in LANGUAGE_CENTRE_PEOPLE:
        await services.invite_member(actor, role, name, email, DEMO_PASSWORD, [office.id])
        logins.append((organisation.name, role.label, email))
    manager = PluginManager(settings).load()
    if "certification_robert" in manager.healthy_ids():
        async with db.write_transaction():
            await set_active(organisation.id, office.id, "certification_robert", True)
        await manager.call("on_module_activated", ["certification_robert"], organisation_id=organisation.id,
                           office_id=office.id)
        await manager.call("load_demo", ["certification_robert"], organisation_id=organisation.id,
                           office_id=office.id)
    return logins
