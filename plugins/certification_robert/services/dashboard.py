"""The module's « Accueil »: certifications in stock by type, candidates by status, groups."""

from __future__ import annotations

from typing import Any

from plugins.certification_robert.services import stock
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Candidate, Group

# the dashboard's three columns (seed 002): « à attribuer », « en attente » (assigned, exam to come), « passées »
BUCKETS = {"a_attribuer": "a_attribuer", "en_attente": "en_attente", "prevue": "en_attente", "passee": "passee",
           "en_creation": "en_creation"}


async def summary(c: Ctx) -> dict[str, Any]:
    levels = await stock.levels(c)
    counts = dict.fromkeys(("en_creation", "a_attribuer", "en_attente", "passee"), 0)
    rows = await Candidate.select(Candidate.status).where(
        (Candidate.organisation == c.organisation_id) & (Candidate.office == c.office_id))
    for r in rows:
        counts[BUCKETS.get(r["status"], "en_creation")] += 1
    groups = await Group.count().where((Group.organisation == c.organisation_id) & (Group.office == c.office_id))
    return {"stock": levels, "stock_total": sum(levels.values()), "kinds": stock.KINDS, "candidates": counts,
            "candidates_total": len(rows), "groups": groups}
