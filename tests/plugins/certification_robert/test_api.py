"""Candidates through the API: draft at Identité, steps revisited, status, unique email per organisation,
filters, groups many-to-many, other organisation → 404, role matrix."""

from core.testing.fixtures import api_token

PASSWORD = {"mot_de_passe": "secret1", "confirmation": "secret1"}
INFOS = {"statut": "salarie", "financement": "cpf"}


async def test_five_steps_draft_then_status(centre) -> None:
    c = await centre()
    made = await c.candidate()
    assert made["statut"] == "en_creation" and made["etapes"] == ["identite"]
    r = await c.call("PUT", f"/candidates/{made['id']}/steps/informations", json=INFOS)
    assert r.status_code == 200, r.text
    again = (await c.call("GET", f"/candidates/{made['id']}")).json()  # the draft survives a reload
    assert again["statut"] == "en_creation" and again["donnees"]["informations"]["financement"] == "cpf"
    r = await c.call("PUT", f"/candidates/{made['id']}/steps/mot_de_passe", json=PASSWORD)
    assert r.json()["statut"] == "a_attribuer"
    assert "mot_de_passe" not in r.json()["donnees"]["mot_de_passe"]
    r = await c.call("PUT", f"/candidates/{made['id']}/steps/identite",
                     json={**made["donnees"]["identite"], "prenom": "Sébastien-Marie"})
    assert r.status_code == 200 and r.json()["nom"] == "ALLERA Sébastien-Marie"


async def test_refusals_name_the_field(centre) -> None:
    c = await centre()
    r = await c.call("POST", "/candidates", json={"nom": "Seul"})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert "courriel" in fields and "nom" not in fields
    made = await c.candidate()
    r = await c.call("PUT", f"/candidates/{made['id']}/steps/mot_de_passe", json={"mot_de_passe": "abc"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "mot_de_passe"
    r = await c.call("PUT", f"/candidates/{made['id']}/steps/inconnue", json={})
    assert r.status_code == 422
    assert (await c.call("GET", "/candidates")).json()[0]["statut"] == "en_creation"


async def test_email_unique_per_organisation(centre) -> None:
    a, b = await centre(), await centre("École Voltaire")
    await a.candidate()
    await b.candidate()  # the same email in another organisation is fine
    r = await a.call("POST", "/candidates", json=_identite("SEBASTIEN@clr.com"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "courriel"
    other = await a.candidate(courriel="autre@clr.com")
    r = await a.call("PUT", f"/candidates/{other['id']}/steps/identite", json=_identite("sebastien@clr.com"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "courriel"


def _identite(email: str) -> dict:
    from tests.plugins.certification_robert.conftest import IDENTITE

    return {**IDENTITE, "courriel": email}


async def test_filters_and_groups_many_to_many(centre) -> None:
    c = await centre()
    seb = await c.candidate()
    ana = await c.candidate(nom="Martin", prenom="Ana", courriel="ana@clr.com")
    await c.call("PUT", f"/candidates/{ana['id']}/steps/mot_de_passe", json=PASSWORD)
    await c.call("PUT", f"/candidates/{ana['id']}/steps/informations", json=INFOS)
    g1 = await c.make("/groups", {"name": "BTS 2027", "category": "classe"})
    g2 = await c.make("/groups", {"name": "Session mars", "category": "session"})
    for g in (g1, g2):
        r = await c.call("POST", f"/groups/{g['id']}/candidates", json={"candidate_ids": [ana["id"]]})
        assert r.status_code == 201 and r.json() == {"added": 1}
    await c.call("POST", f"/groups/{g1['id']}/candidates", json={"candidate_ids": [seb["id"], ana["id"]]})
    names = lambda r: [x["nom"] for x in r.json()]  # noqa: E731
    assert names(await c.call("GET", "/candidates?q=clr.com")) == ["ALLERA Sébastien", "MARTIN Ana"]
    assert names(await c.call("GET", "/candidates?q=mart")) == ["MARTIN Ana"]
    assert names(await c.call("GET", "/candidates?status=a_attribuer")) == ["MARTIN Ana"]
    assert names(await c.call("GET", f"/candidates?group_id={g2['id']}")) == ["MARTIN Ana"]
    assert names(await c.call("GET", f"/candidates?group_id={g1['id']}&status=en_creation")) == ["ALLERA Sébastien"]
    assert (await c.call("GET", f"/candidates/{ana['id']}")).json()["groups"] == sorted([g1["id"], g2["id"]])
    listed = {g["name"]: g["candidates"] for g in (await c.call("GET", "/groups")).json()}
    assert listed == {"BTS 2027": 2, "Session mars": 1}
    r = await c.call("POST", "/groups", json={"name": "", "category": "x"})
    assert {e["field"] for e in r.json()["errors"]} == {"name", "category"}
    await c.call("DELETE", f"/groups/{g1['id']}")
    assert (await c.call("GET", f"/candidates/{ana['id']}")).json()["groups"] == [g2["id"]]


async def test_other_organisation_ids_are_404(centre) -> None:
    a, b = await centre(), await centre("École Voltaire")
    seb = await a.candidate()
    group = await a.make("/groups", {"name": "Client A", "category": "client"})
    assert (await b.call("GET", f"/candidates/{seb['id']}")).status_code == 404
    assert (await b.call("PUT", f"/candidates/{seb['id']}/steps/informations", json=INFOS)).status_code == 404
    assert (await b.call("PUT", f"/groups/{group['id']}", json={"name": "x", "category": "autre"})).status_code == 404
    mine = await b.make("/groups", {"name": "Client B", "category": "client"})
    r = await b.call("POST", f"/groups/{mine['id']}/candidates", json={"candidate_ids": [seb["id"]]})
    assert r.status_code == 404
    assert (await b.call("GET", "/candidates")).json() == []


async def test_role_matrix(centre, add_member, client) -> None:
    c = await centre()
    _, email = await add_member(c.org, "basic")
    basic = await api_token(client, email)
    assert (await c.call("GET", "/candidates", headers=basic)).status_code == 200
    assert (await c.call("POST", "/groups", headers=basic, json={"name": "G", "category": "autre"})).status_code == 201
    cart = {"PART-CLR-EXAMEN": 10, "PART-LAPOSTE-EXAMEN": 10}
    assert (await c.call("POST", "/cart", headers=basic, json=cart)).status_code == 403
    r = await c.call("POST", "/cart", json=cart)
    assert r.status_code == 200 and r.json()["total_ttc"] == "2\u00a0052,00\u00a0€"
