"""What the console reads: organisations with search and filters, and one organisation in detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core import db
from core.errors import NotFound
from core.modules import activation
from core.operators import direct


@dataclass(frozen=True, slots=True)
class OrgRow:
    id: int
    name: str
    slug: str
    offices: int
    members: int
    modules: list[str] = field(default_factory=list)


async def organisations(q: str = "", module: str = "", limit: int = 100) -> list[OrgRow]:
    """Organisations whose name, slug or e-mail contains `q`, with a module active in one office if asked."""
    where, args = ["1 = 1"], []
    if q.strip():
        where.append("(LOWER(o.name) LIKE {} OR LOWER(o.slug) LIKE {} OR LOWER(o.email) LIKE {})")
        like = f"%{q.strip().lower()}%"
        args += [like, like, like]
    if module:
        where.append("EXISTS (SELECT 1 FROM core_module_activation a WHERE a.organisation = o.id AND a.module = {} "
                     "AND a.active = {})")
        args += [module, True]
    sql = ("SELECT o.id, o.name, o.slug, "
           "(SELECT COUNT(*) FROM core_office f WHERE f.organisation = o.id) AS offices, "
           "(SELECT COUNT(*) FROM core_member m WHERE m.organisation = o.id) AS members "
           f"FROM core_organisation o WHERE {' AND '.join(where)} ORDER BY LOWER(o.name), o.id LIMIT {int(limit)}")
    rows = await db.fetch(sql, *args)
    result = []
    for row in rows:
        mods = await db.fetch("SELECT DISTINCT module FROM core_module_activation WHERE organisation = {} AND "
                              "active = {} ORDER BY module", row["id"], True)
        result.append(OrgRow(row["id"], row["name"], row["slug"], row["offices"], row["members"],
                             [m["module"] for m in mods]))
    return result


async def detail(organisation_id: object) -> dict[str, Any]:
    try:
        org_id = int(str(organisation_id))
    except ValueError:
        raise NotFound("Cette organisation n'existe pas.") from None
    orgs = await db.fetch("SELECT id, name, slug, email, phone, address, created_at FROM core_organisation "
                          "WHERE id = {}", org_id)
    if not orgs:
        raise NotFound("Cette organisation n'existe pas.")
    offices = await db.fetch("SELECT id, name, address FROM core_office WHERE organisation = {} ORDER BY id", org_id)
    members = await db.fetch(
        'SELECT m.display_name, m.role, u.email FROM core_member m LEFT JOIN core_user u ON u.id = m."user" '
        "WHERE m.organisation = {} ORDER BY m.id", org_id)
    orders = await db.fetch("SELECT id, number, status, total_ttc, created_at FROM core_order "
                            "WHERE organisation = {} ORDER BY number DESC LIMIT 50", org_id)
    last_login = await db.fetch('SELECT MAX(s.created_at) AS at FROM core_login_session s JOIN core_member m '
                                'ON m."user" = s."user" WHERE m.organisation = {}', org_id)
    activity = await db.fetch("SELECT action, summary, at FROM core_audit WHERE organisation = {} "
                              "ORDER BY id DESC LIMIT 20", org_id)
    return {"organisation": orgs[0], "offices": offices, "members": members, "orders": orders,
            "modules": await activation.active_by_office(org_id), "trials": await direct.trials(org_id),
            "last_login": last_login[0]["at"] if last_login else None, "activity": activity}
