"""Which module is active in which office. Reads only; changes go through the checkout.

The reads run on every gated plugin request and every office list: raw statements through `db.fetch`.
Within a plugin request an office's modules are read once (core.request_memo)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable

from core import db, request_memo
from core.modules.tables import ModuleActivation
from core.tenancy import services as tenancy
from core.tenancy.actor import Actor
from core.tenancy.services import OfficeInfo

_ACTIVE = f"SELECT office, module FROM {ModuleActivation._meta.tablename} WHERE active = {{}}"


async def is_active(office_id: int, module: str) -> bool:
    if request_memo.active():
        return module in await active_in_office(office_id)
    return bool(await db.fetch(_ACTIVE + " AND office = {} AND module = {}", True, office_id, module))


async def active_in_office(office_id: int) -> set[str]:
    kept = request_memo.recall(("active modules", office_id))
    if kept is not request_memo.MISSING:
        return set(kept)
    found = {row["module"] for row in await db.fetch(_ACTIVE + " AND office = {}", True, office_id)}
    request_memo.keep(("active modules", office_id), frozenset(found))
    return found


async def active_by_office(organisation_id: int) -> dict[int, list[str]]:
    """{office_id: sorted module ids} for the organisation's offices with at least one active module."""
    rows = await db.fetch(_ACTIVE + " AND organisation = {}", True, organisation_id)
    result: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        result[row["office"]].append(row["module"])
    for office, modules in result.items():  # offices without any active module are read if asked
        request_memo.keep(("active modules", office), frozenset(modules))
    return {office: sorted(modules) for office, modules in result.items()}


_OFFICES_WITH_MODULES = f"""
    SELECT v.id, v.name, v.address, v.timezone, a.module FROM ({{}}) v
    LEFT JOIN {ModuleActivation._meta.tablename} a ON a.office = v.id AND a.active = {{{{}}}}
    ORDER BY v.id, a.module
"""


@functools.cache
def _offices_with_modules_sql(offices_sql: str) -> str:  # two variants (admins, attached members)
    return _OFFICES_WITH_MODULES.format(offices_sql)


async def visible_offices_with_modules(actor: Actor, shown: Callable[[str], bool]
                                       ) -> list[tuple[OfficeInfo, list[str]]]:
    """The offices the actor sees, each with its sorted active module ids for which `shown(id)` (the mounted
    ones), in one statement (the office list is read on every `GET /api/v1/offices`)."""
    sql, args = tenancy.visible_offices_sql(actor)
    result: list[tuple[OfficeInfo, list[str]]] = []
    last_id = None
    for office_id, name, address, timezone, module in await db.fetch_tuples(
            _offices_with_modules_sql(sql), *args, True):
        if office_id != last_id:
            last_id = office_id
            result.append((OfficeInfo(office_id, name, address, timezone), []))
        if module is not None and shown(module):
            result[-1][1].append(module)
    return result


async def set_active(organisation_id: int, office_id: int, module: str, active: bool,
                     order_id: int | None = None) -> None:
    """Upsert the activation row (inside the caller's transaction). The module's data is never touched."""
    request_memo.forget(("active modules", office_id))
    row = await ModuleActivation.objects().where(
        (ModuleActivation.office == office_id) & (ModuleActivation.module == module)).first()
    if row is None:
        await ModuleActivation(organisation=organisation_id, office=office_id, module=module, active=active,
                               order=order_id).save()
        return
    await ModuleActivation.update({ModuleActivation.active: active, ModuleActivation.order: order_id,
                                   ModuleActivation.changed_at: ModuleActivation.changed_at.default.python()}
                                  ).where(ModuleActivation.id == row.id)
