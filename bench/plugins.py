"""Plugin and activation figures: loader time, gating overhead per request, checkout throughput.

    .venv/bin/python bench/plugins.py [--db sqlite|postgres] [--plugins 30] [--requests 2000] [--orders 200]

Requests go through the ASGI app in-process (httpx.ASGITransport), so the figures compare the gated
plugin route with a core route of similar work, without network noise.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import db
from core.config import Settings
from core.plugins import PluginManager
from core.testing.fixtures import PASSWORD
from tests.core.plugins.sources import full_plugin


async def timed_requests(client: httpx.AsyncClient, path: str, headers: dict[str, str], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, response.text
    return n / (time.perf_counter() - start)


async def run(args: argparse.Namespace, database_url: str, workdir: Path) -> None:
    from core.tenancy import services
    from core.web import create_app

    site = workdir / "site"
    for n in range(args.plugins):
        full_plugin(site, f"bench{n:02d}", "71.00")
    sys.path.insert(0, str(site))
    settings = Settings(data_dir=workdir, database_url=database_url, secret_key="b" * 32, strict_plugins=True)
    start = time.perf_counter()
    manager = PluginManager(settings).load()
    load_ms = (time.perf_counter() - start) * 1000
    print(f"loader: {len(manager.healthy_ids())} plugins loaded in {load_ms:.0f} ms "
          f"({load_ms / args.plugins:.1f} ms per plugin, import included)")

    app = create_app(settings)
    for hook in app.on_startup:
        await app._call_lifespan_hook(hook)
    await db.migrate()
    user = await services.create_user("gerant@bench.example", PASSWORD)
    organisation = await services.create_organisation("Bench", user, "Gérant")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        token = (await client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})).json()
        headers = {"Authorization": f"Bearer {token['token']}"}
        office = (await client.get("/api/v1/offices", headers=headers)).json()[0]["id"]
        await client.post("/api/v1/cart/lines", headers=headers,
                          json={"office_id": office, "module": "bench00", "action": "activate"})
        assert (await client.post("/api/v1/cart/checkout", headers=headers)).status_code == 201
        core_rps = await timed_requests(client, f"/api/v1/offices/{office}", headers, args.requests)
        plugin_rps = await timed_requests(client, f"/api/v1/offices/{office}/m/bench00/ping", headers, args.requests)
        print(f"GET core office route:        {core_rps:7.0f} req/s (in-process, one client)")
        print(f"GET gated plugin route:       {plugin_rps:7.0f} req/s (office + activation + permission checks)")

        active = {"bench00"}
        start = time.perf_counter()
        for n in range(args.orders):
            module = f"bench{n % args.plugins:02d}"
            action = "deactivate" if module in active else "activate"
            (active.discard if module in active else active.add)(module)
            await client.post("/api/v1/cart/lines", headers=headers,
                              json={"office_id": office, "module": module, "action": action})
            response = await client.post("/api/v1/cart/checkout", headers=headers)
            assert response.status_code == 201, response.text
        elapsed = time.perf_counter() - start
        print(f"cart line + checkout:         {args.orders / elapsed:7.0f} orders/s sequential "
              f"({elapsed / args.orders * 1000:.1f} ms each, email to .eml file included)")

        for n in range(args.plugins):
            module = f"bench{n:02d}"
            await client.post("/api/v1/cart/lines", headers=headers, json={
                "office_id": office, "module": module, "action": "deactivate" if module in active else "activate"})
        start = time.perf_counter()
        results = await asyncio.gather(*[client.post("/api/v1/cart/checkout", headers=headers) for _ in range(20)])
        statuses = sorted(r.status_code for r in results)
        print(f"20 concurrent checkouts of one cart: {statuses.count(201)} order, {statuses.count(409)} × 409 "
              f"in {(time.perf_counter() - start) * 1000:.0f} ms")
    for hook in app.on_shutdown:
        await app._call_lifespan_hook(hook)
    print(f"organisation {organisation.id}: done")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--plugins", type=int, default=30)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.db == "postgres":
            from core.testing.postgres import PostgresServer

            server = PostgresServer.start()
            try:
                asyncio.run(run(args, server.create_database("socle_bench"), workdir))
            finally:
                server.stop()
        else:
            asyncio.run(run(args, f"sqlite:///{workdir / 'bench.sqlite'}", workdir))


if __name__ == "__main__":
    main()
