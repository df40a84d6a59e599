"""Demo data: "Auto-école des Tilleuls", two offices, one member per role."""

from __future__ import annotations

from core.tenancy import services
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Organisation

DEMO_PASSWORD = "socle-demo-2026"
DEMO_LOGINS = [
    ("Auto-école des Tilleuls", "Gérant", "gerant@tilleuls.example"),
    ("Auto-école des Tilleuls", "Administrateur", "admin@tilleuls.example"),
    ("Auto-école des Tilleuls", "Agent", "agent@tilleuls.example"),
]


async def load_demo(only_if_empty: bool = False) -> list[tuple[str, str, str]] | None:
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
    return logins
