"""Assigning certifications consumes the stock, all or nothing, and never below zero even with 20 concurrent
assignments (the PostgreSQL run is the real race)."""

import asyncio
from datetime import date, timedelta

from core.plugin_api import SocleError
from plugins.certification_robert.services import stock
from plugins.certification_robert.services.common import Ctx

PASSWORD = {"mot_de_passe": "secret1", "confirmation": "secret1"}
INFOS = {"statut": "salarie", "financement": "cpf"}
SOON = (date.today() + timedelta(days=10)).isoformat()


async def ready(c, n: int) -> list[int]:
    ids = []
    for i in range(n):
        made = await c.candidate(nom=f"Nom{i:02d}", courriel=f"c{i}@clr.com")
        await c.call("PUT", f"/candidates/{made['id']}/steps/mot_de_passe", json=PASSWORD)
        await c.call("PUT", f"/candidates/{made['id']}/steps/informations", json=INFOS)
        ids.append(made["id"])
    return ids


async def test_assignment_consumes_stock_all_or_nothing(centre) -> None:
    c = await centre()
    ctx = Ctx(c.org.organisation_id, c.org.office_id)
    ids = await ready(c, 3)
    await stock.add(ctx, "centre", 2)
    r = await c.call("POST", "/assignments", json={"kind": "centre", "planned_on": SOON, "candidate_ids": ids})
    assert r.status_code == 409 and "insuffisant" in r.json()["detail" if "detail" in r.json() else "message"]
    assert (await c.call("GET", "/stock")).json() == {"centre": 2, "laposte": 0}
    r = await c.call("POST", "/assignments", json={"kind": "centre", "planned_on": SOON, "candidate_ids": ids[:2]})
    assert r.status_code == 201 and r.json()["stock"]["centre"] == 0
    listed = {x["id"]: x for x in (await c.call("GET", "/candidates")).json()}
    assert listed[ids[0]]["statut"] == "en_attente" and listed[ids[0]]["date_passage"] == SOON
    assert listed[ids[2]]["statut"] == "a_attribuer"
    r = await c.call("POST", "/assignments", json={"kind": "centre", "planned_on": "hier", "candidate_ids": []})
    assert {e["field"] for e in r.json()["errors"]} == {"planned_on", "candidate_ids"}
    await stock.add(ctx, "centre", 5)
    r = await c.call("POST", "/assignments", json={"kind": "centre", "planned_on": SOON, "candidate_ids": ids[:1]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "candidate_ids"  # already assigned
    other = await centre("École Voltaire")
    r = await other.call("POST", "/assignments", json={"kind": "centre", "planned_on": SOON, "candidate_ids": ids})
    assert r.status_code == 404


async def test_stock_never_negative_under_20_concurrent_assignments(centre) -> None:
    c = await centre()
    ctx = Ctx(c.org.organisation_id, c.org.office_id)
    ids = await ready(c, 20)
    await stock.add(ctx, "laposte", 10)

    async def one(cid: int) -> bool:
        try:
            await stock.assign(ctx, "laposte", SOON, [cid], "09:30", "1 rue de la Poste, 69001 Lyon")
            return True
        except SocleError:
            return False

    results = await asyncio.gather(*(one(i) for i in ids))
    assert sum(results) == 10
    assert (await stock.levels(ctx))["laposte"] == 0
    statuses = [x["statut"] for x in (await c.call("GET", "/candidates")).json()]
    assert statuses.count("prevue") == 10 and statuses.count("a_attribuer") == 10
