"""A real RdvPermis simulator on a loopback port, served by uvicorn in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn

from core.testing.fixtures import api_token
from plugins.passerelle_examens.simulators import printel as printel_sim
from plugins.passerelle_examens.simulators.rdvpermis import State, create_app
from tests.core.modules.helpers import order_modules


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """A Litestar app on a free loopback port, served by uvicorn in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


@pytest.fixture
def rdvpermis() -> Iterator[tuple[str, State]]:
    state = State()
    with serve(create_app(state)) as url:
        yield url, state


@pytest.fixture
def printel() -> Iterator[tuple[str, printel_sim.State]]:
    """The Printel simulator on a loopback port."""
    state = printel_sim.State()
    with serve(printel_sim.create_app(state)) as url:
        yield url, state


@pytest.fixture
def socle_plugin() -> str:
    return "passerelle_examens"


STUDENT = {"civilite": "madame", "nom": "Durand", "prenoms": "Léa Marie", "date_naissance": "2005-03-14",
           "courriel": "lea.durand@exemple.fr", "telephone": "06 12 34 56 78", "neph": "1234 5678 9012",
           "categorie": "B"}


@dataclass
class School:
    org: Any
    headers: dict[str, str]
    client: Any

    def page(self, path: str) -> str:
        return f"/offices/{self.org.office_id}/m/passerelle_examens{path}"

    def api(self, path: str) -> str:
        return f"/api/v1/offices/{self.org.office_id}/m/passerelle_examens{path}"


@pytest.fixture
def school(client, make_org):
    async def build(name: str = "Auto-école du Centre") -> School:
        org = await make_org(name)
        headers = await api_token(client, org.owner_email)
        await order_modules(client, headers, (org.office_id, "passerelle_examens", "activate"))
        return School(org, headers, client)

    return build
