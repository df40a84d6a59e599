"""Per-member grants of a module permission. A permission declared `Permission(..., granted=True)` is held
by the owner (gérant, the legal representative) and by the members the owner grants it to — whatever their
role. Only the owner grants or revokes; every change is audited in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core import audit, db
from core.errors import Forbidden, ValidationFailed
from core.grants.tables import PermissionGrant
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Member


def _require_owner(actor: Actor) -> None:
    if actor.role is not Role.owner:
        raise Forbidden("Seul le gérant de l'organisation peut accorder ce droit.")


async def has_grant(actor: Actor, permission: str) -> bool:
    """Whether the actor holds `permission` through a grant (the owner always does)."""
    if actor.role is Role.owner:
        return True
    return await PermissionGrant.exists().where(
        (PermissionGrant.member == actor.member_id)
        & (PermissionGrant.permission == permission)
        & (PermissionGrant.organisation == actor.organisation_id)
    )


async def list_grants(actor: Actor) -> list[dict[str, Any]]:
    _require_owner(actor)
    rows = (
        await PermissionGrant.select(
            PermissionGrant.id,
            PermissionGrant.member,
            PermissionGrant.permission,
            PermissionGrant.created_at,
            PermissionGrant.member.display_name.as_alias("member_name"),
        )
        .where(PermissionGrant.organisation == actor.organisation_id)
        .order_by(PermissionGrant.id)
    )
    return list(rows)


async def grant(
    actor: Actor, member_id: object, permission: str, grantable: Mapping[str, str], ip: str = ""
) -> dict[str, Any]:
    """Grant `permission` (one of `grantable`: name → label) to a member of the actor's organisation.
    Granting twice answers the existing grant."""
    _require_owner(actor)
    if permission not in grantable:
        raise ValidationFailed.on("permission", "Ce droit n'existe pas ou ne s'accorde pas membre par membre.")
    member = await actor.scope.get(Member, member_id, "Ce membre n'existe pas.")
    async with db.write_transaction():
        existing = (
            await PermissionGrant.objects()
            .where((PermissionGrant.member == member.id) & (PermissionGrant.permission == permission))
            .first()
        )
        if existing is None:
            existing = PermissionGrant(
                organisation=actor.organisation_id, member=member.id, permission=permission, granted_by=actor.user_id
            )
            await existing.save()
            await audit.record(
                "grant.added",
                organisation_id=actor.organisation_id,
                actor_user_id=actor.user_id,
                target=f"member:{member.id}",
                ip=ip,
                summary=f"Droit « {grantable[permission]} » accordé à {member.display_name}",
                details={"permission": permission},
            )
    return {"id": existing.id, "member": member.id, "permission": permission, "member_name": member.display_name}


async def revoke(actor: Actor, grant_id: object, grantable: Mapping[str, str], ip: str = "") -> None:
    _require_owner(actor)
    row = await actor.scope.get(PermissionGrant, grant_id, "Ce droit accordé n'existe pas.")
    member = await Member.objects().get(Member.id == row.member)
    async with db.write_transaction():
        await PermissionGrant.delete().where(PermissionGrant.id == row.id)
        label = grantable.get(row.permission, row.permission)
        await audit.record(
            "grant.removed",
            organisation_id=actor.organisation_id,
            actor_user_id=actor.user_id,
            target=f"member:{row.member}",
            ip=ip,
            summary=f"Droit « {label} » retiré à {member.display_name if member else row.member}",
            details={"permission": row.permission},
        )
