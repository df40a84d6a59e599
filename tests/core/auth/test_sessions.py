"""Sessions end for real: logout, « Se déconnecter partout », a password change and a reset close them
server-side, so a copied cookie stops working; a reset also revokes API tokens and older reset links."""

import re

import httpx
import pytest

from core.auth import services, sessions
from core.auth.tables import AuditEntry, LoginSession
from core.errors import ValidationFailed
from core.testing.fixtures import PASSWORD, api_token, csrf_token, deliver_outbox, login, mail_text, sent_mails


def other_browser(app, cookies: httpx.Cookies | None = None) -> httpx.AsyncClient:
    """A second client on the same app (another browser, or an attacker holding a copied cookie)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local",
                             cookies=cookies)


async def opens_dashboard(client: httpx.AsyncClient) -> bool:
    response = await client.get("/dashboard", follow_redirects=False)
    assert response.status_code in (200, 302, 303)
    return response.status_code == 200


async def test_cookie_copied_before_logout_no_longer_opens_the_dashboard(app, client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    async with other_browser(app, httpx.Cookies(client.cookies)) as thief:
        assert await opens_dashboard(thief)
        await client.post("/logout", data={"_csrf_token": await csrf_token(client, "/dashboard")})
        assert not await opens_dashboard(client)
        assert not await opens_dashboard(thief)


async def test_logout_ends_only_this_browser(app, client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    async with other_browser(app) as laptop:
        await login(laptop, org.owner_email)
        await client.post("/logout", data={"_csrf_token": await csrf_token(client, "/dashboard")})
        assert await opens_dashboard(laptop)


async def test_logout_everywhere_ends_every_session_of_the_user(app, client, make_org, add_member):
    org = await make_org()
    _, agent_email = await add_member(org, "basic")
    await login(client, org.owner_email)
    page = await client.get("/dashboard")
    assert "Se déconnecter partout" in page.text
    async with other_browser(app) as laptop, other_browser(app) as colleague:
        await login(laptop, org.owner_email)
        await login(colleague, agent_email)
        done = await client.post("/logout/everywhere", data={"_csrf_token": await csrf_token(client, "/dashboard")},
                                 follow_redirects=True)
        assert "déconnecté(e) de toutes vos sessions" in done.text
        assert not await opens_dashboard(client)
        assert not await opens_dashboard(laptop)
        assert await opens_dashboard(colleague)  # another user's session is untouched
    assert await AuditEntry.exists().where(AuditEntry.action == "auth.logout_everywhere")


async def test_session_cookie_without_a_server_side_session_is_refused(client, make_org, app):
    """A cookie from before this change (uid only, no session key) no longer authenticates."""
    org = await make_org()
    await login(client, org.owner_email)
    await LoginSession.delete().where(LoginSession.user == org.owner_user_id)
    assert not await opens_dashboard(client)


async def forgot(client: httpx.AsyncClient, email: str) -> httpx.Response:
    token = await csrf_token(client, "/password/forgot")
    return await client.post("/password/forgot", data={"email": email, "_csrf_token": token})


def reset_links(settings) -> list[str]:
    return [re.search(r"http://testserver.local(/password/reset/\S+)", mail_text(m)).group(1)
            for m in sent_mails(settings)]


async def reset(client: httpx.AsyncClient, link: str, password: str) -> httpx.Response:
    token = await csrf_token(client, link)
    return await client.post(link, data={"password": password, "confirmation": password, "_csrf_token": token},
                             follow_redirects=False)


async def test_reset_ends_the_old_session_and_the_old_api_token(app, client, make_org, settings):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    async with other_browser(app) as old_browser:
        await login(old_browser, org.owner_email)
        assert await opens_dashboard(old_browser)
        await forgot(client, org.owner_email)
        await deliver_outbox(settings)
        done = await reset(client, reset_links(settings)[0], "nouveau-mdp-1")
        assert done.status_code in (302, 303)
        assert not await opens_dashboard(old_browser)
    refused = await client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Jeton d'API invalide ou révoqué."
    await login(client, org.owner_email, "nouveau-mdp-1")
    assert await opens_dashboard(client)


async def test_of_two_reset_links_the_older_fails_after_the_newer_was_used(client, make_org, settings):
    org = await make_org()
    await forgot(client, org.owner_email)
    await deliver_outbox(settings)
    [older] = reset_links(settings)
    await forgot(client, org.owner_email)
    await deliver_outbox(settings)
    [newer] = set(reset_links(settings)) - {older}
    assert (await reset(client, newer, "nouveau-mdp-1")).status_code in (302, 303)
    refused = await reset(client, older, "encore-un-mdp-2")
    assert refused.status_code == 422
    assert "Ce lien n&#39;est plus valide" in refused.text
    await login(client, org.owner_email, "nouveau-mdp-1")


async def test_password_change_closes_other_sessions_and_reset_links(app, client, make_org, settings):
    """`change_password` (used by « Mon compte »): other browsers are logged out, this one can stay."""
    org = await make_org()
    await forgot(client, org.owner_email)
    await deliver_outbox(settings)
    await login(client, org.owner_email)
    async with other_browser(app) as laptop:
        await login(laptop, org.owner_email)
        here = await sessions.open_session(org.owner_user_id)
        with pytest.raises(ValidationFailed) as wrong:
            await services.change_password(org.owner_user_id, "pas-le-bon", "nouveau-mdp-1", "nouveau-mdp-1")
        assert wrong.value.errors[0].field == "current_password"
        await services.change_password(org.owner_user_id, PASSWORD, "nouveau-mdp-1", "nouveau-mdp-1",
                                       keep_session=here)
        assert not await opens_dashboard(laptop)
        assert not await opens_dashboard(client)
        assert await sessions.is_valid(here, org.owner_user_id)
    refused = await reset(client, reset_links(settings)[0], "encore-un-mdp-2")
    assert "Ce lien n&#39;est plus valide" in refused.text


async def test_expired_session_is_refused(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    await LoginSession.update({LoginSession.expires_at: sessions.epoch() - 1}).where(
        LoginSession.user == org.owner_user_id)
    assert not await opens_dashboard(client)
