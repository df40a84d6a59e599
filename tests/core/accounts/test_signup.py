"""Sign-up with a verified email, login links, and the same answer for known and unknown addresses."""

from datetime import timedelta

from core.accounts.tables import AccountLink
from core.testing.fixtures import PASSWORD, login
from tests.core.accounts.helpers import last_link, post_form, sign_up, text


async def test_sign_up_verifies_the_email_then_lands_on_mon_espace(client, settings):
    await sign_up(client, settings, "zoe@example.org", full_name="Zoé Dupré-Lefèvre")
    home = await client.get("/mon-espace/")
    assert home.status_code == 200
    assert "Bonjour Zoé Dupré-Lefèvre" in text(home)
    assert "Mes documents" in text(home)
    # the password chosen works with the ordinary login, which lands a person without membership here
    await client.post("/logout", data={"_csrf_token": client.cookies.get("socle_csrf")})
    client.cookies.clear()
    token_page = await client.get("/login")
    assert token_page.status_code == 200
    response = await post_form(client, "/login", {"email": "zoe@example.org", "password": PASSWORD})
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/mon-espace/"


async def test_verification_link_wrong_reused_and_expired(client, settings):
    wrong = await client.get("/mon-espace/inscription/pas-un-vrai-jeton")
    assert wrong.status_code == 404
    assert "Ce lien n'est pas valable" in text(wrong)

    await post_form(client, "/mon-espace/inscription", {"email": "yann@example.org"})
    link = await last_link(settings, "yann@example.org")
    first = await post_form(client, link, {"password": PASSWORD, "confirmation": PASSWORD})
    assert first.status_code in (302, 303)
    client.cookies.clear()
    reused = await post_form(client, link, {"password": PASSWORD, "confirmation": PASSWORD},
                             form_path="/mon-espace/inscription")
    assert reused.status_code == 410
    assert "déjà servi" in text(reused)

    await post_form(client, "/mon-espace/inscription", {"email": "xavier@example.org"})
    link = await last_link(settings, "xavier@example.org")
    await AccountLink.update({AccountLink.expires_at: AccountLink.created_at - timedelta(minutes=1)}).where(
        AccountLink.email == "xavier@example.org")
    expired = await client.get(link)
    assert expired.status_code == 410
    assert "expiré" in text(expired)
    refused = await post_form(client, link, {"password": PASSWORD, "confirmation": PASSWORD},
                              form_path="/mon-espace/inscription")
    assert refused.status_code == 410
    assert await client.get("/mon-espace/", follow_redirects=False) is not None
    from core.tenancy.tables import User
    assert not await User.exists().where(User.email == "xavier@example.org")


async def test_bad_password_keeps_the_link_usable(client, settings):
    await post_form(client, "/mon-espace/inscription", {"email": "wendy@example.org"})
    link = await last_link(settings, "wendy@example.org")
    response = await post_form(client, link, {"password": "court", "confirmation": "autre"})
    assert response.status_code == 422
    assert "au moins 8 caractères" in text(response)
    assert "ne correspondent pas" in text(response)
    ok = await post_form(client, link, {"password": PASSWORD, "confirmation": PASSWORD})
    assert ok.status_code in (302, 303)


async def test_same_answer_for_known_and_unknown_emails(client, settings, make_org):
    org = await make_org("Mairie de Valence")
    answers = {}
    for path in ("/mon-espace/inscription", "/mon-espace/connexion"):
        for email in (org.owner_email, "inconnu@example.org"):
            client.cookies.clear()
            response = await post_form(client, path, {"email": email})
            body = response.text.replace(client.cookies.get("socle_csrf") or "-", "")
            answers[(path, email)] = (response.status_code, body)
        known, unknown = answers[(path, org.owner_email)], answers[(path, "inconnu@example.org")]
        assert known[0] == unknown[0] == 200
        assert known[1] == unknown[1]
    # the existing account got a login link instead of a second account
    link = await last_link(settings, org.owner_email)
    assert link.startswith("/mon-espace/connexion/")


async def test_login_link_logs_in_once(client, settings):
    await sign_up(client, settings, "vera@example.org")
    client.cookies.clear()
    await post_form(client, "/mon-espace/connexion", {"email": "vera@example.org"})
    link = await last_link(settings, "vera@example.org")
    page = await client.get(link)  # opening the link (a mail scanner would) does not use it
    assert page.status_code == 200 and "Me connecter" in text(page)
    response = await post_form(client, link, {})
    assert response.status_code in (302, 303) and response.headers["location"] == "/mon-espace/"
    assert (await client.get("/mon-espace/")).status_code == 200
    client.cookies.clear()
    again = await post_form(client, link, {}, form_path="/mon-espace/connexion")
    assert again.status_code == 410


async def test_staff_member_reaches_mon_espace_from_the_header(client, make_org):
    org = await make_org("Auto-école des Lilas")
    await login(client, org.owner_email)
    dashboard = await client.get("/dashboard")
    assert 'href="/mon-espace/"' in text(dashboard)
    home = await client.get("/mon-espace/")
    assert home.status_code == 200
    assert 'href="/dashboard">Espace professionnel' in text(home)


async def test_mon_espace_needs_a_login(client):
    response = await client.get("/mon-espace/", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")
