"""Serving the simulators on loopback for a person (not for the tests, which serve them in a thread):
`socle sim rdvpermis [port]`, `socle sim printel [port]`, `socle sim tous` (both, what `make run` starts in the
background) and `socle sim attendre` (until both answer, what `make run` does before loading the demo).

Their state is kept in SOCLE_DATA_DIR/simulateurs/ (simulators/store.py): a restart keeps the mandates, the
bookings and the tokens the demo's exam files refer to."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from plugins.passerelle_examens.settings import PRINTEL_SIMULATOR_URL, SIMULATOR_URL
from plugins.passerelle_examens.simulators import printel, rdvpermis
from plugins.passerelle_examens.simulators.store import state_file

DEFAULT_PORTS = {"rdvpermis": int(SIMULATOR_URL.rsplit(":", 1)[1]),
                 "printel": int(PRINTEL_SIMULATOR_URL.rsplit(":", 1)[1])}
WAIT_SECONDS = 20.0


def kept_app(name: str) -> Any:
    """The simulator `name` with its state loaded from, and saved to, SOCLE_DATA_DIR/simulateurs/<name>.json."""
    module: Any = {"rdvpermis": rdvpermis, "printel": printel}[name]
    state = module.State()
    store = state_file(name)
    store.load(state)
    state.store = store
    return module.create_app(state)


def _server(name: str, port: int) -> Any:
    import uvicorn

    return uvicorn.Server(uvicorn.Config(kept_app(name), host="127.0.0.1", port=port, log_level="warning"))


def _port(args: list[str], default: int) -> int:
    return int(args[0]) if args and args[0].isdigit() else default


async def serve_one(name: str, args: list[str]) -> int:
    port = _port(args, DEFAULT_PORTS[name])
    print(f"Simulateur {name} sur http://127.0.0.1:{port} (état gardé dans {state_file(name).path})")
    await _server(name, port).serve()
    return 0


async def serve_both(args: list[str]) -> int:
    """Both simulators in one process on their default ports, until Ctrl-C or SIGTERM."""
    servers = [_server(name, port) for name, port in DEFAULT_PORTS.items()]
    print("Simulateurs RdvPermis (" + SIMULATOR_URL + ") et Printel (" + PRINTEL_SIMULATOR_URL + ") démarrés.")
    await asyncio.gather(*(server.serve() for server in servers))
    return 0


async def wait(args: list[str]) -> int:
    """Until both simulators answer (any HTTP answer counts), at most WAIT_SECONDS; 1 and a French message if
    one never does."""
    deadline = time.monotonic() + (float(args[0]) if args and args[0].replace(".", "", 1).isdigit() else WAIT_SECONDS)
    pending = [SIMULATOR_URL, PRINTEL_SIMULATOR_URL]
    async with httpx.AsyncClient(timeout=1.0) as http:
        while pending:
            try:
                await http.get(pending[0] + "/_etat")
                pending.pop(0)
                continue
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    print(f"Le simulateur {pending[0]} ne répond pas : démonstration sans simulateur.")
                    return 1
            await asyncio.sleep(0.1)
    print("Simulateurs prêts.")
    return 0
