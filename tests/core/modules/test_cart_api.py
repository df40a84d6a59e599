"""The cart and the order through the API (DESIGN.md §6): totals, dependencies, deactivation at no charge
with data kept, owners only, bad input named by field, another organisation's ids → 404."""

from core.commerce.tables import Order
from core.modules.tables import ModuleActivation
from core.testing.fixtures import api_token
from tests.core.modules.helpers import add_office, order_modules


async def test_seed_002_ten_offices_two_modules_totals(client, make_org):
    org = await make_org("Auto-école Dix Bureaux")
    headers = await api_token(client, org.owner_email)
    offices = [org.office_id] + [await add_office(client, headers, f"Bureau {n}") for n in range(2, 11)]
    for office_id in offices:
        for module in ("alpha", "beta"):
            response = await client.post("/api/v1/cart/lines", headers=headers,
                                         json={"office_id": office_id, "module": module, "action": "activate"})
            assert response.status_code == 201, response.text
    cart = (await client.get("/api/v1/cart", headers=headers)).json()
    assert len(cart["lines"]) == 20
    assert (cart["ht"], cart["tva"], cart["ttc"]) == ("1710.00", "342.00", "2052.00")
    order = (await client.post("/api/v1/cart/checkout", headers=headers)).json()
    assert (order["number"], order["ht"], order["tva"], order["ttc"]) == (1, "1710.00", "342.00", "2052.00")
    assert order["status"] == "placed" and len(order["lines"]) == 20
    assert (await client.get("/api/v1/cart", headers=headers)).json()["lines"] == []
    offices_out = (await client.get("/api/v1/offices", headers=headers)).json()
    assert all(o["active_modules"] == ["alpha", "beta"] for o in offices_out)
    listed = (await client.get("/api/v1/orders", headers=headers)).json()
    assert [o["number"] for o in listed] == [1]
    again = (await client.get(f"/api/v1/orders/{order['id']}", headers=headers)).json()
    assert again["ttc"] == "2052.00" and {line["module"] for line in again["lines"]} == {"alpha", "beta"}


async def test_dependency_is_pulled_into_the_cart(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    cart = (await client.post("/api/v1/cart/lines", headers=headers,
                              json={"office_id": org.office_id, "module": "gamma", "action": "activate"})).json()
    assert sorted((line["module"], line["action"]) for line in cart["lines"]) == [
        ("alpha", "activate"), ("gamma", "activate")]
    assert cart["ht"] == "121.00"
    gamma_line = next(line for line in cart["lines"] if line["module"] == "alpha")
    removed = await client.delete(f"/api/v1/cart/lines/{gamma_line['id']}", headers=headers)
    assert removed.status_code == 204
    refused = await client.post("/api/v1/cart/checkout", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "module" and "a besoin de" in refused.json()["detail"]
    assert await Order.count() == 0 and await ModuleActivation.count() == 0


async def test_deactivation_is_free_and_keeps_the_data_row(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    await order_modules(client, headers, (org.office_id, "gamma", "activate"))
    cart = (await client.post("/api/v1/cart/lines", headers=headers,
                              json={"office_id": org.office_id, "module": "alpha", "action": "deactivate"})).json()
    assert sorted((line["module"], line["action"], line["ttc"]) for line in cart["lines"]) == [
        ("alpha", "deactivate", "0.00"), ("gamma", "deactivate", "0.00")]
    order = (await client.post("/api/v1/cart/checkout", headers=headers)).json()
    assert (order["number"], order["ttc"]) == (2, "0.00")
    rows = await ModuleActivation.select(ModuleActivation.module, ModuleActivation.active)
    assert sorted((r["module"], r["active"]) for r in rows) == [("alpha", False), ("gamma", False)]
    assert (await client.get(f"/api/v1/offices/{org.office_id}/m/alpha/ping", headers=headers)).status_code == 404
    await order_modules(client, headers, (org.office_id, "alpha", "activate"))
    assert (await client.get(f"/api/v1/offices/{org.office_id}/m/alpha/ping", headers=headers)).status_code == 200
    assert await ModuleActivation.count() == 2  # the same rows, flipped back: nothing was deleted


async def test_ticking_back_removes_the_line(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    line = {"office_id": org.office_id, "module": "beta"}
    await client.post("/api/v1/cart/lines", headers=headers, json={**line, "action": "activate"})
    cart = (await client.post("/api/v1/cart/lines", headers=headers, json={**line, "action": "deactivate"})).json()
    assert cart["lines"] == [] and cart["ttc"] == "0.00"
    empty = await client.post("/api/v1/cart/checkout", headers=headers)
    assert empty.status_code == 409 and "panier est vide" in empty.json()["detail"]


async def test_only_owners_may_order(client, make_org, add_member):
    org = await make_org()
    for role in ("basic", "admin"):
        _, email = await add_member(org, role)
        headers = await api_token(client, email)
        body = {"office_id": org.office_id, "module": "alpha", "action": "activate"}
        assert (await client.post("/api/v1/cart/lines", headers=headers, json=body)).status_code == 403
        assert (await client.post("/api/v1/cart/checkout", headers=headers)).status_code == 403
        assert (await client.get("/api/v1/orders", headers=headers)).status_code == 403
        assert (await client.get("/api/v1/modules", headers=headers)).status_code == 200
    assert await Order.count() == 0


async def test_bad_input_names_the_field_and_other_organisations_answer_404(client, make_org):
    org = await make_org("Mairie A")
    other = await make_org("Mairie B")
    headers = await api_token(client, org.owner_email)
    bad_action = await client.post("/api/v1/cart/lines", headers=headers,
                                   json={"office_id": org.office_id, "module": "alpha", "action": "acheter"})
    assert bad_action.status_code == 422 and bad_action.json()["errors"][0]["field"] == "action"
    unknown = await client.post("/api/v1/cart/lines", headers=headers,
                                json={"office_id": org.office_id, "module": "inconnu", "action": "activate"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "module"
    missing = await client.post("/api/v1/cart/lines", headers=headers, json={"module": "alpha"})
    assert missing.status_code == 422 and missing.json()["errors"] == [
        {"field": "office_id", "message": "Ce champ est obligatoire."}]
    not_active = await client.post("/api/v1/cart/lines", headers=headers,
                                   json={"office_id": org.office_id, "module": "alpha", "action": "deactivate"})
    assert not_active.status_code == 422 and "pas actif" in not_active.json()["detail"]
    foreign = await client.post("/api/v1/cart/lines", headers=headers,
                                json={"office_id": other.office_id, "module": "alpha", "action": "activate"})
    assert foreign.status_code == 404
    other_headers = await api_token(client, other.owner_email)
    order = await order_modules(client, other_headers, (other.office_id, "beta", "activate"))
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=headers)).status_code == 404
    await client.post("/api/v1/cart/lines", headers=other_headers,
                      json={"office_id": other.office_id, "module": "alpha", "action": "activate"})
    other_line = (await client.get("/api/v1/cart", headers=other_headers)).json()["lines"][0]["id"]
    assert (await client.delete(f"/api/v1/cart/lines/{other_line}", headers=headers)).status_code == 404
    assert len((await client.get("/api/v1/cart", headers=other_headers)).json()["lines"]) == 1


async def test_order_numbers_are_per_organisation(client, make_org):
    first, second = await make_org("Mairie A"), await make_org("Mairie B")
    a, b = await api_token(client, first.owner_email), await api_token(client, second.owner_email)
    assert (await order_modules(client, a, (first.office_id, "alpha", "activate")))["number"] == 1
    assert (await order_modules(client, b, (second.office_id, "alpha", "activate")))["number"] == 1
    assert (await order_modules(client, a, (first.office_id, "beta", "activate")))["number"] == 2
