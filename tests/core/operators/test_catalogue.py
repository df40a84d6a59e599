"""Catalogue rules in the owner's cart (restricted, on request then approved) and a price per organisation."""

import pyotp

from core.operators import accounts
from core.operators.tables import ModuleRequest
from core.testing.fixtures import api_token, csrf_token

OP_PASSWORD = "operateur-secret-1"


async def _operator_client(client):
    new = await accounts.create_operator("ops@socle.test", OP_PASSWORD)
    token = await csrf_token(client, "/operateur/connexion")
    response = await client.post("/operateur/connexion", follow_redirects=False, data={
        "email": new.email, "password": OP_PASSWORD, "code": pyotp.TOTP(new.secret).now(), "_csrf_token": token})
    assert response.status_code in (302, 303)


async def _post(client, path, data):
    token = await csrf_token(client, "/operateur/catalogue")
    return await client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


async def _add(client, headers, office_id, module):
    return await client.post("/api/v1/cart/lines", headers=headers,
                             json={"office_id": office_id, "module": module, "action": "activate"})


async def test_restricted_and_on_request_rules_in_the_cart(client, make_org):
    org = await make_org()
    await _operator_client(client)
    for module, rule in (("alpha", "restricted"), ("beta", "on_request")):
        saved = await _post(client, "/operateur/catalogue", {"module": module, "rule": rule})
        assert saved.status_code in (302, 303)
    owner = await api_token(client, org.owner_email)
    refused = await _add(client, owner, org.office_id, "alpha")
    assert refused.status_code == 422 and "opérateur" in refused.text and "module" in refused.text
    asked = await _add(client, owner, org.office_id, "beta")
    assert asked.status_code == 422 and "sur demande" in asked.text
    request = await ModuleRequest.objects().where(ModuleRequest.organisation == org.organisation_id).first()
    assert request.status == "pending" and request.module == "beta"
    page = await client.get(f"/operateur/organisations/{org.organisation_id}")
    assert "Demandes de modules" in page.text and "beta" in page.text
    decided = await _post(client, f"/operateur/organisations/{org.organisation_id}/demandes",
                          {"request_id": request.id, "decision": "approve"})
    assert decided.status_code in (302, 303)
    assert (await _add(client, owner, org.office_id, "beta")).status_code in (200, 201)


async def test_price_override_for_one_organisation(client, make_org):
    org = await make_org()
    other = await make_org("Autre", "autre@socle.test")
    await _operator_client(client)
    bad = await _post(client, f"/operateur/organisations/{org.organisation_id}/prix",
                      {"module": "gamma", "price_ht": "douze"})
    assert bad.status_code == 422 and 'aria-describedby="price_ht-error"' in bad.text
    ok = await _post(client, f"/operateur/organisations/{org.organisation_id}/prix",
                     {"module": "gamma", "price_ht": "12,50"})
    assert ok.status_code in (302, 303)
    mine = await api_token(client, org.owner_email)
    theirs = await api_token(client, other.owner_email)
    cart = (await _add(client, mine, org.office_id, "gamma")).json()
    other_cart = (await _add(client, theirs, other.office_id, "gamma")).json()
    gamma = next(line for line in cart["lines"] if line["module"] == "gamma")
    other_gamma = next(line for line in other_cart["lines"] if line["module"] == "gamma")
    assert gamma["unit_ht"] == "12.50" and other_gamma["unit_ht"] != "12.50"
