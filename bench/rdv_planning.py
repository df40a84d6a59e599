"""rdv_service_public: the agents' planning grid (HTML, end to end through uvicorn on SQLite) in an
organisation with 200 agents open Mon–Fri 9–12 and 14–17 (the seed of bench/rdv.py): the week merged, the
week with one motif's free slots, the day with one column per agent, with and without free slots.

Usage: .venv/bin/python bench/rdv_planning.py [--agents 200] [--requests 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.rdv import seed, start_socle  # noqa: E402


async def measure(base: str, paths: dict[str, str], requests: int) -> dict[str, tuple[list[float], int]]:
    """Per label: the timings (ms) of `requests` GETs after a warm-up, and the page size in bytes."""
    import httpx

    from core.testing.fixtures import login

    out = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await login(client, "maire@bench.example", "mot-de-passe-bench")
        for label, path in paths.items():
            size = len((await client.get(path)).content)
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                response = await client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200 and "rdv-grid" in response.text, response.text[:300]
            out[label] = (timings, size)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        _, motif_id = asyncio.run(seed(data_dir, args.agents))
        server, base = start_socle(data_dir)
        try:
            wednesday = date.today() - timedelta(days=date.today().weekday()) + timedelta(days=9)
            planning = f"/offices/1/m/rdv_service_public/planning?date={wednesday}"
            paths = {"week, all agents": f"{planning}&view=week",
                     "week, one motif's free slots": f"{planning}&view=week&motif_id={motif_id}",
                     f"day, {args.agents} agent columns": f"{planning}&view=day",
                     f"day, {args.agents} agent columns + free slots": f"{planning}&view=day&motif_id={motif_id}"}
            for label, (timings, size) in asyncio.run(measure(base, paths, args.requests)).items():
                print(f"planning {label}: median {statistics.median(timings):.1f} ms, "
                      f"p90 {statistics.quantiles(timings, n=10)[-1]:.1f} ms, {size / 1024:.0f} KiB "
                      f"({args.requests} requests, {args.agents} agents)")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
