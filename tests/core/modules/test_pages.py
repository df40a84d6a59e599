"""The French owner pages: Ma configuration → Modules & passerelles → Gérer… → Mon panier → Valider →
Commander → the order page, without JavaScript; the JS toggle answers the cart fragment; owners only."""

import re

from core.testing.fixtures import CSRF_RE, deliver_outbox, login, sent_mails, submit
from tests.core.modules.helpers import add_office


async def test_owner_orders_a_module_for_one_office_without_javascript(client, make_org):
    from core.testing.fixtures import api_token

    org = await make_org("Mairie A")
    second = await add_office(client, await api_token(client, org.owner_email), "Annexe")
    await login(client, org.owner_email)
    config = await client.get("/config")
    assert "Modules &amp; passerelles" in config.text and 'href="/config/modules/manage"' in config.text
    grid = await client.get("/config/modules/manage")
    assert grid.status_code == 200
    assert f'value="{org.office_id}:alpha"' in grid.text and "71,00\u00a0€ HT" in grid.text
    posted = await submit(client, "/config/modules/manage", "/config/modules/manage",
                          {"cell": [f"{org.office_id}:alpha", f"{second}:beta"]})
    assert posted.status_code in (302, 303) and posted.headers["location"] == "/config/modules/cart"
    cart = await client.get("/config/modules/cart")
    assert "Activation" in cart.text and "Annexe" in cart.text
    assert "171,00\u00a0€" in cart.text and "34,20\u00a0€" in cart.text and "205,20\u00a0€" in cart.text
    recap = await client.get("/config/modules/checkout")
    assert "Commander" in recap.text
    ordered = await submit(client, "/config/modules/checkout", "/config/modules/checkout", {})
    assert ordered.status_code in (302, 303)
    order_page = await client.get(ordered.headers["location"])
    assert "Commande n° 1" in order_page.text and "205,20\u00a0€" in order_page.text
    assert "Commande n° 1 enregistrée" in order_page.text
    overview = await client.get("/config/modules")
    assert re.search(r"Module alpha.*?Mairie A", overview.text, re.S)
    settings = client._transport.app.state.settings
    await deliver_outbox(settings)
    mails = sent_mails(settings)
    assert len(mails) == 1 and mails[0]["Subject"] == "Votre commande n° 1"


async def test_unticking_and_the_toggle_fragment(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    page = await client.get("/config/modules/manage")
    token = CSRF_RE.search(page.text).group(1)
    fragment = await client.post("/config/modules/toggle", data={
        "_csrf_token": token, "office_id": str(org.office_id), "module": "gamma", "checked": "1"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Module gamma" in fragment.text and "Module alpha" in fragment.text
    assert f"{org.office_id}:alpha" in fragment.text  # the dependency is ticked too
    assert "145,20\u00a0€" in fragment.text  # (50 + 71) × 1.2
    back = await client.post("/config/modules/toggle", data={
        "_csrf_token": token, "office_id": str(org.office_id), "module": "gamma", "checked": "0"})
    assert "Module gamma" not in back.text and "Module alpha" in back.text


async def test_members_below_owner_cannot_see_the_module_pages(client, make_org, add_member):
    org = await make_org()
    _, email = await add_member(org, "admin")
    await login(client, email)
    for path in ("/config/modules/manage", "/config/modules/cart", "/config/orders", "/config/modules/installed"):
        assert (await client.get(path)).status_code == 403, path
    assert "Modules &amp; passerelles" not in (await client.get("/config")).text
