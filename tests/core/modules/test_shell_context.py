"""The layout reads only `shell`: a page's own `office`, `offices`, `menu`… never hide the office switcher,
the navigation or the current office (core pages and plugin pages alike)."""

import re

import pytest

from core.testing.fixtures import api_token, login, submit
from tests.core.modules.helpers import add_office, order_modules

OPTION = re.compile(r'<option value="(\d+)" ?(selected)?>([^<]*)</option>')


def switcher(html: str) -> list[tuple[str, bool, str]]:
    block = html.split('action="/switch/office"', 1)[1].split("</form>", 1)[0]
    return [(value, bool(selected), name) for value, selected, name in OPTION.findall(block)]


async def test_order_page_keeps_the_office_switcher_and_it_switches(client, make_org):
    org = await make_org("Auto-école des Tilleuls")
    headers = await api_token(client, org.owner_email)
    second = await add_office(client, headers, "Annexe Villeurbanne")
    order = await order_modules(client, headers, (org.office_id, "alpha", "activate"))
    await login(client, org.owner_email)
    page = await client.get(f"/config/orders/{order['id']}")
    assert page.status_code == 200
    assert switcher(page.text) == [(str(org.office_id), True, "Auto-école des Tilleuls"),
                                   (str(second), False, "Annexe Villeurbanne")]
    moved = await submit(client, f"/config/orders/{order['id']}", "/switch/office",
                         {"office_id": str(second), "next": f"/config/orders/{order['id']}"})
    assert moved.status_code in (302, 303)
    again = await client.get(moved.headers["location"])
    assert again.status_code == 200 and "Commande n° 1" in again.text
    assert (str(second), True, "Annexe Villeurbanne") in switcher(again.text)


async def test_plugin_page_may_pass_office_and_offices(client, make_org):
    org = await make_org("Mairie A")
    headers = await api_token(client, org.owner_email)
    await order_modules(client, headers, (org.office_id, "alpha", "activate"))
    await login(client, org.owner_email)
    page = await client.get(f"/offices/{org.office_id}/m/alpha/shadow")
    assert page.status_code == 200, page.text
    assert "bureau de la page · liste de la page · menu de la page · /ailleurs" in page.text
    assert switcher(page.text) == [(str(org.office_id), True, "Mairie A")]
    assert 'href="/config"' in page.text and "Menu alpha" in page.text  # the navigation is the layout's


async def test_shell_is_the_one_reserved_name():
    from core.web.shell import Shell, page_context

    frame = Shell(actor=None, memberships=[], offices=[], office=None, menu=[], path="/")  # type: ignore[arg-type]
    assert page_context(frame, {"office": 1, "actor": "page"})["office"] == 1
    with pytest.raises(TypeError, match="'shell' is reserved"):
        page_context(frame, {"shell": 1})


async def test_cart_counter_on_orders_and_installed_pages(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    response = await client.post("/api/v1/cart/lines", headers=headers,
                                 json={"office_id": org.office_id, "module": "alpha", "action": "activate"})
    assert response.status_code == 201
    await login(client, org.owner_email)
    for path in ("/config/orders", "/config/modules/installed", "/config/modules", "/config/modules/cart"):
        page = await client.get(path)
        assert 'Mon panier (<span id="cart-count">1</span>)' in page.text, path


async def test_installed_modules_speak_the_owners_words(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    page = await client.get("/config/modules/installed")
    row = re.search(r"<code>alpha</code>.*?</tr>", page.text, re.S).group(0)
    visible = row.split("<details>")[0]
    assert "Pages du bureau, API, pages publiques" in visible and "menu" in visible
    assert "register_routes" not in visible and "load_demo" not in visible
    assert "<summary>Détails techniques</summary>" in row and "register_routes" in row
