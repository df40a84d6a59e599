"""Suspension: members see a French notice, API tokens are refused, public pages are unavailable; then
unsuspending restores everything."""

import pyotp

from core.operators import accounts
from core.tenancy.tables import Organisation
from core.testing.fixtures import api_token, csrf_token, login


async def test_suspend_then_restore(client, make_org):
    org = await make_org("Auto-école des Tilleuls")
    slug = (await Organisation.select(Organisation.slug).where(Organisation.id == org.organisation_id).first())["slug"]
    owner = await api_token(client, org.owner_email)
    await client.post("/api/v1/cart/lines", headers=owner,
                      json={"office_id": org.office_id, "module": "alpha", "action": "activate"})
    assert (await client.post("/api/v1/cart/checkout", headers=owner)).status_code in (200, 201)
    public = f"/public/o/{slug}/m/alpha/bonjour"
    assert (await client.get(public)).status_code == 200

    new = await accounts.create_operator("ops@socle.test", "operateur-secret-1")
    token = await csrf_token(client, "/operateur/connexion")
    await client.post("/operateur/connexion", data={"email": new.email, "password": "operateur-secret-1",
                                                   "code": pyotp.TOTP(new.secret).now(), "_csrf_token": token})
    path = f"/operateur/organisations/{org.organisation_id}"
    token = await csrf_token(client, path)
    empty = await client.post(path + "/suspension", data={"action": "suspend", "reason": "", "_csrf_token": token})
    assert empty.status_code == 422 and 'aria-describedby="suspend_reason-error"' in empty.text
    done = await client.post(path + "/suspension", follow_redirects=False,
                             data={"action": "suspend", "reason": "Impayés", "_csrf_token": token})
    assert done.status_code in (302, 303)

    unavailable = await client.get(public)
    assert unavailable.status_code == 503 and "indisponible" in unavailable.text
    refused = await client.get("/api/v1/offices", headers=owner)
    assert refused.status_code == 403 and "suspendue" in refused.json()["detail"]
    await login(client, org.owner_email)
    notice = await client.get("/dashboard")
    assert notice.status_code == 403 and "Votre organisation est suspendue" in notice.text

    # the owner's login replaced the browser's session: the operator signs in again (recovery code)
    client.cookies.clear()
    token = await csrf_token(client, "/operateur/connexion")
    await client.post("/operateur/connexion", data={"email": new.email, "password": "operateur-secret-1",
                                                   "code": new.recovery_codes[0], "_csrf_token": token})
    token = await csrf_token(client, path)
    await client.post(path + "/suspension", data={"action": "unsuspend", "_csrf_token": token})
    await login(client, org.owner_email)
    assert (await client.get("/dashboard")).status_code == 200
    assert (await client.get("/api/v1/offices", headers=owner)).status_code == 200
    assert (await client.get(public)).status_code == 200
