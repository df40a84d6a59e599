"""The operator API: its own tokens (an organisation's token is refused there, an operator's token opens
nothing of the organisations' API), listed in the OpenAPI."""

import pyotp

from core.operators import accounts
from core.testing.fixtures import api_token


async def test_operator_api_scope_and_direct_activation(client, make_org):
    org = await make_org("Auto-école des Tilleuls")
    new = await accounts.create_operator("ops@socle.test", "operateur-secret-1")
    wrong = await client.post("/api/v1/operateur/token", json={"email": new.email, "password": "operateur-secret-1",
                                                               "code": "12"})
    assert wrong.status_code == 401
    got = await client.post("/api/v1/operateur/token", json={"email": new.email, "password": "operateur-secret-1",
                                                             "code": pyotp.TOTP(new.secret).now()})
    assert got.status_code == 201
    operator = {"Authorization": f"Bearer {got.json()['token']}"}
    owner = await api_token(client, org.owner_email)
    assert (await client.get("/api/v1/operateur/organisations", headers=owner)).status_code == 401
    assert (await client.get("/api/v1/offices", headers=operator)).status_code == 401
    listed = (await client.get("/api/v1/operateur/organisations", headers=operator, params={"q": "tilleul"})).json()
    assert [o["name"] for o in listed] == ["Auto-école des Tilleuls"]
    path = f"/api/v1/operateur/organisations/{org.organisation_id}/modules"
    bad = await client.post(path, headers=operator, json={"office_id": org.office_id, "module": "alpha",
                                                          "active": True, "reason": ""})
    assert bad.status_code == 422 and "reason" in bad.text
    done = await client.post(path, headers=operator, json={"office_id": org.office_id, "module": "alpha",
                                                           "active": True, "reason": "API", "free": True})
    assert done.status_code == 201 and done.json()["number"] == 1
    offices = (await client.get("/api/v1/offices", headers=owner)).json()
    assert offices[0]["active_modules"] == ["alpha"]
    assert (await client.post("/api/v1/operateur/organisations/9999/modules", headers=operator, json={
        "office_id": 1, "module": "alpha", "active": True, "reason": "x"})).status_code == 404
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/operateur/organisations/{org_id}/modules" in schema["paths"]
