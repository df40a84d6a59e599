"""Login, CSRF, API tokens, throttling, password reset and the audit trail."""

import re

from core.auth.tables import AuditEntry
from core.testing.fixtures import PASSWORD, api_token, csrf_token, deliver_outbox, login, mail_text, sent_mails


async def test_login_page_is_french_and_wrong_password_is_refused(client, make_org):
    org = await make_org()
    page = await client.get("/login")
    assert "Se connecter" in page.text and 'lang="fr"' in page.text
    token = await csrf_token(client)
    response = await client.post("/login", data={"email": org.owner_email, "password": "faux", "_csrf_token": token})
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect" in response.text
    assert (await client.get("/dashboard", follow_redirects=False)).headers["location"].startswith("/login")


async def test_login_then_logout(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    assert (await client.get("/dashboard")).status_code == 200
    token = await csrf_token(client, "/dashboard")
    await client.post("/logout", data={"_csrf_token": token})
    assert (await client.get("/dashboard", follow_redirects=False)).status_code in (302, 303)
    assert await AuditEntry.exists().where(AuditEntry.action == "auth.login")


async def test_form_without_csrf_token_is_rejected(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    response = await client.post("/config/offices", data={"name": "Sans jeton"})
    assert response.status_code == 403
    missing = await client.post("/login", data={"email": org.owner_email, "password": PASSWORD})
    assert missing.status_code == 403
    headers = await api_token(client, org.owner_email)
    offices = (await client.get("/api/v1/offices", headers=headers)).json()
    assert all(o["name"] != "Sans jeton" for o in offices)


async def test_revoked_token_is_refused(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    assert (await client.delete("/api/v1/auth/token", headers=headers)).status_code == 204
    refused = await client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Jeton d'API invalide ou révoqué."


async def test_api_without_token_answers_401_json(client):
    response = await client.get("/api/v1/offices")
    assert response.status_code == 401
    assert response.json()["detail"]


async def test_login_is_throttled_after_repeated_failures(client, make_org):
    org = await make_org()
    for _ in range(5):
        bad = await client.post("/api/v1/auth/token", json={"email": org.owner_email, "password": "mauvais"})
        assert bad.status_code == 401
    blocked = await client.post("/api/v1/auth/token", json={"email": org.owner_email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Trop de tentatives" in blocked.json()["detail"]
    token = await csrf_token(client)
    page = await client.post("/login", data={"email": org.owner_email, "password": PASSWORD, "_csrf_token": token})
    assert page.status_code == 429


async def test_password_reset_by_email_link(client, make_org, settings):
    org = await make_org()
    token = await csrf_token(client, "/password/forgot")
    await client.post("/password/forgot", data={"email": org.owner_email, "_csrf_token": token})
    await deliver_outbox(settings)
    mails = sent_mails(settings)
    assert len(mails) == 1
    assert mails[0]["To"] == org.owner_email
    link = re.search(r"http://testserver.local(/password/reset/\S+)", mail_text(mails[0])).group(1)
    form_token = await csrf_token(client, link)
    mismatch = await client.post(link, data={"password": "nouveau-mdp-1", "confirmation": "autre",
                                             "_csrf_token": form_token})
    assert "ne correspondent pas" in mismatch.text
    done = await client.post(link, data={"password": "nouveau-mdp-1", "confirmation": "nouveau-mdp-1",
                                         "_csrf_token": form_token}, follow_redirects=False)
    assert done.status_code in (302, 303)
    await login(client, org.owner_email, "nouveau-mdp-1")
    reused = await client.post(link, data={"password": "encore-un-1", "confirmation": "encore-un-1",
                                           "_csrf_token": form_token})
    assert "plus valide" in reused.text


async def test_unknown_email_reset_says_the_same(client, settings):
    token = await csrf_token(client, "/password/forgot")
    response = await client.post("/password/forgot", data={"email": "personne@example.org", "_csrf_token": token},
                                 follow_redirects=True)
    assert "Si un compte existe" in response.text
    assert not (settings.data_dir / "mail").exists()
