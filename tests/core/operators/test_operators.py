"""Operator accounts with TOTP, the console's 404 for everyone else, and direct activation through the
order's path (seen by the owner)."""

import json
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from core.auth.tables import AuditEntry
from core.commerce.tables import Order
from core.operators import accounts, totp
from core.testing.fixtures import api_token, csrf_token, deliver_outbox, login, mail_text, sent_mails

OP_PASSWORD = "operateur-secret-1"


async def _operator(email="ops@socle.test"):
    return await accounts.create_operator(email, OP_PASSWORD)


async def _op_login(client, email, code):
    token = await csrf_token(client, "/operateur/connexion")
    return await client.post("/operateur/connexion", follow_redirects=False,
                             data={"email": email, "password": OP_PASSWORD, "code": code, "_csrf_token": token})


@pytest.mark.nodb
def test_totp_step_matches_only_its_window():
    secret = pyotp.random_base32()
    now = 1_800_000_000.0
    code = pyotp.TOTP(secret).at(now)
    assert totp.matching_step(secret, code, now) == int(now // 30)
    assert totp.matching_step(secret, code, now + 30) == int(now // 30)  # one step late still accepted
    assert totp.matching_step(secret, code, now + 120) is None
    assert totp.matching_step(secret, "abc", now) is None


async def test_owner_admin_citizen_and_anonymous_get_404(client, make_org, add_member):
    org = await make_org()
    assert (await client.get("/operateur/")).status_code == 404
    await login(client, org.owner_email)
    assert (await client.get("/dashboard")).status_code == 200
    for path in ("/operateur/", f"/operateur/organisations/{org.organisation_id}"):
        assert (await client.get(path)).status_code == 404
    _, admin_email = await add_member(org, "admin")
    client.cookies.clear()
    await login(client, admin_email)
    assert (await client.get("/operateur/")).status_code == 404


async def test_totp_wrong_code_replay_and_recovery_code_once(client, make_org):
    new = await _operator()
    wrong = await _op_login(client, new.email, "000000" if pyotp.TOTP(new.secret).now() != "000000" else "111111")
    assert wrong.status_code == 401 and "incorrect" in wrong.text
    code = pyotp.TOTP(new.secret).now()
    ok = await _op_login(client, new.email, code)
    assert ok.status_code in (302, 303) and ok.headers["location"] == "/operateur/"
    assert (await client.get("/operateur/")).status_code == 200
    client.cookies.clear()
    replay = await _op_login(client, new.email, code)
    assert replay.status_code == 401
    assert (await client.get("/operateur/")).status_code == 404
    recovery = new.recovery_codes[0]
    assert (await _op_login(client, new.email, recovery)).status_code in (302, 303)
    client.cookies.clear()
    assert (await _op_login(client, new.email, recovery)).status_code == 401
    assert await AuditEntry.exists().where(AuditEntry.action == "operator.login_refused")


async def test_operator_is_no_organisation_user(client, make_org):
    new = await _operator()
    token = await csrf_token(client)
    response = await client.post("/login", data={"email": new.email, "password": OP_PASSWORD, "_csrf_token": token})
    assert response.status_code == 401  # an operator account opens no organisation session


async def _logged_operator(client):
    new = await _operator()
    assert (await _op_login(client, new.email, pyotp.TOTP(new.secret).now())).status_code in (302, 303)
    return new


async def test_search_and_detail(client, make_org):
    org = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    await make_org("Mairie de Brive", "maire@brive.test")
    await _logged_operator(client)
    page = await client.get("/operateur/", params={"q": "tilleul"})
    assert "Auto-école des Tilleuls" in page.text and "Mairie de Brive" not in page.text
    detail = await client.get(f"/operateur/organisations/{org.organisation_id}")
    assert detail.status_code == 200 and "gerant@tilleuls.test" in detail.text
    assert (await client.get("/operateur/organisations/99999")).status_code == 404


async def test_direct_activation_takes_the_order_path_and_owner_sees_it(client, make_org, settings):
    org = await make_org("Auto-école des Tilleuls", "gerant@tilleuls.test")
    await _logged_operator(client)
    path = f"/operateur/organisations/{org.organisation_id}"
    token = await csrf_token(client, path)
    missing = await client.post(path + "/modules", data={"office_id": org.office_id, "module": "alpha",
                                                          "action": "activate", "reason": "", "_csrf_token": token})
    assert missing.status_code == 422 and 'aria-describedby="reason-error"' in missing.text
    assert not await Order.exists().where(Order.organisation == org.organisation_id)
    trial_end = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    done = await client.post(path + "/modules", follow_redirects=False, data={
        "office_id": org.office_id, "module": "alpha", "action": "activate", "reason": "Essai salon",
        "free": "on", "trial_end": trial_end, "_csrf_token": token})
    assert done.status_code in (302, 303), done.text
    order = await Order.objects().where(Order.organisation == org.organisation_id).first()
    assert order is not None and str(order.total_ttc) in ("0", "0.00")
    entry = await AuditEntry.objects().where(AuditEntry.action == "order.placed").first()
    details = json.loads(entry.details) if isinstance(entry.details, str) else entry.details
    assert entry.organisation == org.organisation_id and details["changes"] == [[org.office_id, "alpha", True]]
    assert details["reason"] == "Essai salon" and details["trial_end"] == trial_end
    assert "essai jusqu'au" in (await client.get(path)).text
    # The owner sees the module in the office and the order, and received the order's email.
    owner = await api_token(client, org.owner_email)
    offices = (await client.get("/api/v1/offices", headers=owner)).json()
    assert "alpha" in next(o for o in offices if o["id"] == org.office_id)["active_modules"]
    orders = (await client.get("/api/v1/orders", headers=owner)).json()
    assert [o["number"] for o in orders] == [order.number]
    await deliver_outbox(settings)
    assert any(f"commande n° {order.number}" in mail_text(m) for m in sent_mails(settings))


async def test_expired_trial_is_disabled_the_same_way(app, client, make_org):
    from core.modules import activation
    from core.modules.catalog import Catalog
    from core.operators import direct

    org = await make_org()
    new = await _operator()
    operator = await accounts.authenticate(new.email, OP_PASSWORD, pyotp.TOTP(new.secret).now())
    catalog = Catalog.of(app.state.plugins)
    today = datetime.now(UTC).date()
    await direct.apply(app.state.plugins, catalog, operator, org.organisation_id,
                       direct.DirectChange(org.office_id, "alpha", True, "essai", True, today + timedelta(days=3)), "")
    assert await direct.expire_trials(app.state.plugins, catalog, today) == 0
    assert await direct.expire_trials(app.state.plugins, catalog, today + timedelta(days=4)) == 1
    assert not await activation.is_active(org.office_id, "alpha")
