"""Concurrent checkouts of one cart place exactly one order (the others find the cart empty: 409), and
concurrent orders of one organisation get distinct numbers without gaps."""

import asyncio

from core.commerce.tables import Order, OrderLine
from core.modules.tables import ModuleActivation
from core.testing.fixtures import api_token
from tests.core.modules.helpers import add_office


async def test_concurrent_checkouts_of_the_same_cart_make_one_order(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    second = await add_office(client, headers, "Annexe")
    for office_id in (org.office_id, second):
        await client.post("/api/v1/cart/lines", headers=headers,
                          json={"office_id": office_id, "module": "alpha", "action": "activate"})
    responses = await asyncio.gather(*[client.post("/api/v1/cart/checkout", headers=headers) for _ in range(8)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 7, [r.text for r in responses]
    assert await Order.count() == 1
    assert await OrderLine.count() == 2
    assert await ModuleActivation.count() == 2


async def test_concurrent_orders_get_consecutive_numbers(client, make_org):
    from core.commerce.orders import OrderLineIn, place_order

    org = await make_org()
    line = OrderLineIn(label="Prestation", unit_ht=10)  # type: ignore[arg-type]
    orders = await asyncio.gather(*[place_order(org.organisation_id, org.owner_user_id, [line]) for _ in range(10)])
    assert sorted(o.number for o in orders) == list(range(1, 11))
