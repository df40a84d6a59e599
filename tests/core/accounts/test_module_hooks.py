"""Modules fill « Mon espace »: account routes under /mon-espace/m/<id>/ and cards on the home page."""

from core.testing.fixtures import login
from tests.core.accounts.helpers import sign_up


async def test_module_account_routes_need_a_login(client, settings):
    anonymous = await client.get("/mon-espace/m/alpha/mine", follow_redirects=False)
    assert anonymous.status_code in (302, 303) and anonymous.headers["location"].startswith("/login")
    await sign_up(client, settings, "ana@example.org")
    response = await client.get("/mon-espace/m/alpha/mine")
    assert response.status_code == 200
    assert response.json() == {"plugin": "alpha", "email": "ana@example.org"}


async def test_home_lists_each_healthy_module_section(client, settings):
    await sign_up(client, settings, "bea@example.org")
    home = await client.get("/mon-espace/")
    for plugin_id in ("alpha", "beta", "gamma"):
        assert f"Section {plugin_id}" in home.text
        assert f'href="/mon-espace/m/{plugin_id}/mine"' in home.text
    assert "pour bea@example.org" in home.text


async def test_served_person_gets_404_on_staff_pages(client, settings, make_org):
    org = await make_org("Mairie de Tain")
    await sign_up(client, settings, "carla@example.org")
    for path in ("/dashboard", "/config", f"/offices/{org.office_id}/m/alpha/", "/modules",
                 "/documents/1", "/notifications"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 404, (path, response.status_code)
    # and the staff of that organisation still see their pages
    client.cookies.clear()
    await login(client, org.owner_email)
    assert (await client.get("/dashboard")).status_code == 200
