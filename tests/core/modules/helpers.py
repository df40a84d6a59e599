"""Shortcuts for module tests: put lines in the cart and order through the API."""

from typing import Any


async def order_modules(client: Any, headers: dict[str, str], *lines: tuple[int, str, str]) -> dict[str, Any]:
    """Add (office_id, module, action) lines to the cart, check out, return the order JSON."""
    for office_id, module, action in lines:
        response = await client.post("/api/v1/cart/lines", headers=headers,
                                     json={"office_id": office_id, "module": module, "action": action})
        assert response.status_code == 201, response.text
    response = await client.post("/api/v1/cart/checkout", headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def add_office(client: Any, headers: dict[str, str], name: str) -> int:
    response = await client.post("/api/v1/offices", headers=headers, json={"name": name})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])
