"""« Mon compte »: contact details, password (the current one asked), a new address confirmed by a link;
link requests are throttled without telling which addresses exist."""

from core.accounts import links
from core.tenancy.tables import User
from core.testing.fixtures import PASSWORD
from tests.core.accounts.helpers import last_link, post_form, sign_up, text


async def test_profile_and_password_change(client, settings):
    await sign_up(client, settings, "gael@example.org")
    saved = await post_form(client, "/mon-espace/compte/profil", {"full_name": "Gaël Le Bihan", "phone": "0611223344"},
                            form_path="/mon-espace/compte")
    assert saved.status_code in (302, 303)
    page = await client.get("/mon-espace/compte")
    assert 'value="Gaël Le Bihan"' in page.text and "Vos coordonnées sont enregistrées." in text(page)
    wrong = await post_form(client, "/mon-espace/compte/mot-de-passe", {
        "current": "pas-le-bon", "password": "nouveau-secret", "confirmation": "nouveau-secret"},
        form_path="/mon-espace/compte")
    assert wrong.status_code == 422 and "Le mot de passe actuel est incorrect." in text(wrong)
    ok = await post_form(client, "/mon-espace/compte/mot-de-passe", {
        "current": PASSWORD, "password": "nouveau-secret", "confirmation": "nouveau-secret"},
        form_path="/mon-espace/compte")
    assert ok.status_code in (302, 303)
    client.cookies.clear()
    login = await post_form(client, "/login", {"email": "gael@example.org", "password": "nouveau-secret"})
    assert login.status_code in (302, 303) and login.headers["location"] == "/mon-espace/"


async def test_new_address_changes_only_once_confirmed(client, settings, make_org):
    org = await make_org("Mairie de Die")
    await sign_up(client, settings, "hugo@example.org")
    taken = await post_form(client, "/mon-espace/compte/adresse", {"email": org.owner_email},
                            form_path="/mon-espace/compte")
    asked = await post_form(client, "/mon-espace/compte/adresse", {"email": "hugo.nouveau@example.org"},
                            form_path="/mon-espace/compte")
    assert taken.status_code == asked.status_code  # the answer never tells that an address is used
    assert await User.exists().where(User.email == "hugo@example.org")
    link = await last_link(settings, "hugo.nouveau@example.org")
    assert (await client.get(link, follow_redirects=False)).status_code in (302, 303)
    assert await User.exists().where(User.email == "hugo.nouveau@example.org")
    assert not await User.exists().where(User.email == "hugo@example.org")
    reused = await client.get(link)
    assert reused.status_code == 410


async def test_link_requests_are_throttled_the_same_for_known_and_unknown(client, settings, make_org):
    org = await make_org("Mairie de Crest")
    for email in (org.owner_email, "personne@example.org"):
        for _ in range(links.PER_EMAIL_PER_HOUR + 2):
            response = await post_form(client, "/mon-espace/connexion", {"email": email})
            assert response.status_code == 200
    from core.accounts.tables import AccountLink

    assert await AccountLink.count().where(AccountLink.email == org.owner_email) == links.PER_EMAIL_PER_HOUR
    assert await AccountLink.count().where(AccountLink.email == "personne@example.org") == 0


async def test_too_many_requests_from_one_address(client, settings, monkeypatch):
    monkeypatch.setattr(links, "PER_IP_PER_HOUR", 2)
    for n in range(2):
        assert (await post_form(client, "/mon-espace/inscription", {"email": f"p{n}@example.org"})).status_code == 200
    refused = await post_form(client, "/mon-espace/inscription", {"email": "p9@example.org"})
    assert refused.status_code == 429 and "Trop de demandes" in text(refused)


async def test_served_person_has_no_api_token_and_home_leads_to_mon_espace(client, settings):
    await sign_up(client, settings, "ines@example.org")
    assert (await client.get("/", follow_redirects=False)).headers["location"] == "/mon-espace/"
    response = await client.post("/api/v1/auth/token", json={"email": "ines@example.org", "password": PASSWORD})
    assert response.status_code == 404
    assert "errors" in response.json()
