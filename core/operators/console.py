"""What the console reads: organisations with search and filters, and one organisation in detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core import audit, db
from core.errors import NotFound, ValidationFailed
from core.modules import activation
from core.operators import direct
from core.operators.tables import Operator, OrganisationProfile

KINDS = {"auto_ecole": "Auto-école", "mairie": "Mairie", "centre_formation": "Centre de formation",
         "partenaire_certification": "Partenaire de certification", "autre": "Autre"}
STATUSES = {"active": "Active", "suspended": "Suspendue"}


@dataclass(frozen=True, slots=True)
class OrgRow:
    id: int
    name: str
    slug: str
    offices: int
    members: int
    kind: str = "autre"
    suspended: bool = False
    modules: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, KINDS["autre"])


async def organisations(q: str = "", module: str = "", kind: str = "", status: str = "",
                        limit: int = 100) -> list[OrgRow]:
    """Organisations whose name, slug or e-mail contains `q`, with a module active in one office, of a kind
    (« autre » when never set) and active or suspended, as asked."""
    where, args = ["1 = 1"], []
    if kind in KINDS:
        where.append("COALESCE(p.kind, 'autre') = {}")
        args.append(kind)
    if status in STATUSES:
        where.append(("" if status == "suspended" else "NOT ") + "EXISTS (SELECT 1 FROM core_operator_suspension s "
                     "WHERE s.organisation = o.id)")
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
           "(SELECT COUNT(*) FROM core_member m WHERE m.organisation = o.id) AS members, "
           "COALESCE(p.kind, 'autre') AS kind, "
           "(SELECT COUNT(*) FROM core_operator_suspension s WHERE s.organisation = o.id) AS suspended "
           "FROM core_organisation o LEFT JOIN core_operator_org_profile p ON p.organisation = o.id "
           f"WHERE {' AND '.join(where)} ORDER BY LOWER(o.name), o.id LIMIT {int(limit)}")
    rows = await db.fetch(sql, *args)
    result = []
    for row in rows:
        mods = await db.fetch("SELECT DISTINCT module FROM core_module_activation WHERE organisation = {} AND "
                              "active = {} ORDER BY module", row["id"], True)
        result.append(OrgRow(row["id"], row["name"], row["slug"], row["offices"], row["members"], row["kind"],
                             bool(row["suspended"]), [m["module"] for m in mods]))
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
    kind = await OrganisationProfile.select(OrganisationProfile.kind).where(
        OrganisationProfile.organisation == org_id).first()
    return {"organisation": orgs[0], "offices": offices, "kind": kind["kind"] if kind else "autre",
            "kinds": KINDS, "counters": await counters(org_id), "members": members, "orders": orders,
            "modules": await activation.active_by_office(org_id), "trials": await direct.trials(org_id),
            "last_login": last_login[0]["at"] if last_login else None, "activity": activity}


@dataclass(frozen=True, slots=True)
class Counters:
    bookings_this_month: int
    messages_this_month: int
    storage_bytes: int

    @property
    def storage_label(self) -> str:
        size = float(self.storage_bytes)
        for unit in ("octets", "Ko", "Mo", "Go"):
            if size < 1024 or unit == "Go":
                return f"{size:.0f} {unit}" if unit == "octets" else f"{size:.1f} {unit}".replace(".", ",")
            size /= 1024
        return ""


async def counters(organisation_id: int, now: datetime | None = None) -> Counters:
    """This month's bookings made and e-mails/SMS sent, and the documents' storage, each by an index on
    (organisation, created_at) or (organisation, size)."""
    now = now or datetime.now(UTC)
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    bookings = await db.fetch_tuples("SELECT COUNT(*) FROM core_calendar_booking WHERE organisation = {} "
                                     "AND created_at >= {}", organisation_id, start)
    messages = await db.fetch_tuples("SELECT COUNT(*) FROM core_outbox WHERE organisation = {} AND created_at >= {} "
                                     "AND kind IN ('email', 'sms') AND status = 'sent'", organisation_id, start)
    storage = await db.fetch_tuples("SELECT COALESCE(SUM(size), 0) FROM core_document WHERE organisation = {}",
                                    organisation_id)
    return Counters(int(bookings[0][0]), int(messages[0][0]), int(storage[0][0]))


async def set_kind(operator: Operator, organisation_id: int, kind: str, ip: str = "") -> None:
    if kind not in KINDS:
        raise ValidationFailed.on("kind", "Choisissez un type d'organisation de la liste.")
    async with db.write_transaction():
        await OrganisationProfile.insert(OrganisationProfile(organisation=organisation_id, kind=kind)).on_conflict(
            target=OrganisationProfile.organisation, action="DO UPDATE", values=[OrganisationProfile.kind]).run()
        await audit.record("organisation.kind_set", organisation_id=organisation_id, ip=ip,
                           target=f"organisation:{organisation_id}",
                           summary=f"Type « {KINDS[kind]} » défini par l'opérateur {operator.email}")
