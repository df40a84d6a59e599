"""« Mes données »: the JSON export gathers every module's section; deleting the account erases it
everywhere and the login stops at once."""

import json
import sys

from core.auth.tables import AuditEntry
from core.tenancy.tables import User
from core.testing.fixtures import PASSWORD, login
from tests.core.accounts.helpers import post_form, sign_up, text


def calls(plugin_id):
    return sys.modules[f"socle_test_{plugin_id}.hooks"].CALLS


async def test_export_contains_each_module_section(client, settings, app):
    await sign_up(client, settings, "dora@example.org", full_name="Dora Éluard", phone="0612345678")
    response = await client.get("/mon-espace/donnees/export.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    body = json.loads(response.content)
    assert body["account"]["email"] == "dora@example.org"
    assert body["account"]["full_name"] == "Dora Éluard" and body["account"]["email_verified"] is True
    assert set(body["modules"]) == app.state.plugins.healthy_ids()  # every healthy module has its section
    for plugin_id in ("alpha", "beta", "gamma"):
        assert body["modules"][plugin_id] == {"plugin": plugin_id, "email": "dora@example.org"}
    assert body["documents"] == []


async def test_erase_calls_every_module_and_stops_the_login(client, settings):
    await sign_up(client, settings, "emile@example.org")
    user = await User.objects().where(User.email == "emile@example.org").first()
    wrong = await post_form(client, "/mon-espace/donnees/supprimer", {"confirm_email": "autre@example.org"},
                            form_path="/mon-espace/donnees")
    assert wrong.status_code == 422 and "rien n'a été supprimé" in text(wrong)
    assert await User.exists().where(User.email == "emile@example.org")

    response = await post_form(client, "/mon-espace/donnees/supprimer", {"confirm_email": "emile@example.org"},
                               form_path="/mon-espace/donnees")
    assert response.status_code == 200 and "Compte supprimé" in text(response)
    for plugin_id in ("alpha", "beta", "gamma"):
        assert ("erase", user.id) in calls(plugin_id)
    assert not await User.exists().where(User.email == "emile@example.org")
    erased = await User.objects().get(User.id == user.id)
    assert erased.active is False and erased.password_hash == ""
    assert await AuditEntry.exists().where((AuditEntry.action == "account.erased")
                                           & (AuditEntry.target == f"user:{user.id}"))
    # the session in hand no longer opens anything, and the password no longer works
    home = await client.get("/mon-espace/", follow_redirects=False)
    assert home.status_code in (302, 303) and home.headers["location"].startswith("/login")
    client.cookies.clear()
    again = await post_form(client, "/login", {"email": "emile@example.org", "password": PASSWORD})
    assert again.status_code == 401


async def test_old_session_cookie_stops_working_after_erasure(client, settings, app):
    """A second device keeps the session cookie of before the deletion: it is refused at once."""
    import httpx

    await sign_up(client, settings, "fanny@example.org")
    cookies = dict(client.cookies)
    await post_form(client, "/mon-espace/donnees/supprimer", {"confirm_email": "fanny@example.org"},
                    form_path="/mon-espace/donnees")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local",
                                 cookies=cookies) as other_device:
        response = await other_device.get("/mon-espace/", follow_redirects=False)
    assert response.status_code in (302, 303)


async def test_a_member_of_an_organisation_cannot_erase_from_mon_espace(client, make_org):
    org = await make_org("Centre de formation Alpes")
    await login(client, org.owner_email)
    response = await post_form(client, "/mon-espace/donnees/supprimer", {"confirm_email": org.owner_email},
                               form_path="/mon-espace/donnees")
    assert response.status_code == 409
    assert "demandez à son gérant" in text(response)
    assert await User.exists().where(User.email == org.owner_email)
