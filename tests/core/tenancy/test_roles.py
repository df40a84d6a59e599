"""Role rules: who may configure, who may name owners, the last owner."""

import pytest

from core.testing.fixtures import api_token, login


async def test_basic_member_cannot_reach_ma_configuration(client, make_org, add_member):
    org = await make_org()
    _, email = await add_member(org, "basic")
    await login(client, email)
    page = await client.get("/config")
    assert page.status_code == 403
    assert "Accès refusé" in page.text
    dashboard = await client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Ma configuration" not in dashboard.text


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/api/v1/offices", {"name": "Annexe"}),
    ("POST", "/api/v1/members", {"role": "basic", "email": "n@example.org"}),
    ("PATCH", "/api/v1/organisation", {"name": "Autre nom"}),
])
async def test_basic_member_cannot_configure_through_the_api(client, make_org, add_member, method, path, body):
    org = await make_org()
    _, email = await add_member(org, "basic")
    headers = await api_token(client, email)
    response = await client.request(method, path, headers=headers, json=body)
    assert response.status_code == 403


async def test_admin_configures_but_cannot_name_an_owner(client, make_org, add_member):
    org = await make_org()
    _member_id, email = await add_member(org, "admin")
    basic_id, _ = await add_member(org, "basic")
    headers = await api_token(client, email)
    created = await client.post("/api/v1/offices", headers=headers, json={"name": "Annexe"})
    assert created.status_code == 201
    promote = await client.patch(f"/api/v1/members/{basic_id}", headers=headers, json={"role": "owner"})
    assert promote.status_code == 403
    owners = [m for m in (await client.get("/api/v1/members", headers=headers)).json() if m["role"] == "owner"]
    assert len(owners) == 1


async def test_second_owner_makes_the_first_removable(client, make_org, add_member):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    second_id, second_email = await add_member(org, "owner")
    members = (await client.get("/api/v1/members", headers=headers)).json()
    first_id = next(m["id"] for m in members if m["email"] == org.owner_email)
    second = await api_token(client, second_email)
    assert (await client.delete(f"/api/v1/members/{first_id}", headers=second)).status_code == 204
    # now the second is the last one
    demote = await client.patch(f"/api/v1/members/{second_id}", headers=second, json={"role": "basic"})
    assert demote.status_code == 409


async def test_intervenant_has_no_login_and_cannot_get_an_email(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    ok = await client.post("/api/v1/members", headers=headers, json={"role": "intervenant",
                                                                    "display_name": "Permanence CAF"})
    assert ok.status_code == 201
    assert ok.json()["email"] is None
    refused = await client.post("/api/v1/members", headers=headers, json={
        "role": "intervenant", "display_name": "X", "email": "x@example.org"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "email"
    unnamed = await client.post("/api/v1/members", headers=headers, json={"role": "intervenant"})
    assert unnamed.json()["errors"][0]["field"] == "display_name"


async def test_owners_demoting_each_other_at_once_leave_one_owner(client, make_org, add_member):
    """Concurrent demotions are serialised on the organisation: never zero owners."""
    import asyncio

    org = await make_org()
    emails = [org.owner_email] + [(await add_member(org, "owner", f"owner{n}@example.org"))[1] for n in range(4)]
    tokens = [await api_token(client, email) for email in emails]
    members = (await client.get("/api/v1/members", headers=tokens[0])).json()
    ids = {m["email"]: m["id"] for m in members}
    results = await asyncio.gather(*[
        client.patch(f"/api/v1/members/{ids[target]}", headers=tokens[n], json={"role": "admin"})
        for n, email in enumerate(emails) for target in emails if target != email
    ])
    assert {r.status_code for r in results} <= {200, 403, 409}
    members = (await client.get("/api/v1/members", headers=tokens[0])).json()
    assert [m["role"] for m in members].count("owner") == 1
