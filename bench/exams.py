"""Week search over 20 favourite centres with 100 ms simulated latency per call, and booking overhead.

Run: .venv/bin/python bench/exams.py  (prints figures; goals: search ≤ 400 ms median, booking overhead ≤ 30 ms)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import socket
import statistics
import threading
import time

import uvicorn

from plugins.passerelle_examens.providers.rdvpermis import RdvPermisProvider, week_search
from plugins.passerelle_examens.simulators.rdvpermis import State, centres_of, create_app

LATENCY = 0.1
RUNS = 7


async def measure(url: str, state: State) -> None:
    provider = RdvPermisProvider(url, "bench", "secret-bench")
    departements = ("69", "01", "38", "42", "71", "73", "74", "07", "26")
    centres = [c["id"] for d in departements for c in centres_of(d, "voiture")][:20]
    await provider.search_centres("69", "voiture")  # token
    state.faults.latency = LATENCY
    monday = dt.date(2027, 3, 1)
    searches = []
    for i in range(RUNS):
        started = time.perf_counter()
        await week_search(provider, centres, monday + dt.timedelta(weeks=i))
        searches.append(time.perf_counter() - started)
    print(f"week search, {len(centres)} centres, {LATENCY * 1000:.0f} ms/call: "
          f"median {statistics.median(searches) * 1000:.0f} ms "
          f"(sequential floor {len(centres) * LATENCY * 1000:.0f} ms)")
    state.faults.latency = 0.0
    overheads = []
    for i in range(RUNS):
        slot = (await provider.week_sessions(centres[i], monday))[0]
        started = time.perf_counter()
        await provider.book(slot.slot_id, "123456789012", f"bench-{i}")
        overheads.append(time.perf_counter() - started)
    print(f"booking round trip (client + simulator, no latency): median {statistics.median(overheads) * 1000:.1f} ms")
    await provider.aclose()


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    state = State()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(state), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        asyncio.run(measure(f"http://127.0.0.1:{sock.getsockname()[1]}", state))
    finally:
        server.should_exit = True
        thread.join(5)


if __name__ == "__main__":
    main()
