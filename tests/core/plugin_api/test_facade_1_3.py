"""API 1.3: `Platform.service_contract` is the order that activated the module in the office (None when it is not
active or was switched on without an order); `Platform.create_api_token` / `api_tokens` hand out core bearer
tokens listed by name prefix. Each documented with its exact signature."""

import inspect
import json
from pathlib import Path

import pytest

import core.plugin_api
from core.errors import NotFound
from core.plugin_api.platform import Platform
from core.testing.fixtures import api_token

DOCS = Path(__file__).resolve().parents[3] / "docs" / "plugins.md"


def _signature(method) -> str:
    parts = []
    for p in inspect.signature(method).parameters.values():
        if p.name == "self":
            parts.append("self")
            continue
        default = "" if p.default is inspect.Parameter.empty else f" = {json.dumps(p.default)}"
        parts.append(f"{p.name}: {p.annotation}{default}")
    return f"async def {method.__name__}({', '.join(parts)}) -> {inspect.signature(method).return_annotation}"


@pytest.mark.nodb
@pytest.mark.parametrize("method", [Platform.service_contract, Platform.create_api_token, Platform.api_tokens,
                                    Platform.revoke_api_token])
def test_documented_with_exact_signature(method):
    assert _signature(method) in DOCS.read_text()
    for name in ("ServiceContract", "ApiTokenInfo"):
        assert name in core.plugin_api.__all__


async def test_service_contract_and_tokens(app, client, make_org):
    from core.modules.activation import set_active
    from core.tenancy.actor import Actor
    from core.tenancy.roles import Role

    platform = Platform("formation_cqc", app.state.plugins)
    org = await make_org("Centre Un")
    assert await platform.service_contract(org.office_id) is None  # not active
    await set_active(org.organisation_id, org.office_id, "formation_cqc", True)
    assert await platform.service_contract(org.office_id) is None  # activated without an order
    await set_active(org.organisation_id, org.office_id, "formation_cqc", False)
    headers = await api_token(client, org.owner_email)
    await client.post("/api/v1/cart/lines", headers=headers, json={
        "office_id": org.office_id, "module": "formation_cqc", "action": "activate"})
    order = (await client.post("/api/v1/cart/checkout", headers=headers)).json()
    contract = await platform.service_contract(org.office_id)
    assert contract is not None and contract.number == order["number"] and contract.order_id == order["id"]
    await client.post("/api/v1/cart/lines", headers=headers, json={
        "office_id": org.office_id, "module": "formation_cqc", "action": "deactivate"})
    await client.post("/api/v1/cart/checkout", headers=headers)
    assert await platform.service_contract(org.office_id) is None  # deactivated: no contract in force

    from core.auth.services import actor_for

    actor: Actor | None = await actor_for(org.owner_user_id, org.organisation_id)
    assert actor is not None and actor.role is Role.owner
    secret = await platform.create_api_token(actor, "formation_cqc: essai")
    assert (await client.get("/api/v1/offices", headers={"Authorization": f"Bearer {secret}"})).status_code == 200
    listed = await platform.api_tokens(actor, name_prefix="formation_cqc")
    assert [(t.name, t.revoked) for t in listed] == [("formation_cqc: essai", False)]
    assert len(await platform.api_tokens(actor)) == 2  # the one api_token() made, unnamed
    await platform.revoke_api_token(actor, listed[0].id)
    assert (await client.get("/api/v1/offices", headers={"Authorization": f"Bearer {secret}"})).status_code == 401
    other = await make_org("Centre Deux")
    other_actor = await actor_for(other.owner_user_id, other.organisation_id)
    with pytest.raises(NotFound):
        await platform.revoke_api_token(other_actor, listed[0].id)
