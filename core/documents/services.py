"""Documents: store, list, read with the reader checked, detach from an erased account, purge past
`keep_until` (audited). The routes only translate; rules are here."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import msgspec

from core import audit, db
from core.documents.storage import Storage, bound_storage, new_key
from core.documents.tables import Document
from core.errors import NotFound, ValidationFailed
from core.tenancy.actor import Actor
from core.tenancy.roles import Role

if TYPE_CHECKING:  # core.plugin_api imports this module
    from core.plugin_api.manifest import Permission

MAX_BYTES = 20 * 1024 * 1024
CONTENT_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")
GONE = "Ce document n'existe pas."


class DocumentInfo(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    organisation_id: int
    office_id: int | None
    module: str
    user_id: int | None
    person_ref: str
    kind: str
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    keep_until: date
    created_at: datetime | None = None


def _info(row: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(id=row["id"], organisation_id=row["organisation"], office_id=row["office"],
                        module=row["module"], user_id=row["user"], person_ref=row["person_ref"], kind=row["kind"],
                        title=row["title"], filename=row["filename"], content_type=row["content_type"],
                        size=row["size"], sha256=row["sha256"], keep_until=row["keep_until"],
                        created_at=row["created_at"])


def safe_filename(name: str) -> str:
    """The last path segment, without control characters or quotes: safe in Content-Disposition."""
    name = re.split(r"[/\\]", name or "")[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = name.replace('"', "").replace(";", "").strip(" .")
    return name[:200] or "document"


async def store(*, organisation_id: int, module: str, kind: str, title: str, filename: str, content: bytes,
                content_type: str, keep_until: date, office_id: int | None = None, user_id: int | None = None,
                person_ref: str = "", storage: Storage | None = None) -> DocumentInfo:
    """Keep a file owed to someone until `keep_until` (then the purge deletes it). The bytes are written
    first, then the row; a failed insert removes the bytes."""
    if not isinstance(content, bytes | bytearray) or len(content) > MAX_BYTES:
        raise ValidationFailed.on("content", "Le document est vide ou dépasse 20 Mo.")
    if not CONTENT_TYPE_RE.match(content_type or ""):
        raise ValidationFailed.on("content_type", "Type de contenu invalide.")
    if not (kind or "").strip() or not (title or "").strip():
        raise ValidationFailed.on("title", "Un document a un type et un titre.")
    target = storage or bound_storage()
    key = new_key()
    await target.put(key, bytes(content))
    try:
        row = Document(organisation=organisation_id, office=office_id, module=module[:50], user=user_id,
                       person_ref=person_ref[:100], kind=kind.strip()[:50], title=title.strip()[:200],
                       filename=safe_filename(filename), content_type=content_type, size=len(content),
                       sha256=hashlib.sha256(content).hexdigest(), storage_key=key, keep_until=keep_until)
        await row.save()
    except BaseException:
        await target.delete(key)
        raise
    return await get(int(row.id))


async def get(document_id: int) -> DocumentInfo:
    row = await Document.select().where(Document.id == document_id).first()
    if row is None:
        raise NotFound(GONE)
    return _info(row)


def _id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(GONE) from None


async def list_for_account(user_id: int) -> list[DocumentInfo]:
    rows = await Document.select().where(Document.user == user_id).order_by(Document.id, ascending=False)
    return [_info(r) for r in rows]


async def count_for_account(user_id: int) -> int:
    return int(await Document.count().where(Document.user == user_id))


async def list_for_office(organisation_id: int, office_id: int, module: str | None = None) -> list[DocumentInfo]:
    query = Document.select().where((Document.organisation == organisation_id) & (Document.office == office_id))
    if module is not None:
        query = query.where(Document.module == module)
    return [_info(r) for r in await query.order_by(Document.id, ascending=False)]


async def _content(row: dict[str, Any], storage: Storage | None) -> tuple[DocumentInfo, bytes]:
    return _info(row), await (storage or bound_storage()).get(row["storage_key"])


async def read_for_account(user_id: int, document_id: Any, storage: Storage | None = None
                           ) -> tuple[DocumentInfo, bytes]:
    """A document of that person, or NotFound (someone else's included)."""
    row = await Document.select().where((Document.id == _id(document_id)) & (Document.user == user_id)).first()
    if row is None:
        raise NotFound(GONE)
    return await _content(row, storage)


async def may_read(actor: Actor, required: Role | Permission) -> bool:
    """Whether the actor holds what a module asks to read its documents: a role, or a permission (its role,
    and the owner's grant when it is `granted`)."""
    from core.grants.services import has_grant

    if isinstance(required, Role):
        return actor.role.at_least(required)
    if not actor.role.at_least(required.role):
        return False
    return not required.granted or await has_grant(actor, required.name)


async def read_for_staff(actor: Actor, document_id: Any, role_for: Callable[[str], Role | Permission],
                         storage: Storage | None = None) -> tuple[DocumentInfo, bytes]:
    """A document of the actor's organisation, in an office they see, when they hold what its module asks to
    read its documents (`role_for(module)`: a role, or a permission with its grant); NotFound otherwise, like a
    member who does not see the office (another organisation's id tells nothing either)."""
    from core.tenancy import services as tenancy

    row = await Document.select().where((Document.id == _id(document_id))
                                        & (Document.organisation == actor.organisation_id)).first()
    if row is None:
        raise NotFound(GONE)
    if row["office"] is not None:
        await tenancy.get_office(actor, row["office"])  # NotFound when the member does not see that office
    elif not actor.role.at_least(Role.admin):
        raise NotFound(GONE)
    if not await may_read(actor, role_for(row["module"])):
        raise NotFound(GONE)
    return await _content(row, storage)


async def delete(organisation_id: int, document_id: int, storage: Storage | None = None) -> None:
    """Delete one document (row, then bytes)."""
    async with db.write_transaction():
        rows = await Document.delete().where((Document.id == document_id)
                                             & (Document.organisation == organisation_id)).returning(
            Document.storage_key)
    for row in rows:
        await (storage or bound_storage()).delete(row["storage_key"])


async def attach(module: str, document_ids: list[int], user_id: int) -> int:
    """Give a module's documents that have no person yet to the account that proved it is that person (a
    claim the module checked); returns how many. Another module's or an attached document is left alone."""
    if not document_ids:
        return 0
    rows = await Document.update({Document.user: user_id}).where(
        (Document.module == module) & Document.id.is_in(list(document_ids)) & Document.user.is_null()
    ).returning(Document.id)
    return len(rows)


async def detach_account(user_id: int) -> int:
    """An erased account: its documents stay until `keep_until` (legal retention) without the link to the
    person. Returns how many (inside the caller's transaction)."""
    rows = await Document.update({Document.user: None}).where(Document.user == user_id).returning(Document.id)
    return len(rows)


async def purge_expired(today: date | None = None, storage: Storage | None = None, batch: int = 500) -> int:
    """Delete every document whose `keep_until` has passed, one audit entry each; returns the count."""
    target = storage or bound_storage()
    day = today or date.today()
    purged = 0
    while True:
        async with db.write_transaction():
            rows = await Document.select(Document.id, Document.organisation, Document.module, Document.kind,
                                         Document.title, Document.keep_until, Document.storage_key).where(
                Document.keep_until < day).limit(batch)
            if not rows:
                return purged
            await Document.delete().where(Document.id.is_in([r["id"] for r in rows]))
            for r in rows:
                await audit.record("documents.purged", organisation_id=r["organisation"], target=f"document:{r['id']}",
                                   summary=f"Document « {r['title']} » supprimé (conservation jusqu'au "
                                           f"{r['keep_until']:%d/%m/%Y})",
                                   details={"module": r["module"], "kind": r["kind"]})
        for r in rows:  # the rows are gone for good: now the bytes
            await target.delete(r["storage_key"])
        purged += len(rows)
