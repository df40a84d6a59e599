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


async def test_operator_api_orders_invoices_kind_and_activity(app, client, make_org):
    from datetime import date

    from core.operators import billing
    from core.operators.tables import Invoice
    from tests.core.operators.test_billing import _catalog, _change

    org = await make_org("Mairie de Brive", "maire@brive.test")
    new = await accounts.create_operator("ops@socle.test", "operateur-secret-1")
    op = await accounts.Operator.objects().where(accounts.Operator.email == new.email).first()
    await _change(app, org, op, "alpha", True, date(2026, 10, 12), _catalog())
    got = await client.post("/api/v1/operateur/token", json={"email": new.email, "password": "operateur-secret-1",
                                                             "code": pyotp.TOTP(new.secret).now()})
    operator = {"Authorization": f"Bearer {got.json()['token']}"}
    orders = (await client.get("/api/v1/operateur/commandes", headers=operator)).json()
    assert [(o["organisation_name"], o["status"]) for o in orders] == [("Mairie de Brive", "to_invoice")]
    bad_month = await client.get("/api/v1/operateur/commandes", headers=operator, params={"month": "10-2026"})
    assert bad_month.status_code == 422 and "month" in bad_month.text
    [invoice_id] = await billing.run(_catalog(), "2026-10")
    assert (await client.get("/api/v1/operateur/commandes", headers=operator,
                             params={"status": "invoiced"})).json()[0]["invoice_number"] == 1
    wrong = await client.post(f"/api/v1/operateur/factures/{invoice_id}/statut", headers=operator,
                              json={"status": "rembourse"})
    assert wrong.status_code == 422 and "status" in wrong.text
    paid = await client.post(f"/api/v1/operateur/factures/{invoice_id}/statut", headers=operator,
                             json={"status": "paid"})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert (await Invoice.objects().where(Invoice.id == invoice_id).first()).status == "paid"
    assert (await client.post("/api/v1/operateur/factures/9999/statut", headers=operator,
                              json={"status": "paid"})).status_code == 404
    assert (await client.post("/api/v1/operateur/commandes/9999/annulation", headers=operator,
                              json={"reason": "x"})).status_code == 404
    kind = await client.post(f"/api/v1/operateur/organisations/{org.organisation_id}/type", headers=operator,
                             json={"kind": "banque"})
    assert kind.status_code == 422 and "kind" in kind.text
    assert (await client.post(f"/api/v1/operateur/organisations/{org.organisation_id}/type", headers=operator,
                              json={"kind": "mairie"})).status_code == 200
    listed = (await client.get("/api/v1/operateur/organisations", headers=operator, params={"kind": "mairie"})).json()
    assert [(o["name"], o["kind"], o["suspended"]) for o in listed] == [("Mairie de Brive", "mairie", False)]
    activity = (await client.get(f"/api/v1/operateur/organisations/{org.organisation_id}/activite",
                                 headers=operator)).json()
    assert set(activity) == {"bookings_this_month", "messages_this_month", "storage_bytes"}
    assert (await client.get("/api/v1/operateur/commandes")).status_code == 401
