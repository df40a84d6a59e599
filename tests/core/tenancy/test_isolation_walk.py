"""Every API operation of the OpenAPI document — the core's and every installed module's, future ones included,
with no list to keep up to date — answers 404 to another organisation's ids, and changes nothing there.

Organisation B is the demo town hall plus every healthy module's own demo data (`load_demo`); its ids are
found through B's own list routes (the path up to a parameter). Organisation A, with the same modules
active, then calls each operation (a) with B's office and (b) with its own office but B's other ids."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from core.testing.fixtures import api_token
from tests.core.modules.helpers import order_modules

PARAM = re.compile(r"\{([^}]+)\}")
SKIPPED = {("DELETE", "/api/v1/auth/token")}


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A small value valid against `schema` (required properties only), so that a body passes its type
    checks and the answer tells about the ids, not about the body."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _example(options[0], components)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        props = schema.get("properties", {})
        return {name: _example(props[name], components) for name in schema.get("required", []) if name in props}
    if kind == "array":
        return []
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "string":
        return {"date": "2030-03-04", "date-time": "2030-03-04T09:00:00+01:00"}.get(schema.get("format", ""), "x")
    return None


async def _activate_everywhere(client: httpx.AsyncClient, headers: dict[str, str], office_id: int,
                               modules: list[str]) -> None:
    active = (await client.get(f"/api/v1/offices/{office_id}", headers=headers)).json()["active_modules"]
    missing = [m for m in modules if m not in active]
    if missing:
        await order_modules(client, headers, *[(office_id, m, "activate") for m in missing])


async def _town_hall_b(app: Any, client: httpx.AsyncClient, modules: list[str]) -> tuple[dict[str, str], int]:
    """Organisation B: the demo town hall, every healthy module active in its office with its demo data."""
    from core.demo import DEMO_PASSWORD, load_town_hall

    await load_town_hall(app.state.settings)
    headers = await api_token(client, "maire@saint-vallier.example", DEMO_PASSWORD)
    office_id = (await client.get("/api/v1/offices", headers=headers)).json()[0]["id"]
    before = set((await client.get(f"/api/v1/offices/{office_id}", headers=headers)).json()["active_modules"])
    await _activate_everywhere(client, headers, office_id, modules)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    others = [m for m in modules if m not in before]
    if others:
        await app.state.plugins.call("load_demo", others, organisation_id=me["organisation"]["id"],
                                     office_id=office_id)
    annex = (await client.post("/api/v1/offices", headers=headers, json={"name": "Annexe"})).json()["id"]
    if modules:  # an order, and a line left in the cart
        await order_modules(client, headers, (annex, modules[0], "activate"))
        line = await client.post("/api/v1/cart/lines", headers=headers,
                                 json={"office_id": annex, "module": modules[0], "action": "deactivate"})
        assert line.status_code == 201, line.text
    hook = await client.post("/api/v1/webhooks", headers=headers,
                             json={"url": "https://hooks.example.org/b", "events": ["*"]})
    assert hook.status_code == 201, hook.text
    return headers, office_id


async def _ids_of(client: httpx.AsyncClient, headers: dict[str, str], path: str, fixed: dict[str, Any]) -> dict:
    """B's id for each path parameter of `path`, found left to right through B's own list routes."""
    found = dict(fixed)
    for match in PARAM.finditer(path):
        name = match.group(1)
        if name in found:
            continue
        prefix = path[:match.start()].rstrip("/").format(**found)
        response = await client.get(prefix, headers=headers)
        rows = response.json() if response.status_code == 200 else []
        if isinstance(rows, dict):  # e.g. the cart: {"lines": [...], totals…}
            rows = next((value for value in rows.values() if isinstance(value, list)), [])
        ids = [row.get("id", row.get(name)) for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
        ids = [i for i in ids if isinstance(i, int)]
        if not ids:
            return found
        found[name] = ids[0]
    return found


async def test_every_operation_answers_404_to_another_organisations_ids(app, live_server, make_org):
    async with httpx.AsyncClient(base_url=live_server) as client:
        a = await make_org("Mairie A")
        a_headers = await api_token(client, a.owner_email)
        modules = [m["id"] for m in (await client.get("/api/v1/modules", headers=a_headers)).json()
                   if m["status"] == "ok"]
        await _activate_everywhere(client, a_headers, a.office_id, modules)
        b_headers, b_office = await _town_hall_b(app, client, modules)
        schema = (await client.get("/schema/openapi.json")).json()
        components = schema.get("components", {}).get("schemas", {})
        checked, unreached, wrong = 0, [], []
        for path, operations in schema["paths"].items():
            names = PARAM.findall(path)
            if not names or not path.startswith("/api/v1/"):  # public routes: their own tests (by slug)
                continue
            b_ids = await _ids_of(client, b_headers, path, {"office_id": b_office} if "office_id" in names else {})
            variants = []
            if "office_id" in names:  # (a) B's office, B's other ids (or 1 where B has none)
                variants.append({n: b_ids.get(n, 1) for n in names})
            others = [n for n in names if n != "office_id"]
            if others and all(n in b_ids for n in others):  # (b) A's own office, B's other ids
                variants.append({**{n: b_ids[n] for n in others}, "office_id": a.office_id})
            elif others:
                unreached.append(path)
            for method, operation in operations.items():
                if (method.upper(), path) in SKIPPED:
                    continue
                body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                payload = _example(body["schema"], components) if body else None
                query = {p["name"]: _example(p["schema"], components) for p in operation.get("parameters", [])
                         if p["in"] == "query" and p.get("required")}
                for values in variants:
                    url = path.format(**values)
                    response = await client.request(method.upper(), url, headers=a_headers, json=payload,
                                                    params=query)
                    checked += 1
                    if response.status_code != 404 or "Saint-Vallier" in response.text:
                        wrong.append(f"{method.upper()} {url} → {response.status_code} {response.text[:200]}")
        module_paths = [p for p in schema["paths"] if "/m/" in p]
        print(f"\ncross-tenant walk: {checked} calls over {len(schema['paths'])} paths "
              f"({len(module_paths)} of modules); B's ids not found for: {unreached}")
        assert wrong == [], "\n".join(wrong)
        assert checked >= 60 and (not modules or module_paths)
        assert len(unreached) <= len(schema["paths"]) // 4  # most paths are walked with B's real ids


@pytest.fixture
def plugin_ids() -> None:
    """Every installed plugin (the walk covers all of them)."""
    return None
