"""Suspending an organisation: its members get a French notice instead of pages, its API tokens are refused,
its public pages say the service is unavailable; nothing is deleted, and unsuspending restores everything.

The suspended ids are read on every authenticated request, so they are cached in the process for
`TTL_SECONDS` (a change made in this process is seen at once; another process sees it within the TTL)."""

from __future__ import annotations

import time

from core import audit, db
from core.errors import Forbidden, Unavailable
from core.operators.tables import Operator, Suspension
from core.tenancy.tables import Organisation

TTL_SECONDS = 2.0
MEMBER_NOTICE = ("Votre organisation est suspendue par l'opérateur de la plateforme. Vos données sont conservées ; "
                 "contactez l'opérateur pour rétablir l'accès.")
PUBLIC_NOTICE = "Ce service est momentanément indisponible."
_cache: dict[str, object] = {"at": 0.0, "ids": frozenset()}


class Suspended(Forbidden):
    default_message = MEMBER_NOTICE


async def suspended_ids() -> frozenset[int]:
    if time.monotonic() - float(_cache["at"]) > TTL_SECONDS:  # type: ignore[arg-type]
        rows = await db.fetch_tuples("SELECT organisation FROM core_operator_suspension")
        _cache.update(ids=frozenset(int(r[0]) for r in rows), at=time.monotonic())
    return _cache["ids"]  # type: ignore[return-value]


def fresh_suspended_ids() -> frozenset[int] | None:
    """The cached ids while fresh (no await on the hot path), else None: then call `suspended_ids`."""
    if time.monotonic() - float(_cache["at"]) > TTL_SECONDS:  # type: ignore[arg-type]
        return None
    return _cache["ids"]  # type: ignore[return-value]


def _forget() -> None:
    _cache["at"] = 0.0


async def check_member(organisation_id: int) -> None:
    if organisation_id in await suspended_ids():
        raise Suspended()


async def check_public(organisation_id: int) -> None:
    if organisation_id in await suspended_ids():
        raise Unavailable(PUBLIC_NOTICE)


async def suspend(operator: Operator, organisation_id: int, reason: str) -> None:
    async with db.write_transaction():
        await db.lock_row(Organisation, organisation_id)
        if not await Suspension.exists().where(Suspension.organisation == organisation_id):
            await Suspension(organisation=organisation_id, reason=reason.strip(), operator=operator.id).save()
            await audit.record("organisation.suspended", organisation_id=organisation_id,
                               summary=f"Organisation suspendue par {operator.email} : {reason.strip()}")
    _forget()


async def unsuspend(operator: Operator, organisation_id: int) -> None:
    async with db.write_transaction():
        gone = await Suspension.delete().where(Suspension.organisation == organisation_id).returning(Suspension.id)
        if gone:
            await audit.record("organisation.unsuspended", organisation_id=organisation_id,
                               summary=f"Suspension levée par {operator.email}")
    _forget()


async def is_suspended(organisation_id: int) -> bool:
    return await Suspension.exists().where(Suspension.organisation == organisation_id)
