"""Audit log of security-relevant actions (login, role change, activation, order, deletion…)."""

from __future__ import annotations

from typing import Any

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
    """Write one audit entry; call it inside the transaction of the change it records."""
    await AuditEntry.insert(
        AuditEntry(
            organisation=organisation_id,
            actor=actor_user_id,
            action=action,
            target=target,
            summary=summary,
            details=details or {},
            ip=ip,
        )
    ).run()
