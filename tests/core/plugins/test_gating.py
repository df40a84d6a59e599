"""Plugin routes are mounted at start-up and gated per request: inactive module or another office → 404,
role below the handler's permission → 403; public routes are gated by activation too; menus and widgets
only appear in offices where the module is active."""

from core.testing.fixtures import api_token, login
from tests.core.modules.helpers import add_office, order_modules


async def _two_offices_alpha_in_first(client, make_org):
    org = await make_org("Mairie A")
    headers = await api_token(client, org.owner_email)
    second = await add_office(client, headers, "Annexe")
    await order_modules(client, headers, (org.office_id, "alpha", "activate"))
    return org, headers, second


async def test_api_route_answers_only_where_the_module_is_active(client, make_org):
    org, headers, second = await _two_offices_alpha_in_first(client, make_org)
    ok = await client.get(f"/api/v1/offices/{org.office_id}/m/alpha/ping", headers=headers)
    assert ok.status_code == 200 and ok.json() == {"plugin": "alpha", "office_id": org.office_id}
    inactive = await client.get(f"/api/v1/offices/{second}/m/alpha/ping", headers=headers)
    assert inactive.status_code == 404
    assert "pas activé" in inactive.json()["detail"]
    assert (await client.get(f"/api/v1/offices/{org.office_id}/m/beta/ping", headers=headers)).status_code == 404
    assert (await client.get(f"/api/v1/offices/{org.office_id}/m/alpha/ping")).status_code == 401
    other = await make_org("Mairie B")
    other_headers = await api_token(client, other.owner_email)
    assert (await client.get(f"/api/v1/offices/{org.office_id}/m/alpha/ping",
                             headers=other_headers)).status_code == 404
    malformed = await client.get("/api/v1/offices/pas-un-id/m/alpha/ping", headers=headers)
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["field"] == "office_id"


async def test_role_below_the_declared_permission_is_refused(client, make_org, add_member):
    org, _, _ = await _two_offices_alpha_in_first(client, make_org)
    _, basic_email = await add_member(org, "basic")
    await login(client, basic_email)
    page = await client.get(f"/offices/{org.office_id}/m/alpha/")
    assert page.status_code == 200 and "Page alpha" in page.text
    assert (await client.get(f"/offices/{org.office_id}/m/alpha/admin")).status_code == 403
    client.cookies.clear()
    await login(client, org.owner_email)
    admin = await client.get(f"/offices/{org.office_id}/m/alpha/admin")
    assert admin.status_code == 200 and admin.text == "administration alpha"


async def test_basic_member_cannot_reach_an_office_they_are_not_attached_to(client, make_org, add_member):
    org, headers, second = await _two_offices_alpha_in_first(client, make_org)
    await order_modules(client, headers, (second, "alpha", "activate"))
    _, basic_email = await add_member(org, "basic", office_ids=[org.office_id])
    basic = await api_token(client, basic_email)
    assert (await client.get(f"/api/v1/offices/{org.office_id}/m/alpha/ping", headers=basic)).status_code == 200
    assert (await client.get(f"/api/v1/offices/{second}/m/alpha/ping", headers=basic)).status_code == 404


async def test_public_routes_are_gated_by_activation(client, make_org):
    org, _, second = await _two_offices_alpha_in_first(client, make_org)
    hello = await client.get(f"/public/offices/{org.office_id}/m/alpha/hello")
    assert hello.status_code == 200 and hello.text == "bonjour de alpha"
    assert (await client.get(f"/public/offices/{second}/m/alpha/hello")).status_code == 404
    assert (await client.get("/public/offices/999999/m/alpha/hello")).status_code == 404
    callback = await client.post(f"/public/offices/{org.office_id}/m/alpha/callback", json={"ref": "A1"})
    assert callback.status_code == 201 and callback.json() == {"received": {"ref": "A1"}, "office_id": org.office_id}
    assert (await client.post(f"/public/offices/{second}/m/alpha/callback", json={})).status_code == 404


async def test_menu_and_widget_only_in_the_office_where_active(client, make_org):
    org, _, second = await _two_offices_alpha_in_first(client, make_org)
    await login(client, org.owner_email)
    dashboard = await client.get("/dashboard")
    assert "Menu alpha" in dashboard.text
    assert f'href="/offices/{org.office_id}/m/alpha/"' in dashboard.text
    assert "Widget pour Mairie A" in dashboard.text
    assert "Menu beta" not in dashboard.text
    token = await client.get("/dashboard")
    from core.testing.fixtures import CSRF_RE

    csrf = CSRF_RE.search(token.text).group(1)
    switched = await client.post("/switch/office", data={"office_id": str(second), "_csrf_token": csrf})
    assert switched.status_code in (302, 303)
    other = await client.get("/dashboard")
    assert "Annexe" in other.text
    assert "Menu alpha" not in other.text and "Widget pour" not in other.text


async def test_offices_api_lists_active_modules(client, make_org):
    org, headers, second = await _two_offices_alpha_in_first(client, make_org)
    offices = {o["id"]: o["active_modules"] for o in (await client.get("/api/v1/offices", headers=headers)).json()}
    assert offices == {org.office_id: ["alpha"], second: []}


async def test_offices_api_for_a_basic_member_lists_attached_offices_and_their_modules(client, make_org, add_member):
    org, headers, second = await _two_offices_alpha_in_first(client, make_org)
    await order_modules(client, headers, (second, "beta", "activate"), (second, "alpha", "activate"))
    await order_modules(client, headers, (org.office_id, "alpha", "deactivate"))
    _, basic_email = await add_member(org, "basic", office_ids=[second])
    basic = await api_token(client, basic_email)
    offices = [(o["id"], o["active_modules"]) for o in (await client.get("/api/v1/offices", headers=basic)).json()]
    assert offices == [(second, ["alpha", "beta"])]
    owner_view = {o["id"]: o["active_modules"] for o in (await client.get("/api/v1/offices", headers=headers)).json()}
    assert owner_view == {org.office_id: [], second: ["alpha", "beta"]}
