"""Data helpers a plugin needs around its own tables: transactions, locks, audit and read-only views of
the organisation's members and offices. Plugins never import `core.db` or `core.tenancy` directly."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core import audit as _audit
from core import db as _db
from core import request_memo as _request_memo
from core.errors import NotFound
from core.tenancy.actor import Actor
from core.tenancy.roles import Role


class MemberInfo(msgspec.Struct, frozen=True):
    """A member of the organisation as a plugin sees it (intervenants have no email and never log in)."""

    id: int
    display_name: str
    role: Role
    email: str | None = None


class OrganisationInfo(msgspec.Struct, frozen=True):
    id: int
    slug: str
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""


class ServiceContract(msgspec.Struct, frozen=True):
    """The order that activated a module in an office (API 1.3): its per-organisation number and date."""

    order_id: int
    number: int
    placed_at: datetime


class ApiTokenInfo(msgspec.Struct, frozen=True):
    """One of the member's API tokens (API 1.3); the secret itself is shown only once, at creation."""

    id: int
    name: str
    created_at: datetime
    revoked: bool


def write_transaction() -> Any:
    """`async with write_transaction():` a read-then-write transaction (BEGIN IMMEDIATE on SQLite)."""
    return _db.write_transaction()


def is_postgres() -> bool:
    return _db.is_postgres()


async def lock(key: str) -> None:
    """Serialise writers on `key` until the end of the current transaction (an advisory lock on
    PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises every writer)."""
    if _db.is_postgres():
        await _db.engine().run_ddl(f"SELECT pg_advisory_xact_lock(hashtext('{_quote(key)}'))")


def _quote(text: str) -> str:
    return text.replace("'", "''")


async def audit(actor: Actor | None, action: str, *, organisation_id: int, target: str = "", summary: str = "",
                details: dict[str, Any] | None = None) -> None:
    """Write an audit entry inside the current transaction (`action` should start with the plugin id)."""
    await _audit.record(action, organisation_id=organisation_id, actor_user_id=actor.user_id if actor else None,
                        target=target, summary=summary, details=details)


async def members(organisation_id: int, office_id: int | None = None) -> list[MemberInfo]:
    """The organisation's members (those attached to `office_id` when given), by name."""
    from core.tenancy.tables import Member, MemberOffice

    query = Member.select(Member.id, Member.display_name, Member.role, Member.user.email).where(
        Member.organisation == organisation_id)
    if office_id is not None:
        query = query.where(Member.id.is_in(
            MemberOffice.select(MemberOffice.member).where(MemberOffice.office == office_id)))
    rows = await query.order_by(Member.display_name)
    return [MemberInfo(r["id"], r["display_name"], Role(r["role"]), r["user.email"]) for r in rows]


async def member(organisation_id: int, member_id: Any) -> MemberInfo:
    """One member of the organisation, or NotFound (also for another organisation's member)."""
    try:
        wanted = int(member_id)
    except (TypeError, ValueError):
        raise NotFound("Cet agent n'existe pas.") from None
    for info in await members(organisation_id):
        if info.id == wanted:
            return info
    raise NotFound("Cet agent n'existe pas.")


async def organisation(organisation_id: int) -> OrganisationInfo:
    """The organisation's public details (read once per plugin request: core.request_memo)."""
    kept = _request_memo.recall(("organisation", organisation_id))
    if kept is not _request_memo.MISSING:
        return kept  # type: ignore[no-any-return]
    rows = await _db.fetch_tuples("SELECT id, slug, name, address, phone, email FROM core_organisation "
                                  "WHERE id = {} LIMIT 1", organisation_id)  # raw: text columns only
    if not rows:
        raise NotFound()
    return _kept(OrganisationInfo(*rows[0]))


async def organisation_by_slug(slug: str) -> OrganisationInfo:
    """Read on every request of an organisation's public pages: a raw read (text columns only)."""
    rows = await _db.fetch_tuples("SELECT id, slug, name, address, phone, email FROM core_organisation "
                                  "WHERE slug = {} LIMIT 1", slug)
    if not rows:
        raise NotFound()
    return _kept(OrganisationInfo(*rows[0]))


def _kept(info: OrganisationInfo) -> OrganisationInfo:
    _request_memo.keep(("organisation", info.id), info)
    return info


async def office_timezone(organisation_id: int, office_id: int) -> str:
    rows = await _db.fetch_tuples("SELECT timezone FROM core_office WHERE id = {} AND organisation = {}",
                                  office_id, organisation_id)  # raw: read on every online booking
    if not rows:
        raise NotFound()
    return str(rows[0][0])
