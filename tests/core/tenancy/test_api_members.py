"""The members API: role rules, the last owner, bad payloads, other organisations."""

from core.testing.fixtures import api_token


async def test_owner_invites_basic_member_who_can_then_use_the_api(client, make_org):
    org = await make_org("Mairie A")
    headers = await api_token(client, org.owner_email)
    response = await client.post("/api/v1/members", headers=headers, json={
        "role": "basic", "email": "Agent@Mairie-a.example", "display_name": "Agent A", "password": "motdepasse1",
        "office_ids": [org.office_id]})
    assert response.status_code == 201, response.text
    assert response.json()["email"] == "agent@mairie-a.example"
    agent = await api_token(client, "agent@mairie-a.example", "motdepasse1")
    me = await client.get("/api/v1/me", headers=agent)
    assert me.json()["role"] == "basic"
    assert [o["id"] for o in me.json()["offices"]] == [org.office_id]


async def test_last_owner_cannot_be_demoted_nor_removed(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    members = (await client.get("/api/v1/members", headers=headers)).json()
    owner_id = members[0]["id"]
    demote = await client.patch(f"/api/v1/members/{owner_id}", headers=headers, json={"role": "admin"})
    assert demote.status_code == 409
    assert "dernier gérant" in demote.json()["detail"]
    remove = await client.delete(f"/api/v1/members/{owner_id}", headers=headers)
    assert remove.status_code == 409


async def test_bad_payload_names_the_field(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    response = await client.post("/api/v1/members", headers=headers, json={"role": "chef", "email": "pas-un-email"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"role", "email"}
    wrong_type = await client.post("/api/v1/offices", headers=headers, json={"name": 12})
    assert wrong_type.status_code == 422  # a field refused by its type is a 422 naming it
    assert wrong_type.json()["errors"][0]["field"] == "name"
