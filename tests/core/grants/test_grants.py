"""Per-member grants of a module permission (core.grants, API 1.2), through formation_cqc's « Mes sessions »:
a manager without the grant gets 403, the owner grants it (page or API) and it is audited, the manager then
opens the page; revoking closes it again; only the owner grants; another organisation's member is 404."""

import pytest

from core.testing.fixtures import api_token, login, submit

SESSIONS = "formation_cqc.sessions"


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


def _page(org):
    return f"/offices/{org.office_id}/m/formation_cqc/sessions"


async def test_grant_opens_the_sessions_page_and_is_audited(client, office_with_plugin, add_member):
    org = office_with_plugin
    member_id, email = await add_member(org, "admin")
    manager = await api_token(client, email)
    api = f"/api/v1/offices/{org.office_id}/m/formation_cqc/sessions"
    assert (await client.get(api, headers=manager)).status_code == 403
    owner = await api_token(client, org.owner_email)
    assert (await client.get(api, headers=owner)).status_code == 200  # the owner always holds it

    assert (
        await client.post("/api/v1/grants", json={"member_id": member_id, "permission": SESSIONS}, headers=manager)
    ).status_code == 403  # an admin cannot grant
    response = await client.post("/api/v1/grants", json={"member_id": member_id, "permission": SESSIONS}, headers=owner)
    assert response.status_code == 201, response.text
    grant = response.json()
    again = await client.post("/api/v1/grants", json={"member_id": member_id, "permission": SESSIONS}, headers=owner)
    assert again.json()["id"] == grant["id"]
    assert (await client.get(api, headers=manager)).status_code == 200
    assert [g["member"] for g in (await client.get("/api/v1/grants", headers=owner)).json()] == [member_id]

    await login(client, org.owner_email)
    audit = (await client.get("/config/audit")).text
    assert "grant.added" in audit and "Enregistrer des sessions de formation" in audit

    assert (await client.delete(f"/api/v1/grants/{grant['id']}", headers=owner)).status_code == 204
    assert (await client.get(api, headers=manager)).status_code == 403
    assert "grant.removed" in (await client.get("/config/audit")).text


async def test_bad_grants_name_the_field_or_404(client, office_with_plugin, add_member, make_org):
    org = office_with_plugin
    member_id, _ = await add_member(org, "basic")
    other = await make_org("Autre centre")
    other_member, _ = await add_member(other, "basic")
    owner = await api_token(client, org.owner_email)
    response = await client.post(
        "/api/v1/grants", json={"member_id": member_id, "permission": "formation_cqc.configure"}, headers=owner
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "permission"
    response = await client.post(
        "/api/v1/grants", json={"member_id": other_member, "permission": SESSIONS}, headers=owner
    )
    assert response.status_code == 404
    other_owner = await api_token(client, other.owner_email)
    grant = (
        await client.post("/api/v1/grants", json={"member_id": member_id, "permission": SESSIONS}, headers=owner)
    ).json()
    assert (await client.delete(f"/api/v1/grants/{grant['id']}", headers=other_owner)).status_code == 404
    assert (await client.delete("/api/v1/grants/abc", headers=owner)).status_code in (404, 422)


async def test_owner_page_grants_and_the_manager_sees_mes_sessions(client, office_with_plugin, add_member):
    org = office_with_plugin
    member_id, email = await add_member(org, "basic")
    await login(client, email)
    assert (await client.get(_page(org))).status_code == 403
    assert (await client.get("/config/grants")).status_code in (403, 404)
    await client.post("/logout", follow_redirects=False)
    client.cookies.clear()

    await login(client, org.owner_email)
    page = await client.get("/config/grants")
    assert page.status_code == 200 and 'for="member_id"' in page.text and "Basic Test" in page.text
    response = await submit(
        client, "/config/grants", "/config/grants", {"member_id": str(member_id), "permission": SESSIONS}
    )
    assert response.status_code in (302, 303), response.text
    assert "Basic Test" in (await client.get("/config/grants")).text
    client.cookies.clear()

    await login(client, email)
    page = await client.get(_page(org))
    assert page.status_code == 200 and "Mes sessions" in page.text and "25,34 € HT" in page.text
    csv = await client.get(f"/offices/{org.office_id}/m/formation_cqc/modeles/conducteurs.csv")
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf") and "N° de commande" in csv.text
    xlsx = await client.get(f"/offices/{org.office_id}/m/formation_cqc/modeles/conducteurs.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
