"""Demo data: "Auto-école des Tilleuls", two offices, one member per role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.tenancy import services
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Organisation

if TYPE_CHECKING:
    from core.config import Settings
    from core.tenancy.services import OfficeInfo

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
        await activate_demo_module(settings, organisation.id, first.id, "passerelle_examens")
        logins += await load_town_hall(settings)
        logins += await load_training_centre(settings)
        logins += await load_language_centre(settings)
    return logins


async def activate_demo_module(settings: Settings, organisation_id: int, office_id: int, module: str) -> bool:
    """Activate `module` (when installed and healthy) in the office and load its demo data (`load_demo`)."""
    from core import db
    from core.modules.activation import set_active
    from core.plugins import PluginManager

    manager = PluginManager(settings).load()
    if module not in manager.healthy_ids():
        return False
    async with db.write_transaction():
        await set_active(organisation_id, office_id, module, True)
    await manager.call("on_module_activated", [module], organisation_id=organisation_id, office_id=office_id)
    await manager.call("load_demo", [module], organisation_id=organisation_id, office_id=office_id)
    return True


async def _demo_organisation(name: str, slug: str, owner: tuple[str, str], contact: tuple[str, str, str],
                             office_name: str) -> tuple[Actor, OfficeInfo, list[tuple[str, str, str]]]:
    """A demo organisation: its owner (email, name) with the demo password, its contact (address, phone,
    email) and its first office renamed `office_name` at the same address. Returns the owner's actor, the office
    and the owner's login line."""
    owner_email, owner_name = owner
    address, phone, email = contact
    user = await services.create_user(owner_email, DEMO_PASSWORD)
    organisation = await services.create_organisation(name, user, owner_name, slug=slug)
    actor = Actor(user.id, user.email, 0, organisation.id, Role.owner, owner_name)
    await services.update_organisation(actor, address=address, phone=phone, email=email)
    office = (await services.visible_offices(actor))[0]
    await services.save_office(actor, office_name, address, None, office=await services.get_office(actor, office.id))
    return actor, office, [(organisation.name, Role.owner.label, user.email)]


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
    actor, office, logins = await _demo_organisation(
        "Mairie de Saint-Vallier", "mairie-de-saint-vallier", ("maire@saint-vallier.example", "Pierre Jourdan"),
        ("Place de l'Hôtel de Ville, 26240 Saint-Vallier", "04 75 23 00 00", "accueil@saint-vallier.example"),
        "Hôtel de ville")
    for role, name, email in TOWN_HALL_PEOPLE:
        await services.invite_member(actor, role, name, email, DEMO_PASSWORD if email else None, [office.id])
        if email:
            logins.append(("Mairie de Saint-Vallier", role.label, email))
    await activate_demo_module(settings, actor.organisation_id, office.id, "rdv_service_public")
    return logins


CENTRE_PEOPLE = [
    (Role.admin, "Paul Brun", "gestion@routes-du-rhone.example", True),  # holds « Enregistrer des sessions »
    (Role.basic, "Inès Morel", "accueil@routes-du-rhone.example", False),  # no grant: 403 on « Mes sessions »
]
CENTRE_DRIVER = "conducteur@routes-du-rhone.example"


async def load_training_centre(settings: Settings) -> list[tuple[str, str, str]]:
    """"Centre de formation Routes du Rhône" with formation_cqc activated by an order (its service contract),
    a manager granted « Enregistrer des sessions », a driver's account (« Mon espace ») and the module's demo."""
    from decimal import Decimal

    from core import db
    from core.accounts.tables import AccountProfile
    from core.commerce.orders import OrderLineIn, place_order
    from core.grants.services import grant
    from core.modules.activation import set_active
    from core.plugins import PluginManager

    module = "formation_cqc"
    manager = PluginManager(settings).load()
    record = manager.record(module)
    actor, office, logins = await _demo_organisation(
        "Centre de formation Routes du Rhône", "routes-du-rhone", ("gerant@routes-du-rhone.example", "Nadine Rey"),
        ("48 quai Perrache, 69002 Lyon", "04 72 00 00 00", "contact@routes-du-rhone.example"), "Lyon Perrache")
    organisation_id = actor.organisation_id
    if module not in manager.healthy_ids() or record is None or record.manifest is None:
        return logins
    grantable = {p.name: p.label for p in record.manifest.permissions if p.granted}
    for role, name, email, granted in CENTRE_PEOPLE:
        member, _ = await services.invite_member(actor, role, name, email, DEMO_PASSWORD, [office.id])
        if granted:
            for permission in grantable:
                await grant(actor, member.id, permission, grantable)
        logins.append((logins[0][0], role.label, email))
    driver = await services.create_user(CENTRE_DRIVER, DEMO_PASSWORD)
    await AccountProfile.insert(AccountProfile(user=driver.id, full_name="Karim Haddad",
                                               verified_at=datetime.now(UTC))).run()
    logins.append(("Mon espace (conducteur)", "Conducteur", CENTRE_DRIVER))
    async with db.write_transaction():
        order = await place_order(organisation_id, actor.user_id, [OrderLineIn(
            label=f"Activation {record.manifest.title} — {office.name}", unit_ht=Decimal("0.00"),
            office_id=office.id, source=module, reference="activate")])
        await set_active(organisation_id, office.id, module, True, order.id)
    await manager.call("on_module_activated", [module], organisation_id=organisation_id, office_id=office.id)
    await manager.call("load_demo", [module], organisation_id=organisation_id, office_id=office.id)
    return logins


LANGUAGE_CENTRE_PEOPLE = [
    (Role.admin, "Hélène Duval", "admin@moliere.example"),
    (Role.basic, "Marc Lefort", "accueil@moliere.example"),
]


async def load_language_centre(settings: Settings) -> list[tuple[str, str, str]]:
    """"Centre de langues Molière" with the certification_robert module active (when installed) and its demo
    data: stock, orders, 40 candidates in every status, 4 groups."""
    actor, office, logins = await _demo_organisation(
        "Centre de langues Molière", "centre-de-langues-moliere", ("direction@moliere.example", "Armande Béjart"),
        ("40 rue de Richelieu, 75001 Paris", "01 42 00 00 00", "contact@moliere.example"), "Paris Palais-Royal")
    for role, name, email in LANGUAGE_CENTRE_PEOPLE:
        await services.invite_member(actor, role, name, email, DEMO_PASSWORD, [office.id])
        logins.append(("Centre de langues Molière", role.label, email))
    await activate_demo_module(settings, actor.organisation_id, office.id, "certification_robert")
    return logins
