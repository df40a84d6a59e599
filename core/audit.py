"""Audit log of security-relevant actions (login, role change, activation, order, deletion…)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from piccolo.utils.encoding import dump_json

from core.auth.tables import AuditEntry


async def record(
    action: str,
    *,
    organisation_id: int | None = None,
    actor_user_id: int | None = None,
    target: str = "",
    summary: str = "",
    details: dict[str, Any] | None = None,
    ip: str = "",
) -> None:
    """Write one audit entry; call it inside the transaction of the change it records (a raw insert: every
    booking writes one)."""
    from core import db

    await db.insert(AuditEntry, {"organisation": organisation_id, "actor": actor_user_id, "action": action,
                                 "target": target, "details": dump_json(details or {}), "ip": ip,
                                 "at": datetime.now(UTC), "summary": summary})


_ORGANISATION_LOG_SQL = """
    SELECT a.at, a.action, a.summary, a.ip, u.email AS actor_email
    FROM core_audit a LEFT JOIN core_user u ON u.id = a.actor
    WHERE a.organisation = {}
       OR (a.organisation IS NULL AND a.actor IN (SELECT m."user" FROM core_member m WHERE m.organisation = {}))
    ORDER BY a.id DESC LIMIT {}
"""


async def organisation_log(organisation_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """The latest entries of an organisation, its members' logins included."""
    from core import db

    return await db.fetch(_ORGANISATION_LOG_SQL, organisation_id, organisation_id, limit)
