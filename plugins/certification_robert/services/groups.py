"""Groups (client, classe, session d'examen, autre); a candidate may be in several groups."""

from __future__ import annotations

from typing import Any

from core.plugin_api import FieldError, NotFound, ValidationFailed
from plugins.certification_robert.services import candidates
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Candidate, Group, GroupMember

CATEGORIES = {"client": "Client", "classe": "Classe", "session": "Session d'examen", "autre": "Autre"}


def _check(values: dict[str, Any]) -> tuple[str, str]:
    name = values.get("name") if isinstance(values.get("name"), str) else ""
    name = name.strip()
    errors = []
    if not name:
        errors.append(FieldError("name", "« Nom du groupe » est obligatoire."))
    elif len(name) > 200:
        errors.append(FieldError("name", "« Nom du groupe » ne doit pas dépasser 200 caractères."))
    category = values.get("category")
    if category not in CATEGORIES:
        errors.append(FieldError("category", "Choisissez une catégorie de groupe dans la liste."))
    if errors:
        raise ValidationFailed("Certaines informations sont invalides.", errors)
    return name, str(category)


async def get(c: Ctx, group_id: int) -> Group:
    row = await Group.objects().where((Group.id == group_id) & (Group.organisation == c.organisation_id)
                                      & (Group.office == c.office_id)).first()
    if row is None:
        raise NotFound("Ce groupe n'existe pas.")
    return row


async def save(c: Ctx, values: dict[str, Any], group_id: int | None = None) -> Group:
    name, category = _check(values)
    row = await get(c, group_id) if group_id else Group(organisation=c.organisation_id, office=c.office_id)
    row.name, row.category = name, category
    await row.save()
    return row


async def delete(c: Ctx, group_id: int) -> None:
    row = await get(c, group_id)
    await GroupMember.delete().where(GroupMember.group == row.id)
    await row.remove()


async def list_groups(c: Ctx) -> list[dict[str, Any]]:
    rows = await Group.select().where((Group.organisation == c.organisation_id) & (Group.office == c.office_id)
                                      ).order_by(Group.name)
    counts: dict[int, int] = {}
    for m in await GroupMember.select(GroupMember.group).where(GroupMember.organisation == c.organisation_id):
        counts[m["group"]] = counts.get(m["group"], 0) + 1
    return [out(r, counts.get(r["id"], 0)) for r in rows]


def out(r: dict[str, Any], count: int = 0) -> dict[str, Any]:
    return {"id": r["id"], "name": r["name"], "category": r["category"],
            "category_label": CATEGORIES[r["category"]], "candidates": count}


async def associate(c: Ctx, group_id: int, candidate_ids: list[int]) -> int:
    """Adds the candidates to the group (already there: ignored); an unknown id → 404, nothing written."""
    group = await get(c, group_id)
    for cid in candidate_ids:
        await candidates.get(c, cid)
    present = {m["candidate"] for m in await GroupMember.select(GroupMember.candidate).where(
        GroupMember.group == group.id)}
    new = [GroupMember(organisation=c.organisation_id, group=group.id, candidate=cid)
           for cid in dict.fromkeys(candidate_ids) if cid not in present]
    if new:
        await GroupMember.insert(*new)
    return len(new)


async def dissociate(c: Ctx, group_id: int, candidate_id: int) -> None:
    group = await get(c, group_id)
    await GroupMember.delete().where((GroupMember.group == group.id) & (GroupMember.candidate == candidate_id))


async def groups_of(c: Ctx, candidate_id: int) -> list[int]:
    await candidates.get(c, candidate_id)
    rows = await GroupMember.select(GroupMember.group).where(GroupMember.candidate == candidate_id)
    return sorted(r["group"] for r in rows)


__all__ = ["CATEGORIES", "Candidate"]
